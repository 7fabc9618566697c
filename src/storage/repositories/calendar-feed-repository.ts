import type { CalendarObjectRow, CalendarRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';

export interface CalendarFeedRow {
  calendarId: string;
  tokenHash: string;
  createdAt: Date;
}

/** Stores the feed secret's hash for a calendar, replacing any earlier one (rotation). */
export async function replaceCalendarFeed(
  db: Executor,
  calendarId: string,
  tokenHash: string,
): Promise<CalendarFeedRow> {
  return db
    .insertInto('calendar_feeds')
    .values({ calendar_id: calendarId, token_hash: tokenHash })
    .onConflict((oc) =>
      oc.column('calendar_id').doUpdateSet((eb) => ({
        token_hash: eb.ref('excluded.token_hash'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .returning(['calendar_id as calendarId', 'token_hash as tokenHash', 'created_at as createdAt'])
    .executeTakeFirstOrThrow();
}

export async function deleteCalendarFeed(db: Executor, calendarId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('calendar_feeds')
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The feed with this secret hash and its calendar, if the secret is current. */
export async function findCalendarByFeedHash(
  db: Executor,
  tokenHash: string,
): Promise<{ feed: CalendarFeedRow; calendar: CalendarRow } | undefined> {
  const feed = await db
    .selectFrom('calendar_feeds')
    .select(['calendar_id as calendarId', 'token_hash as tokenHash', 'created_at as createdAt'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!feed) return undefined;
  const calendar = await db
    .selectFrom('calendars')
    .selectAll()
    .where('id', '=', feed.calendarId)
    .executeTakeFirst();
  return calendar && { feed, calendar };
}

/** The stored objects of one calendar of one kind (VEVENT for a feed), in start order. */
export async function listCalendarObjectsOfKind(
  db: Executor,
  calendarId: string,
  componentType: string,
): Promise<CalendarObjectRow[]> {
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .where('component_type', '=', componentType)
    .orderBy('series_first_start')
    .execute();
}
