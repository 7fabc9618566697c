import { type Insertable, type SqlBool, sql, type Updateable } from 'kysely';
import { compiledOnce } from '../compiled-once.ts';
import type { CalendarRow, CalendarsTable } from '../schema.ts';
import type { Executor } from '../transaction.ts';

/** What a user may do with a calendar: it is theirs, or shared with them to read or to write (issue 14). */
export type CalendarAccess = 'owner' | 'write' | 'read';

/**
 * A calendar as one user sees it: their access, its last path segment in their calendar home
 * (a sharee's own name for it, else the owner's slug) and whether it is read-only to them (it
 * follows an external feed, issue 13 item 5, or it is shared with them to read).
 */
export type CalendarWithAccess = CalendarRow & {
  access: CalendarAccess;
  /** The user it was read for: whose calendar home it appears in. */
  home_user_id: number;
  home_slug: string;
  read_only: SqlBool;
  /** For a calendar shared with the user, the name its owner goes by; null for their own. */
  shared_by: string | null;
};

/**
 * The one place that decides which calendars a user may see (docs/architecture.md#isolation-between-users):
 * their own and those shared with them and accepted. Everything that reads a calendar for a user
 * starts here, so a share revoked or not yet accepted is the same as a calendar that does not exist.
 */
function visibleCalendars(db: Executor, userId: number) {
  // Two branches, each on its own index (calendars by owner; shares by sharee): a filter on the
  // union (an id, a slug) is pushed into both, so a CalDAV request never scans all calendars.
  const own = db
    .selectFrom('calendars')
    .selectAll('calendars')
    .select([
      sql<CalendarAccess>`'owner'::text`.as('access'),
      sql<number>`${userId}::bigint`.as('home_user_id'),
      'calendars.slug as home_slug',
      sql<string | null>`null::text`.as('shared_by'),
      sql<SqlBool>`exists (select 1 from calendar_subscriptions f where f.calendar_id = calendars.id)`.as(
        'read_only',
      ),
    ])
    .where('calendars.owner_id', '=', userId);
  const shared = db
    .selectFrom('calendar_shares as share')
    .innerJoin('calendars', 'calendars.id', 'share.calendar_id')
    .innerJoin('users as owner', 'owner.telegram_id', 'calendars.owner_id')
    .selectAll('calendars')
    .select([
      sql<CalendarAccess>`share.access`.as('access'),
      sql<number>`${userId}::bigint`.as('home_user_id'),
      'share.slug as home_slug',
      sql<
        string | null
      >`coalesce(nullif(owner.first_name, ''), '@' || owner.username, owner.telegram_id::text)`.as(
        'shared_by',
      ),
      sql<SqlBool>`(share.access = 'read' or exists (select 1 from calendar_subscriptions f where f.calendar_id = calendars.id))`.as(
        'read_only',
      ),
    ])
    .where('share.sharee_id', '=', userId)
    .where('share.status', '=', 'accepted');
  return db.selectFrom(own.unionAll(shared).as('calendars')).selectAll();
}

/**
 * The ids of the calendars a user sees (their own and accepted shares), as a subquery for object
 * reads across calendars: agenda, search, tasks, an event by id.
 */
export function visibleCalendarIds(db: Executor, userId: number) {
  return db
    .selectFrom('calendars')
    .select('calendars.id')
    .where('calendars.owner_id', '=', userId)
    .union(
      db
        .selectFrom('calendar_shares')
        .select('calendar_shares.calendar_id as id')
        .where('calendar_shares.sharee_id', '=', userId)
        .where('calendar_shares.status', '=', 'accepted'),
    );
}

/** The user's own calendars first, then those shared with them, each by creation. */
export async function listCalendars(db: Executor, userId: number): Promise<CalendarWithAccess[]> {
  return visibleCalendars(db, userId)
    .orderBy(sql`calendars.owner_id = ${userId}`, 'desc')
    .orderBy('calendars.created_at')
    .execute();
}

export async function findCalendar(
  db: Executor,
  userId: number,
  calendarId: string,
): Promise<CalendarWithAccess | undefined> {
  return visibleCalendars(db, userId).where('calendars.id', '=', calendarId).executeTakeFirst();
}

/** The calendar (at most one) whose last path segment in the user's calendar home is `slug`. */
export function calendarsInHome(db: Executor, userId: number, slug: string) {
  return visibleCalendars(db, userId).where('calendars.home_slug', '=', slug);
}

// Every CalDAV request on a calendar starts here: built and compiled once (storage/compiled-once.ts).
const calendarBySlug = compiledOnce<[number, string], CalendarWithAccess>(
  (db, userId, slug) => calendarsInHome(db, userId, slug),
  2,
);

export async function findCalendarBySlug(
  db: Executor,
  userId: number,
  slug: string,
): Promise<CalendarWithAccess | undefined> {
  return (await calendarBySlug(db, userId, slug))[0];
}

/** The user's own calendars only: what they alone may rename, share or delete. */
export async function listOwnCalendars(db: Executor, ownerId: number): Promise<CalendarRow[]> {
  return db
    .selectFrom('calendars')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .execute();
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
    .returning('id')
    .executeTakeFirst()
    .then((row) => row && findCalendar(db, ownerId, row.id));
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

/** The calendar's sync revision as this transaction sees it (after its own bump, say). */
export async function currentSyncRevision(db: Executor, calendarId: string): Promise<number> {
  const row = await db
    .selectFrom('calendars')
    .select('sync_revision')
    .where('id', '=', calendarId)
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
