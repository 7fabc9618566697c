import { type ExpressionBuilder, type Insertable, type SqlBool, sql, type Updateable } from 'kysely';
import type { CalendarRow, CalendarsTable, Database } from '../schema.ts';
import type { Executor } from '../transaction.ts';

/** A calendar with whether it follows an external feed, which makes it read-only (issue 13 item 5). */
export type CalendarWithAccess = CalendarRow & { read_only: SqlBool };

function followsFeed(eb: ExpressionBuilder<Database, 'calendars'>) {
  return eb
    .exists(
      eb
        .selectFrom('calendar_subscriptions')
        .select('calendar_subscriptions.calendar_id')
        .whereRef('calendar_subscriptions.calendar_id', '=', 'calendars.id'),
    )
    .as('read_only');
}

export async function listCalendars(db: Executor, ownerId: number): Promise<CalendarWithAccess[]> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .select(followsFeed)
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .execute();
}

export async function findCalendar(
  db: Executor,
  ownerId: number,
  calendarId: string,
): Promise<CalendarWithAccess | undefined> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .select(followsFeed)
    .where('owner_id', '=', ownerId)
    .where('id', '=', calendarId)
    .executeTakeFirst();
}

export async function findCalendarBySlug(
  db: Executor,
  ownerId: number,
  slug: string,
): Promise<CalendarWithAccess | undefined> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .select(followsFeed)
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
): Promise<CalendarWithAccess | undefined> {
  return db
    .updateTable('calendars')
    .set(changes)
    .where('owner_id', '=', ownerId)
    .where('id', '=', calendarId)
    .returningAll()
    .returning(followsFeed)
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

export async function countCalendars(db: Executor, ownerId: number): Promise<number> {
  const row = await db
    .selectFrom('calendars')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Takes the calendar-creation lock of one owner until the transaction ends, so two concurrent
 * MKCALENDARs cannot both pass the per-user limit.
 */
export async function lockOwnerCalendars(db: Executor, ownerId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`calendars-of:${ownerId}`}))`.execute(db);
}

/**
 * Deletes a calendar with everything that hangs on it: its objects and change log (foreign keys
 * with on delete cascade), and the still pending jobs about its objects (reminders and
 * re-planning), which would otherwise wake up for events that are gone. Run inside a transaction.
 */
export async function deleteCalendarWithContents(
  db: Executor,
  ownerId: number,
  calendarId: string,
): Promise<boolean> {
  const objectIds = db
    .selectFrom('calendar_objects')
    .select(sql<string>`id::text`.as('id'))
    .where('calendar_id', '=', calendarId);
  await db
    .updateTable('outbox_messages')
    .set({ status: 'cancelled' })
    .where('user_id', '=', ownerId)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'reminder.send'), eb(sql<string>`payload->>'objectId'`, 'in', objectIds)]),
        eb.and([
          eb('kind', '=', 'calendar.object-changed'),
          eb(sql<string>`payload->>'calendarId'`, '=', calendarId),
        ]),
      ]),
    )
    .execute();
  const deleted = await db
    .deleteFrom('calendars')
    .where('owner_id', '=', ownerId)
    .where('id', '=', calendarId)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
