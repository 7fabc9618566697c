import { type Insertable, sql, type Updateable } from 'kysely';
import type { CalendarShareRow, CalendarSharesTable } from '../schema.ts';
import type { Executor } from '../transaction.ts';

/** A share with the names people recognise it by: the calendar's, its owner's and its sharee's. */
export type ShareWithNames = CalendarShareRow & {
  calendar_name: string;
  calendar_color: string | null;
  owner_first_name: string | null;
  owner_username: string | null;
  sharee_first_name: string | null;
  sharee_username: string | null;
};

function sharesWithNames(db: Executor) {
  return db
    .selectFrom('calendar_shares as s')
    .innerJoin('calendars as c', 'c.id', 's.calendar_id')
    .innerJoin('users as owner', 'owner.telegram_id', 's.owner_id')
    .leftJoin('users as sharee', 'sharee.telegram_id', 's.sharee_id')
    .selectAll('s')
    .select([
      'c.name as calendar_name',
      'c.color as calendar_color',
      'owner.first_name as owner_first_name',
      'owner.username as owner_username',
      'sharee.first_name as sharee_first_name',
      'sharee.username as sharee_username',
    ]);
}

/** The shares of one calendar, oldest first (its owner's list). */
export async function listSharesOfCalendar(db: Executor, calendarId: string): Promise<ShareWithNames[]> {
  return sharesWithNames(db).where('s.calendar_id', '=', calendarId).orderBy('s.created_at').execute();
}

/** What is shared with a user, pending and accepted, oldest first. */
export async function listSharesWithUser(db: Executor, shareeId: number): Promise<ShareWithNames[]> {
  return sharesWithNames(db).where('s.sharee_id', '=', shareeId).orderBy('s.created_at').execute();
}

export async function findShareWithNames(db: Executor, shareId: string): Promise<ShareWithNames | undefined> {
  return sharesWithNames(db).where('s.id', '=', shareId).executeTakeFirst();
}

/** The unclaimed invitation a link's secret (by its SHA-256) names, locked for the claim. */
export async function findInviteForUpdate(
  db: Executor,
  tokenHash: string,
): Promise<CalendarShareRow | undefined> {
  return db
    .selectFrom('calendar_shares')
    .selectAll()
    .where('invite_token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function findShareOf(
  db: Executor,
  calendarId: string,
  shareeId: number,
): Promise<CalendarShareRow | undefined> {
  return db
    .selectFrom('calendar_shares')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .where('sharee_id', '=', shareeId)
    .executeTakeFirst();
}

export async function countSharesOfCalendar(db: Executor, calendarId: string): Promise<number> {
  const row = await db
    .selectFrom('calendar_shares')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('calendar_id', '=', calendarId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertShare(
  db: Executor,
  share: Insertable<CalendarSharesTable>,
): Promise<CalendarShareRow> {
  return db.insertInto('calendar_shares').values(share).returningAll().executeTakeFirstOrThrow();
}

export async function updateShare(
  db: Executor,
  shareId: string,
  changes: Updateable<CalendarSharesTable>,
): Promise<CalendarShareRow | undefined> {
  return db
    .updateTable('calendar_shares')
    .set(changes)
    .where('id', '=', shareId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteShare(db: Executor, shareId: string): Promise<boolean> {
  const result = await db.deleteFrom('calendar_shares').where('id', '=', shareId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Telegram users by @username (case-insensitive, as Telegram treats them); only those who started the bot exist. */
export async function findUserIdByUsername(db: Executor, username: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('users')
    .select('telegram_id')
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  return row?.telegram_id;
}
