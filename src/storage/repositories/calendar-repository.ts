import type { Insertable, Updateable } from 'kysely';
import type { CalendarRow, CalendarsTable } from '../schema.ts';
import type { Executor } from '../transaction.ts';

export async function listCalendars(db: Executor, ownerId: number): Promise<CalendarRow[]> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .execute();
}

export async function findCalendar(
  db: Executor,
  ownerId: number,
  calendarId: string,
): Promise<CalendarRow | undefined> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('id', '=', calendarId)
    .executeTakeFirst();
}

export async function findCalendarBySlug(
  db: Executor,
  ownerId: number,
  slug: string,
): Promise<CalendarRow | undefined> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function insertCalendar(
  db: Executor,
  calendar: Insertable<CalendarsTable>,
): Promise<CalendarRow> {
  return db.insertInto('calendars').values(calendar).returningAll().executeTakeFirstOrThrow();
}

export async function updateCalendar(
  db: Executor,
  ownerId: number,
  calendarId: string,
  changes: Updateable<CalendarsTable>,
): Promise<CalendarRow | undefined> {
  return db
    .updateTable('calendars')
    .set(changes)
    .where('owner_id', '=', ownerId)
    .where('id', '=', calendarId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Moves the calendar to its next sync revision and returns it. The row lock this takes also
 * orders concurrent writers to one calendar, so revisions and change-log rows never interleave.
 */
export async function bumpSyncRevision(db: Executor, calendarId: string): Promise<number> {
  const row = await db
    .updateTable('calendars')
    .set((eb) => ({ sync_revision: eb('sync_revision', '+', 1) }))
    .where('id', '=', calendarId)
    .returning('sync_revision')
    .executeTakeFirstOrThrow();
  return row.sync_revision;
}
