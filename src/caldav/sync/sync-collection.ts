import { eachCooperatively } from '../../app/cooperative-work.ts';
import { calendarDataProperty } from '../calendar-access/calendar-data.ts';
import { floatingTimeZoneFor } from '../calendar-access/floating-time-zone.ts';
import { propertyResponse, readPropertyRequest } from '../core/property-request.ts';
import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse, Resource, StoredObject } from '../module.ts';
import { incompleteResponse, Multistatus, statusResponse } from '../multistatus.ts';
import { objectHref } from '../resource-path.ts';
import { addMemberResponse, addMemberResponses, memberResponseForm } from '../response-cache.ts';
import { el } from '../xml/build-xml.ts';
import { CALDAV, DAV } from '../xml/names.ts';
import { childNamed, type XmlElement } from '../xml/parse-xml.ts';
import { formatSyncToken, parseSyncToken } from './sync-token.ts';

function invalidToken(): DavError {
  // DAVx5 answers this with a clean initial sync (docs/caldav-client-quirks.md#unknown-sync-token).
  return new DavError(403, 'The sync token is unknown or too old; start again with an empty token.', {
    precondition: DAV.validSyncToken,
  });
}

/**
 * RFC 6578 §3. An empty token lists every member with its ETag
 * (docs/caldav-client-quirks.md#initial-sync-lists-everything); a token lists the members changed
 * since, deletions as 404. DAV:limit truncates with a 507 on the collection and a token that resumes
 * where this answer stopped (§3.6). The Depth header is ignored: Thunderbird sends 1 where the RFC
 * says 0 (docs/caldav-client-quirks.md#sync-collection-depth).
 */
export async function syncCollection(
  ctx: DavContext,
  report: XmlElement,
  resource: Resource,
): Promise<DavResponse> {
  if (resource.kind !== 'calendar') throw new DavError(403, 'sync-collection applies to calendars.');
  const calendar = resource.calendar;
  const tokenText = childNamed(report, DAV.syncToken)?.text.trim() ?? '';
  const limit = readLimit(report);

  const request = readPropertyRequest(report);
  // An initial sync answers the snapshot's members as the index keeps them (one run, kept whole);
  // an incremental one the changes, deletions as 404.
  let snapshotMembers: readonly StoredObject[] | undefined;
  let changed: Array<{ name: string; object: StoredObject | undefined; revision: number }> = [];
  let revision: number;
  // What a token covers when no member could be sent: the state the client already has.
  let floorRevision = 0;
  let truncated = false;
  if (tokenText === '') {
    // Most clients ask for ETags only and multiget the data later: skip the text then
    // (docs/caldav-client-quirks.md#davx5-multiget-etags).
    const withText = request.type !== 'prop' || request.names.includes(CALDAV.calendarData);
    const snapshot = withText
      ? await ctx.services.caldav.snapshot(calendar, { withText: true })
      : await ctx.services.caldav.snapshot(calendar, { withText: false });
    // Oldest write first, so a truncated answer ends at a revision that covers everything before it.
    let objects = snapshot.objects;
    revision = snapshot.revision;
    if (limit !== undefined && objects.length > limit) {
      objects = objects.slice(0, limit);
      truncated = true;
      revision = objects.at(-1)?.revision ?? 0;
    }
    snapshotMembers = objects;
  } else {
    const since = parseSyncToken(tokenText, calendar.id);
    if (since === null) throw invalidToken();
    floorRevision = since;
    const delta = await ctx.services.caldav.changesSince(calendar, since);
    if (!delta) throw invalidToken();
    let changes = delta.changes;
    revision = delta.currentRevision;
    if (limit !== undefined && changes.length > limit) {
      changes = changes.slice(0, limit);
      truncated = true;
      revision = changes.at(-1)?.revision ?? since;
    }
    const objects = new Map(delta.objects.map((o) => [o.hrefName, o]));
    changed = changes.map((change) => ({
      name: change.hrefName,
      object: change.operation === 'deleted' ? undefined : objects.get(change.hrefName),
      revision: change.revision,
    }));
  }

  const context = { userId: ctx.userId, registry: ctx.registry, limits: ctx.limits };
  const floatingTimeZone = floatingTimeZoneFor(calendar);
  const dynamic = new Map([
    [
      CALDAV.calendarData,
      calendarDataProperty({
        floatingTimeZone,
        maxInstances: ctx.limits.maxInstances,
        cache: ctx.services.occurrences,
      }),
    ],
  ]);
  const body = new Multistatus();
  const form = memberResponseForm(request, ctx.userId, calendar, { floatingTimeZone });
  const respond = (name: string, object: StoredObject) => {
    const href = objectHref(calendar.homeUserId, calendar.slug, name);
    return propertyResponse({ kind: 'object', href, calendar, object }, request, context, { dynamic });
  };
  const sent: readonly { revision: number }[] = snapshotMembers ?? changed;
  const { complete } = snapshotMembers
    ? await addMemberResponses(
        body,
        snapshotMembers,
        { form },
        (object) => () => respond(object.hrefName, object),
        ctx.work,
      )
    : await eachCooperatively(
        changed,
        ({ name, object }) => {
          if (!object) body.add(statusResponse(objectHref(calendar.homeUserId, calendar.slug, name), 404));
          else addMemberResponse(body, object, form, () => respond(name, object));
        },
        ctx.work,
      );
  // Out of work budget: the token covers only what was sent, so the client asks again for the rest.
  if (!complete) revision = sent[body.count - 1]?.revision ?? floorRevision;
  if (truncated || !complete) body.add(incompleteResponse(resource.href));
  return body.finish([el(DAV.syncToken, formatSyncToken(calendar.id, revision))]);
}

/** RFC 5323 §5.17 DAV:limit/DAV:nresults, as RFC 6578 §3.7 uses it. */
function readLimit(report: XmlElement): number | undefined {
  const limit = childNamed(report, DAV.limit);
  if (!limit) return undefined;
  const text = childNamed(limit, DAV.nresults)?.text.trim() ?? '';
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new DavError(400, 'DAV:limit needs a positive DAV:nresults.');
  }
  return value;
}
