import type { Kysely } from 'kysely';
import type { Database } from '../../src/storage/schema.ts';
import { alarm, calendar, event, fromNow, hour, icalUtc } from './ical-text.ts';
import { type StoredObject, storeObjectDirectly } from './stored-hostile.ts';

// The other user: a few ordinary events with alarms inside the reminder horizon, so pending
// reminder jobs exist. Whatever the hostile user does, these must stay exactly as they are.

function plainEvent(uid: string, summary: string, start: Date, extra: string[], alarms: string[]): string {
  const times = [`DTSTART:${icalUtc(start)}`, `DTEND:${icalUtc(new Date(start.getTime() + hour))}`];
  return calendar(event(uid, [...times, ...extra], alarms.map(alarm), summary));
}

/** Three events PUT over CalDAV: reminders due within the two-day horizon. */
export function bystanderEvents(now: Date): Array<{ name: string; ics: string }> {
  return [
    {
      name: 'bystander-meeting.ics',
      ics: plainEvent(
        'bystander-meeting@example.org',
        'Team meeting',
        fromNow(now, 24 * hour),
        [],
        ['-PT15M'],
      ),
    },
    {
      name: 'bystander-daily.ics',
      ics: plainEvent(
        'bystander-daily@example.org',
        'Stand-up',
        fromNow(now, 3 * hour),
        ['RRULE:FREQ=DAILY;COUNT=5'],
        ['-PT10M'],
      ),
    },
    {
      name: 'bystander-call.ics',
      ics: plainEvent(
        'bystander-call@example.org',
        'Call with Ana',
        fromNow(now, 30 * hour),
        [],
        ['-PT5M', '-PT1H'],
      ),
    },
  ];
}

/** Sorts after any random UUID: the hourly roll reaches it only after every hostile row. */
export const rollOnlyEventId = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

/**
 * An event an older version stored whose reminders were never planned: no job names it, so only
 * the hourly roll (walking every user's events by id, hostile ones first) can plan its reminder.
 */
export async function storeRollOnlyEvent(
  db: Kysely<Database>,
  userId: number,
  now: Date,
): Promise<StoredObject> {
  const start = fromNow(now, 20 * hour);
  const ics = plainEvent('bystander-dentist@example.org', 'Dentist', start, [], ['-PT30M']);
  return storeObjectDirectly(
    db,
    { userId, id: rollOnlyEventId, hrefName: 'bystander-dentist.ics', ics, start, rrule: null },
    { planByRollOnly: true },
  );
}

export interface BystanderState {
  /** ETag by object name. */
  etags: Record<string, string>;
  /** Row id by object name (reminder jobs are keyed by it). */
  ids: Record<string, string>;
  /** Pending 'reminder.send' jobs: id, dedupe key and due time. */
  pendingReminders: Array<{ id: number; key: string; runAt: string }>;
}

export async function readBystanderState(db: Kysely<Database>, userId: number): Promise<BystanderState> {
  const objects = await db
    .selectFrom('calendar_objects')
    .select(['id', 'href_name', 'etag'])
    .where('owner_id', '=', userId)
    .execute();
  const jobs = await db
    .selectFrom('outbox_messages')
    .select(['id', 'dedupe_key', 'run_at'])
    .where('kind', '=', 'reminder.send')
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  return {
    etags: Object.fromEntries(objects.map((o) => [o.href_name, o.etag])),
    ids: Object.fromEntries(objects.map((o) => [o.href_name, o.id])),
    pendingReminders: jobs.map((j) => ({ id: j.id, key: j.dedupe_key ?? '', runAt: j.run_at.toISOString() })),
  };
}

/** Statuses of the hourly reminder roll's runs ('done' once one finished). */
export async function reminderRollStatuses(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select('status')
    .where('kind', '=', 'reminders.roll-horizon')
    .execute();
  return rows.map((row) => row.status);
}
