import type { CalendarView } from '../../app/caldav-views.ts';
import type { WriteConditions } from '../../app/object-writes.ts';
import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import {
  checkWriteConditions,
  type EtagCondition,
  readEtagCondition,
  strongMatch,
} from '../preconditions.ts';
import { resolveResource } from '../resolve-resource.ts';
import { CALDAV } from '../xml/names.ts';

/**
 * RFC 4791 §5.3.2: create (201) or replace (204) one calendar object resource. The text is stored
 * verbatim, so the ETag we return is the ETag of what a GET returns
 * (docs/caldav-client-quirks.md#verbatim-storage).
 */
export async function putObject(ctx: DavContext): Promise<DavResponse> {
  const path = ctx.path;
  if (path.kind !== 'object') {
    throw new DavError(405, 'Only calendar objects can be written with PUT.', {
      headers: { allow: collectionAllow },
    });
  }
  const contentType = String(ctx.headers['content-type'] ?? '').toLowerCase();
  if (contentType !== '' && !contentType.startsWith('text/calendar')) {
    throw new DavError(403, 'Calendar objects are text/calendar (iCalendar 2.0).', {
      precondition: CALDAV.supportedCalendarData,
    });
  }
  const text = ctx.body ?? '';
  if (Buffer.byteLength(text) > ctx.limits.maxResourceSize) {
    throw new DavError(403, `A calendar object may have at most ${ctx.limits.maxResourceSize} bytes.`, {
      precondition: CALDAV.maxResourceSize,
    });
  }
  const ifMatch = readEtagCondition(ctx.headers, 'if-match');
  const ifNoneMatch = readEtagCondition(ctx.headers, 'if-none-match');
  // What clients send to replace, one strong tag: the service checks it where it writes (412 when
  // something else or nothing is stored), so nothing is read first; in the user's own calendar,
  // not even the calendar.
  const exactTag = ifNoneMatch === undefined ? singleStrongTag(ifMatch) : undefined;
  const triedInOneStatement = exactTag !== undefined && path.userId === ctx.userId;
  if (triedInOneStatement) {
    const replaced = await ctx.services.calendars.replaceOwnObject(
      ctx.userId,
      path.slug,
      path.name,
      text,
      exactTag,
    );
    if (replaced) return { status: 204, headers: { etag: replaced.etag } };
  }
  const calendar = await resolveResource(ctx, { kind: 'calendar', userId: path.userId, slug: path.slug });
  if (calendar.kind !== 'calendar') throw new DavError(404, 'No such calendar.');
  const conditions =
    exactTag !== undefined
      ? { ifMatch: exactTag }
      : await conditionsFromStored(ctx, calendar.calendar, path.name, ifMatch, ifNoneMatch);
  const result = await ctx.services.calendars.putObject(
    ctx.userId,
    calendar.calendar.id,
    path.name,
    text,
    conditions,
    // Tried above already, or another owner's calendar, which the one statement never writes.
    { oneStatement: !triedInOneStatement && calendar.calendar.ownerId === ctx.userId },
  );
  return { status: result.created ? 201 : 204, headers: { etag: result.object.etag } };
}

function singleStrongTag(condition: EtagCondition): string | undefined {
  if (condition === undefined || condition === '*' || condition.length !== 1) return undefined;
  const [tag] = condition;
  return tag?.startsWith('W/') ? undefined : tag;
}

/** Checks the conditions against the stored ETag; the service re-checks the exact tag inside its transaction. */
async function conditionsFromStored(
  ctx: DavContext,
  calendar: CalendarView,
  name: string,
  ifMatch: EtagCondition,
  ifNoneMatch: EtagCondition,
): Promise<WriteConditions> {
  const existingEtag = await ctx.services.caldav.currentEtag(calendar, name);
  checkWriteConditions(ctx.headers, existingEtag);
  // A lost update in between becomes 412 there.
  return {
    ...(ifMatch !== undefined &&
    existingEtag !== undefined &&
    (ifMatch === '*' || strongMatch(ifMatch, existingEtag))
      ? { ifMatch: existingEtag }
      : {}),
    ...(ifNoneMatch === '*' ? { ifNoneMatch: '*' as const } : {}),
  };
}

export const collectionAllow = 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PROPPATCH, REPORT';
