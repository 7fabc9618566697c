import type { Kysely } from 'kysely';
import { strongEtag } from '../../src/domain/etag.ts';
import { insertObject } from '../../src/storage/repositories/calendar-object-repository.ts';
import { bumpSyncRevision, listCalendars } from '../../src/storage/repositories/calendar-repository.ts';
import { appendChange } from '../../src/storage/repositories/change-log-repository.ts';
import { enqueueMessages } from '../../src/storage/repositories/outbox-repository.ts';
import type { Database } from '../../src/storage/schema.ts';
import {
  alarm,
  calendar,
  day,
  event,
  fromNow,
  hour,
  icalLocal,
  icalUtc,
  repeat,
  timeZone,
} from './ical-text.ts';

// Objects an older version accepted and the new limits refuse. They are written straight into
// the database, as a write through CalendarService would have left them (object row, revision,
// change-log row, a 'calendar.object-changed' job), so every door and the worker meet them.

export interface StoredHostile {
  slug: string;
  title: string;
  finding: number;
  /** The text and where its series starts, relative to `now`. */
  build(uid: string, now: Date): { ics: string; start: Date; rrule: string | null; timeZone: string | null };
}

function zoneEvent(uid: string, now: Date, tzid: string, rrule: string) {
  const start = fromNow(now, day);
  const ics = calendar(
    timeZone(tzid, { dtstart: '16010101T000000', rrule }),
    event(uid, [
      `DTSTART;TZID=${tzid}:${icalLocal(start)}`,
      `DTEND;TZID=${tzid}:${icalLocal(fromNow(now, day + hour))}`,
    ]),
  );
  return { ics, start, rrule: null, timeZone: tzid };
}

