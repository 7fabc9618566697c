import { DavError } from '../dav-error.ts';
import type { DavContext, DavResponse } from '../module.ts';
import { resolveResource } from '../resolve-resource.ts';
import { CALDAV } from '../xml/names.ts';

/**
 * RFC 4791 §5.3.1. Each user has exactly one calendar for now (storage: calendars_one_per_owner_idx),
 * so creating another is refused with a precondition rather than half-done.
 */
export async function mkcalendar(ctx: DavContext): Promise<DavResponse> {
  const exists = await resolveResource(ctx).then(
    () => true,
    () => false,
  );
  if (exists) throw new DavError(405, 'Something already exists at this address.');
  throw new DavError(403, 'Televent keeps one calendar per user; new calendars cannot be created yet.', {
    precondition: CALDAV.calendarCollectionLocationOk,
  });
}
