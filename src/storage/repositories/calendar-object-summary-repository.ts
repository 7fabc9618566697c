import type { CalendarObjectRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import { type CalendarWithAccess, calendarsInHome } from './calendar-repository.ts';

/**
 * One object of a calendar the user sees in their calendar home, with that calendar, in one round
 * trip: the GET hot path (user, calendar slug and href name all come from the request URL).
 */
export async function findOwnObjectWithCalendar(
  db: Executor,
  userId: number,
  slug: string,
  hrefName: string,
): Promise<{ calendar: CalendarWithAccess; object: CalendarObjectRow } | undefined> {
  const row = await db
    .selectFrom('calendar_objects as o')
    .innerJoin(calendarsInHome(db, userId, slug).as('c'), 'c.id', 'o.calendar_id')
    .selectAll('o')
    .select([
      'c.id as calendar_id_',
      'c.owner_id as calendar_owner_id',
      'c.slug as calendar_slug',
      'c.name as calendar_name',
      'c.color as calendar_color',
      'c.description as calendar_description',
      'c.calendar_order as calendar_calendar_order',
      'c.time_zone as calendar_time_zone',
      'c.supported_components as calendar_supported_components',
      'c.sync_revision as calendar_sync_revision',
      'c.created_at as calendar_created_at',
      'c.updated_at as calendar_updated_at',
      'c.access as calendar_access',
      'c.home_user_id as calendar_home_user_id',
      'c.home_slug as calendar_home_slug',
      'c.read_only as calendar_read_only',
      'c.shared_by as calendar_shared_by',
    ])
    .where('o.href_name', '=', hrefName)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    calendar_id_,
    calendar_owner_id,
    calendar_slug,
    calendar_name,
    calendar_color,
    calendar_description,
    calendar_calendar_order,
    calendar_time_zone,
    calendar_supported_components,
    calendar_sync_revision,
    calendar_created_at,
    calendar_updated_at,
    calendar_access,
    calendar_home_user_id,
    calendar_home_slug,
    calendar_read_only,
    calendar_shared_by,
    ...object
  } = row;
  const calendar: CalendarWithAccess = {
    id: calendar_id_,
    owner_id: calendar_owner_id,
    slug: calendar_slug,
    name: calendar_name,
    color: calendar_color,
    description: calendar_description,
    calendar_order: calendar_calendar_order,
    time_zone: calendar_time_zone,
    supported_components: calendar_supported_components,
    sync_revision: calendar_sync_revision,
    created_at: calendar_created_at,
    updated_at: calendar_updated_at,
    access: calendar_access,
    home_user_id: calendar_home_user_id,
    home_slug: calendar_home_slug,
    read_only: calendar_read_only,
    shared_by: calendar_shared_by,
  };
  return { calendar, object };
}