export const storedHostile: readonly StoredHostile[] = [
  {
    slug: 'stored-rrule-secondly-x2000',
    title: '2,000 RRULE:FREQ=SECONDLY lines starting three months ago',
    finding: 3,
    build(uid, now) {
      const start = fromNow(now, -90 * day);
      const rules = repeat(2_000, () => 'RRULE:FREQ=SECONDLY');
      return {
        ics: calendar(event(uid, [`DTSTART:${icalUtc(start)}`, 'DURATION:PT1S', ...rules])),
        start,
        rrule: 'FREQ=SECONDLY',
        timeZone: null,
      };
    },
  },
  {
    slug: 'stored-rrule-secondly',
    title: 'one RRULE:FREQ=SECONDLY starting six months ago',
    finding: 3,
    build(uid, now) {
      const start = fromNow(now, -182 * day);
      return {
        ics: calendar(event(uid, [`DTSTART:${icalUtc(start)}`, 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY'])),
        start,
        rrule: 'FREQ=SECONDLY',
        timeZone: null,
      };
    },
  },
  {
    slug: 'stored-vtimezone-secondly',
    title: 'a VTIMEZONE observance repeating every second from 1601, referenced by the event',
    finding: 1,
    build: (uid, now) => zoneEvent(uid, now, 'Hostile/Seconds', 'FREQ=SECONDLY'),
  },
  {
    slug: 'stored-vtimezone-daily',
    title: 'a VTIMEZONE observance repeating daily from 1601, referenced by the event',
    finding: 1,
    build: (uid, now) => zoneEvent(uid, now, 'Hostile/Days', 'FREQ=DAILY'),
  },
  {
    slug: 'stored-valarm-x5000-minutely',
    title: '5,000 VALARMs on a FREQ=MINUTELY event',
    finding: 4,
    build(uid, now) {
      const start = fromNow(now, -day);
      const alarms = repeat(5_000, (i) => alarm(`-PT${i + 1}M`));
      return {
        ics: calendar(
          event(uid, [`DTSTART:${icalUtc(start)}`, 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY'], alarms),
        ),
        start,
        rrule: 'FREQ=MINUTELY',
        timeZone: null,
      };
    },
  },
  {
    slug: 'stored-duration-99999999999w',
    title: 'DURATION:P99999999999W',
    finding: 2,
    build(uid, now) {
      const start = fromNow(now, -day);
      return {
        ics: calendar(event(uid, [`DTSTART:${icalUtc(start)}`, 'DURATION:P99999999999W'])),
        start,
        rrule: null,
        timeZone: null,
      };
    },
  },
];

export interface StoredObject {
  hrefName: string;
  ics: string;
  etag: string;
}

/**
 * Writes one object as CalendarService.putObject would have: the revision bump, the row with its
 * index columns (open series bounds), the change-log row and, unless `planByRollOnly`, the job
 * that plans its reminders. `id` fixes the row's place in the hourly roll's id order.
 */
export async function storeObjectDirectly(
  db: Kysely<Database>,
  target: { userId: number; id: string; hrefName: string; ics: string; start: Date; rrule: string | null },
  options: { timeZone?: string | null; planByRollOnly?: boolean } = {},
): Promise<StoredObject> {
  const [calendarRow] = await listCalendars(db, target.userId);
  if (!calendarRow) throw new Error(`user ${target.userId} has no calendar`);
  const calendarId = calendarRow.id;
  const etag = strongEtag(target.ics);
  const uid = /^UID:(.*)$/m.exec(target.ics)?.[1]?.trim() ?? target.hrefName;
  await db.transaction().execute(async (trx) => {
    const revision = await bumpSyncRevision(trx, calendarId);
    await insertObject(trx, {
      id: target.id,
      calendar_id: calendarId,
      owner_id: target.userId,
      href_name: target.hrefName,
      uid,
      ical: target.ics,
      etag,
      component_type: 'VEVENT',
      summary: 'hostile',
      start_at: target.start,
      end_at: new Date(target.start.getTime() + hour),
      all_day: false,
      time_zone: options.timeZone ?? null,
      rrule: target.rrule,
      // A day of slack covers any zone offset; a null bound is open, as the index reads it.
      series_first_start: new Date(target.start.getTime() - day),
      series_last_end: null,
      status: null,
      sequence: 0,
      revision,
    });
    await appendChange(trx, { calendarId, revision, hrefName: target.hrefName, operation: 'created' });
    if (options.planByRollOnly) return;
    const change = {
      userId: target.userId,
      calendarId,
      revision,
      hrefName: target.hrefName,
      objectId: target.id,
      operation: 'created' as const,
    };
    await enqueueMessages(trx, [
      {
        kind: 'calendar.object-changed',
        payload: change,
        dedupeKey: `calendar.object-changed:${calendarId}:${revision}`,
        userId: target.userId,
      },
    ]);
  });
  return { hrefName: target.hrefName, ics: target.ics, etag };
}

/** Ids sorting before any random UUID, so the hourly roll meets the hostile rows first. */
function hostileId(i: number): string {
  return `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
}

/** Stores every object of `storedHostile` for `userId`. */
export async function storeHostileObjects(
  db: Kysely<Database>,
  userId: number,
  now: Date,
): Promise<Array<StoredObject & { slug: string; title: string }>> {
  const stored: Array<StoredObject & { slug: string; title: string }> = [];
  for (const [i, entry] of storedHostile.entries()) {
    const built = entry.build(`${entry.slug}@hostile.invalid`, now);
    const object = await storeObjectDirectly(
      db,
      {
        userId,
        id: hostileId(i),
        hrefName: `${entry.slug}.ics`,
        ics: built.ics,
        start: built.start,
        rrule: built.rrule,
      },
      { timeZone: built.timeZone },
    );
    stored.push({ ...object, slug: entry.slug, title: entry.title });
  }
  return stored;
}

/**
 * Makes the hourly reminder roll run again when the worker next starts (it enqueues the
 * current period's run when none is stored): the roll then walks the hostile rows too.
 */
export async function rerunReminderRoll(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('outbox_messages').where('kind', '=', 'reminders.roll-horizon').execute();
}
