import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { checkWriteConditions } from '../preconditions.ts';
import { resolveResource } from '../resolve-resource.ts';
import { DAV } from '../xml/names.ts';

/** RFC 4918 §9.6 for calendar objects (honouring If-Match, RFC 9110 §13.1.1) and calendar collections. */
export async function deleteResource(ctx: DavContext): Promise<DavResponse> {
  const resource = await resolveResource(ctx);
  if (resource.kind === 'calendar') {
    // A calendar goes with its objects, change log and pending jobs in one transaction; the
    // default (first) calendar is refused with 403 need-privileges (app/calendar-collections.ts).
    // A calendar shared with the user is left, not deleted: that is what Apple Calendar, Thunderbird
    // and DAVx5 mean when someone removes a shared calendar from their list (issue 14).
    if (resource.calendar.access !== 'owner')
      await ctx.services.sharing.leave(ctx.userId, resource.calendar.id);
    else await ctx.services.calendarCollections.deleteCalendar(ctx.userId, resource.calendar.id);
    return { status: 204 };
  }
  if (resource.kind !== 'object') {
    throw new DavError(403, 'This collection cannot be deleted.', { precondition: DAV.needPrivileges });
  }
  checkWriteConditions(ctx.headers, resource.object.etag);
  await ctx.services.calendars.deleteObject(ctx.userId, resource.calendar.id, resource.object.hrefName, {
    ifMatch: resource.object.etag,
  });
  return { status: 204 };
}
