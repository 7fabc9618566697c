import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { checkWriteConditions, readEtagCondition, strongMatch } from '../preconditions.ts';
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
  const calendar = await resolveResource(ctx, { kind: 'calendar', userId: path.userId, slug: path.slug });
  if (calendar.kind !== 'calendar') throw new DavError(404, 'No such calendar.');
  const existingEtag = await ctx.services.caldav.currentEtag(calendar.calendar, path.name);
  checkWriteConditions(ctx.headers, existingEtag);
  // Hand the service the exact tag to re-check inside its transaction (a lost update becomes 412).
  const ifMatch = readEtagCondition(ctx.headers, 'if-match');
  const ifNoneMatch = readEtagCondition(ctx.headers, 'if-none-match');
  const conditions = {
    ...(ifMatch !== undefined &&
    existingEtag !== undefined &&
    (ifMatch === '*' || strongMatch(ifMatch, existingEtag))
      ? { ifMatch: existingEtag }
      : {}),
    ...(ifNoneMatch === '*' ? { ifNoneMatch: '*' as const } : {}),
  };
  const result = await ctx.services.calendars.putObject(
    ctx.userId,
    calendar.calendar.id,
    path.name,
    text,
    conditions,
  );
  return { status: result.created ? 201 : 204, headers: { etag: result.object.etag } };
}

export const collectionAllow = 'OPTIONS, GET, HEAD, DELETE, PROPFIND, PROPPATCH, REPORT';
