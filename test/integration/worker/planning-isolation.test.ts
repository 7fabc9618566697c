import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRemindersPerEvent, maxRemindersPerUser } from '../../../src/app/reminder-planning.ts';
import { insertObject } from '../../../src/storage/repositories/calendar-object-repository.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import type { OutboxMessageRow } from '../../../src/storage/schema.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

// Stored data that today's limits on incoming iCalendar would refuse (hundreds of VALARMs, a
// dense hourly series, a broken RRULE) is written straight through the repository, as objects stored
// before those limits were. The worker must plan around it on its own (docs/worker-delivery.md#isolation).

const minute = 60_000;
const hostile = 9201;
const bystander = 9202;
const busy = 9203;
const plain = 9204;
/** Sorts before any random UUID: the roll meets the broken event first. */
const brokenId = '00000000-0000-4000-8000-000000000001';

function icsTime(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function eventText(uid: string, start: Date, options: { rrule?: string; alarmMinutes: number[] }): string {
  const alarms = options.alarmMinutes.map(
    (m) => `BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:r\r\nTRIGGER:-PT${m}M\r\nEND:VALARM\r\n`,
  );
  return [
    'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//hostile//EN\r\nBEGIN:VEVENT\r\n',
    `UID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Secret plans ${uid}\r\n`,
    `DTSTART:${icsTime(start)}\r\nDTEND:${icsTime(new Date(start.getTime() + 30 * minute))}\r\n`,
    options.rrule ? `RRULE:${options.rrule}\r\n` : '',
    ...alarms,
    'END:VEVENT\r\nEND:VCALENDAR\r\n',
  ].join('');
}

/** Lines a pino logger wrote, parsed. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe(`reminder planning isolates bad stored data [${testEngine}]`, () => {
  let test: WorkerTest;
  let rolls = 0;
  const log = capturedLogger();

  beforeAll(async () => {
    test = await openWorkerTest({ logger: log.logger });
    for (const telegramId of [hostile, bystander, busy, plain]) {
      await test.services.accounts.ensureUser({ telegramId, timeZone: 'UTC' });
    }
    test.start({ workerId: 'planning' });
  });
  afterAll(async () => {
    await test.close();
  });

  /** Stores `text` as the user's event without the service's checks; returns its id. */
  async function storeRaw(userId: number, uid: string, start: Date, text: string, id?: string) {
    const calendar = await test.services.calendars.defaultCalendar(userId);
    const recurring = /RRULE:/.test(text);
    const row = await insertObject(test.database.db, {
      ...(id ? { id } : {}),
      calendar_id: calendar.id,
      owner_id: userId,
      href_name: `${uid}.ics`,
      uid,
      ical: text,
      etag: `"${uid}"`,
      component_type: 'VEVENT',
      summary: `Secret plans ${uid}`,
      start_at: start,
      end_at: new Date(start.getTime() + 30 * minute),
      series_first_start: start,
      series_last_end: recurring ? null : new Date(start.getTime() + 30 * minute),
      rrule: null,
      status: null,
      all_day: false,
      sequence: 0,
      revision: 1,
    });
    return row.id;
  }

  function startIn(minutes: number): Date {
    return new Date(Math.ceil((test.clock.now().getTime() + minutes * minute) / minute) * minute);
  }

  async function roll(): Promise<OutboxMessageRow> {
    rolls += 1;
    await enqueueMessages(test.database.db, [
      { kind: 'reminders.roll-horizon', payload: {}, dedupeKey: `roll-${rolls}` },
    ]);
    const rows = await drained(test, 'reminders.roll-horizon');
    const row = rows.find((r) => r.dedupe_key === `roll-${rolls}`);
    if (!row) throw new Error('roll job missing');
    return row;
  }

  async function pendingReminders(filter: { userId?: number; objectId?: string }) {
    const rows = await jobsOf(test, 'reminder.send');
    return rows.filter(
      (r) =>
        r.status === 'pending' &&
        (filter.userId === undefined || r.user_id === filter.userId) &&
        (filter.objectId === undefined || r.dedupe_key?.startsWith(`reminder:${filter.objectId}:`)),
    );
  }

  async function counter(name: string, labels: Record<string, string>): Promise<number> {
    const metric = test.metrics.registry.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    const match = values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
    return match?.value ?? 0;
  }

  it("plans another user's 20 reminders in the same roll that meets a broken event and a 200-VALARM hourly one", async () => {
    const failuresBefore = await counter('televent_worker_planning_failures_total', { planner: 'reminders' });
    // Far enough ahead that no reminder of it is due during the test (none is sent meanwhile).
    const start = startIn(240);
    const brokenText = eventText('broken', start, { rrule: 'FREQ=FOO', alarmMinutes: [10] });
    await storeRaw(hostile, 'broken', start, brokenText, brokenId);
    const alarms = Array.from({ length: 200 }, (_, i) => i + 1);
    const flood = await storeRaw(
      hostile,
      'flood',
      start,
      eventText('flood', start, { rrule: 'FREQ=HOURLY', alarmMinutes: alarms }),
    );
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      const eventStart = startIn(60 + i * 5);
      await storeRaw(
        bystander,
        `own-${i}`,
        eventStart,
        eventText(`own-${i}`, eventStart, { alarmMinutes: [15] }),
      );
      expected.push(new Date(eventStart.getTime() - 15 * minute).toISOString());
    }

    const job = await roll();

    expect(job.status).toBe('done');
    expect(job.attempts).toBe(1);
    const own = await pendingReminders({ userId: bystander });
    expect(own.map((r) => r.run_at.toISOString()).sort()).toEqual(expected.sort());
    // Thousands of (occurrence, trigger) pairs become one event's cap of jobs.
    expect(await pendingReminders({ objectId: flood })).toHaveLength(maxRemindersPerEvent);
    expect(await pendingReminders({ objectId: brokenId })).toHaveLength(0);
    expect(await counter('televent_worker_planning_failures_total', { planner: 'reminders' })).toBe(
      failuresBefore + 1,
    );

    const skipped = log.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'event skipped by the reminder roll');
    expect(skipped).toMatchObject({ objectId: brokenId, userId: hostile });
    expect(skipped.error).toContain('FOO');
  });

  it('keeps the earliest reminders of an event over the per-event cap and counts the rest', async () => {
    const cappedBefore = await counter('televent_reminders_capped_total', { cap: 'event' });
    // An hourly series with three alarms: about 144 reminders in the two-day horizon.
    const start = startIn(60);
    const offsets = [10, 20, 30];
    const id = await storeRaw(
      plain,
      'hourly',
      start,
      eventText('hourly', start, { rrule: 'FREQ=HOURLY', alarmMinutes: offsets }),
    );

    await roll();

    const fireTimes = Array.from({ length: 60 }, (_, hour) =>
      offsets.map((m) => start.getTime() + hour * 3_600_000 - m * minute),
    )
      .flat()
      .sort((a, b) => a - b);
    const kept = await pendingReminders({ objectId: id });
    expect(kept.map((r) => r.run_at.getTime()).sort((a, b) => a - b)).toEqual(
      fireTimes.slice(0, maxRemindersPerEvent),
    );
    expect(await counter('televent_reminders_capped_total', { cap: 'event' })).toBeGreaterThan(cappedBefore);
    const warning = log.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'reminders over the cap were not planned' && l.objectId === id);
    expect(warning).toMatchObject({ userId: plain, kept: maxRemindersPerEvent });
    expect(warning.reminders).toBeGreaterThan(maxRemindersPerEvent);
  });

  it('caps a user with many events at the per-user limit, stably across rolls', async () => {
    const cappedBefore = await counter('televent_reminders_capped_total', { cap: 'user' });
    // Eleven hourly events with three alarms (~144 reminders each in the two-day horizon): each is
    // capped at 100 reminders, together at 1,000.
    const events = maxRemindersPerUser / maxRemindersPerEvent + 1;
    for (let i = 0; i < events; i++) {
      const start = startIn(30);
      await storeRaw(
        busy,
        `busy-${i}`,
        start,
        eventText(`busy-${i}`, start, { rrule: 'FREQ=HOURLY', alarmMinutes: [5, 10, 15] }),
      );
    }

    await roll();
    const first = await pendingReminders({ userId: busy });
    expect(first).toHaveLength(maxRemindersPerUser);
    expect(await counter('televent_reminders_capped_total', { cap: 'user' })).toBe(
      cappedBefore + maxRemindersPerEvent,
    );

    // The next roll plans the same 1,000: an event's own jobs never count against itself.
    await roll();
    const second = await pendingReminders({ userId: busy });
    expect(second.map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort());
  });

  it('fails the change job of a broken event with a short error and logs no calendar text', async () => {
    await enqueueMessages(test.database.db, [
      {
        kind: 'calendar.object-changed',
        payload: {
          userId: hostile,
          calendarId: (await test.services.calendars.defaultCalendar(hostile)).id,
          revision: 1,
          hrefName: 'broken.ics',
          objectId: brokenId,
          operation: 'modified',
        },
        dedupeKey: 'broken-changed',
      },
    ]);
    const rows = await drained(test, 'calendar.object-changed');
    const failed = rows.find((r) => r.dedupe_key === 'broken-changed');
    expect(failed?.status).toBe('failed');
    expect(failed?.last_error).toContain(brokenId);
    expect(failed?.last_error?.length).toBeLessThanOrEqual(500);

    expect(log.lines.length).toBeGreaterThan(0);
    for (const line of log.lines) {
      expect(line).not.toContain('BEGIN:V');
      expect(line).not.toContain('Secret plans');
      expect(line.length).toBeLessThan(4_000);
    }
  });
});
