import { sql } from 'kysely';
import type { Executor } from '../transaction.ts';

// The members of a calendar as the CalDAV reads want them: only the columns a WebDAV resource
// shows, named in camelCase by the SELECT itself, so a listing of thousands of members is handed
// on as the driver returns it, without a second object per row (docs/architecture.md#dependency-rules).

/** A member without its iCalendar text: what a PROPFIND listing or an ETag-only sync needs. */
export interface CalendarMemberSummary {
  id: string;
  hrefName: string;
  etag: string;
  componentType: string;
  updatedAt: Date;
  revision: number;
  /** Bytes of the stored text. */
  size: number;
}

/** A member with the stored text, byte for byte. */
export interface CalendarMember extends Omit<CalendarMemberSummary, 'size'> {
  ical: string;
}

const summaryColumns = [
  'id',
  'href_name as hrefName',
  'etag',
  'component_type as componentType',
  'updated_at as updatedAt',
  'revision',
] as const;
const memberColumns = [...summaryColumns, 'ical'] as const;

/** A member as the process's member index keeps it: its summary and the bounds of its series. */
export interface IndexedMember extends CalendarMemberSummary {
  /** Null: unknown or unbounded (see listMembersOverlapping). */
  seriesFirstStart: Date | null;
  seriesLastEnd: Date | null;
}

/** Every member of a calendar as the member index keeps it (app/calendar-member-index.ts). */
export async function listIndexedMembers(db: Executor, calendarId: string): Promise<IndexedMember[]> {
  return db
    .selectFrom('calendar_objects')
    .select([
      ...summaryColumns,
      sql<number>`octet_length(ical)`.as('size'),
      'series_first_start as seriesFirstStart',
      'series_last_end as seriesLastEnd',
    ])
    .where('calendar_id', '=', calendarId)
    .execute();
}

/**
 * The members of a calendar without their iCalendar text: a Depth-1 PROPFIND of thousands of
 * objects then moves a few dozen bytes per member instead of the whole object.
 */
export async function listMemberSummaries(
  db: Executor,
  calendarId: string,
  order: 'href_name' | 'revision' = 'href_name',
): Promise<CalendarMemberSummary[]> {
  return db
    .selectFrom('calendar_objects')
    .select([...summaryColumns, sql<number>`octet_length(ical)`.as('size')])
    .where('calendar_id', '=', calendarId)
    .$call((query) => (order === 'revision' ? query.orderBy('revision') : query))
    .orderBy('href_name')
    .execute();
}

export async function listMembers(
  db: Executor,
  calendarId: string,
  order: 'href_name' | 'revision' = 'href_name',
): Promise<CalendarMember[]> {
  return db
    .selectFrom('calendar_objects')
    .select(memberColumns)
    .where('calendar_id', '=', calendarId)
    .$call((query) => (order === 'revision' ? query.orderBy('revision') : query))
    .orderBy('href_name')
    .execute();
}

/** Every member at one of `hrefNames`, in one query (calendar-multiget must not loop per href). */
export async function findMembersByHrefs(
  db: Executor,
  calendarId: string,
  hrefNames: readonly string[],
): Promise<CalendarMember[]> {
  if (hrefNames.length === 0) return [];
  return db
    .selectFrom('calendar_objects')
    .select(memberColumns)
    .where('calendar_id', '=', calendarId)
    .where('href_name', 'in', hrefNames)
    .execute();
}

/**
 * Members whose whole series may touch [start, end): the derived bounds are a prefilter only, the
 * caller still expands and checks each occurrence. Null bounds mean "unknown/unbounded". Inclusive
 * at the end too: a VTODO due exactly at the range's end matches (RFC 4791 §9.9: end >= DUE).
 */
export async function listMembersOverlapping(
  db: Executor,
  filter: { ownerId: number; calendarId: string; start: Date; end: Date },
): Promise<CalendarMember[]> {
  return db
    .selectFrom('calendar_objects')
    .select(memberColumns)
    .where('owner_id', '=', filter.ownerId)
    .where((eb) => eb.or([eb('series_first_start', 'is', null), eb('series_first_start', '<=', filter.end)]))
    .where((eb) => eb.or([eb('series_last_end', 'is', null), eb('series_last_end', '>=', filter.start)]))
    .where('calendar_id', '=', filter.calendarId)
    .orderBy('series_first_start')
    .execute();
}
