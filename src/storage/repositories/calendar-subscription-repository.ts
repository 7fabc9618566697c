import type { Insertable, Updateable } from 'kysely';
import type { CalendarSubscriptionRow, CalendarSubscriptionsTable } from '../schema.ts';
import type { Executor } from '../transaction.ts';

export async function insertCalendarSubscription(
  db: Executor,
  subscription: Insertable<CalendarSubscriptionsTable>,
): Promise<void> {
  await db.insertInto('calendar_subscriptions').values(subscription).execute();
}

/** The subscriptions of one user's calendars (REST listings). */
export async function listUserSubscriptions(
  db: Executor,
  ownerId: number,
): Promise<CalendarSubscriptionRow[]> {
  return db
    .selectFrom('calendar_subscriptions as s')
    .innerJoin('calendars as c', 'c.id', 's.calendar_id')
    .selectAll('s')
    .where('c.owner_id', '=', ownerId)
    .execute();
}

/** A subscription with its calendar's owner and name; `forUpdate` locks it for one fetch's bookkeeping. */
export async function findSubscription(
  db: Executor,
  calendarId: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .selectFrom('calendar_subscriptions as s')
    .innerJoin('calendars as c', 'c.id', 's.calendar_id')
    .selectAll('s')
    .select(['c.owner_id as owner_id', 'c.name as calendar_name'])
    .where('s.calendar_id', '=', calendarId);
  return (options.forUpdate ? query.forUpdate('s') : query).executeTakeFirst();
}

export async function updateSubscription(
  db: Executor,
  calendarId: string,
  changes: Updateable<CalendarSubscriptionsTable>,
): Promise<void> {
  await db.updateTable('calendar_subscriptions').set(changes).where('calendar_id', '=', calendarId).execute();
}

/** Subscriptions whose next fetch is due, soonest first. */
export async function listDueSubscriptions(
  db: Executor,
  now: Date,
  limit: number,
): Promise<Array<{ calendarId: string; ownerId: number; nextFetchAt: Date }>> {
  return db
    .selectFrom('calendar_subscriptions as s')
    .innerJoin('calendars as c', 'c.id', 's.calendar_id')
    .select(['s.calendar_id as calendarId', 'c.owner_id as ownerId', 's.next_fetch_at as nextFetchAt'])
    .where('s.next_fetch_at', '<=', now)
    .orderBy('s.next_fetch_at')
    .limit(limit)
    .execute();
}

/** What the feed follower compares a new feed with: every object's UID, name, ETag and text. */
export async function listObjectsForFeed(
  db: Executor,
  calendarId: string,
): Promise<Array<{ uid: string; href_name: string; etag: string; ical: string }>> {
  return db
    .selectFrom('calendar_objects')
    .select(['uid', 'href_name', 'etag', 'ical'])
    .where('calendar_id', '=', calendarId)
    .execute();
}
