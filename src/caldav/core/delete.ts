import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { checkWriteConditions } from '../preconditions.ts';
import { resolveResource } from '../resolve-resource.ts';
import { DAV } from '../xml/names.ts';

/** RFC 4918 §9.6 for calendar objects, honouring If-Match (RFC 9110 §13.1.1). */
export async function deleteResource(ctx: DavContext): Promise<DavResponse> {
  const resource = await resolveResource(ctx);
  if (resource.kind !== 'object') {
    // Each user has exactly one calendar for now (storage: calendars_one_per_owner_idx).
    throw new DavError(403, 'This collection cannot be deleted.', { precondition: DAV.needPrivileges });
  }
  checkWriteConditions(ctx.headers, resource.object.etag);
  await ctx.services.calendars.deleteObject(ctx.userId, resource.calendar.id, resource.object.hrefName, {
    ifMatch: resource.object.etag,
  });
  return { status: 204 };
}
