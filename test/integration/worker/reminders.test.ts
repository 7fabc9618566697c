import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import type { OutboxMessageRow } from '../../../src/storage/schema.ts';
import { startWorker, type WorkerHandle } from '../../../src/worker/run-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, eventually, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

const minute = 60_000;
let nextUser = 3001;

describe(`reminders [${testEngine}]`, () => {
  let test: WorkerTest;
  let worker: WorkerHandle;
  let user: number;

  beforeAll(async () => {
    test = await openWorkerTest();
    worker = test.start({ workerId: 'reminders' });
  });
  afterAll(async () => {
    await worker.stop();
    await test.close();
  });
  beforeEach(async () => {
    user = nextUser++;
    await test.services.accounts.ensureUser({ telegramId: user, timeZone: 'Europe/Berlin' });
  });

  async function remindersOf(eventId: string): Promise<OutboxMessageRow[]> {
    await drained(test, 'calendar.object-changed');
    return (await jobsOf(test, 'reminder.send')).filter((r) =>
      r.dedupe_key?.startsWith(`reminder:${eventId}:`),
    );
  }

  function pendingTimes(rows: OutboxMessageRow[]): string[] {
    return rows.filter((r) => r.status === 'pending').map((r) => r.run_at.toISOString());
  }

  async function createIn(minutesAhead: number, reminders?: number[]) {
    const start = new Date(Math.ceil((test.clock.now().getTime() + minutesAhead * minute) / minute) * minute);
    const event = await test.services.calendars.createEvent(user, {
      summary: 'Dentist',
      start,
      end: new Date(start.getTime() + 30 * minute),
      ...(reminders ? { reminders } : {}),
    });
    return { event, start };
  }

  it('sends a reminder at its VALARM trigger with Snooze and Open buttons, exactly once', async () => {
    const { event, start } = await createIn(60, [15]);
    const fireAt = new Date(start.getTime() - 15 * minute);
    expect(pendingTimes(await remindersOf(event.id))).toEqual([fireAt.toISOString()]);

    test.clock.set(new Date(fireAt.getTime() + 2_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.text).toContain('⏰ <b>Dentist</b>');
    expect(message.parse_mode).toBe('HTML');
    const localTime = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(start);
    expect(message.plain_text).toContain(`, ${localTime} (in 15 min)`);
    expect(message.text).not.toContain('late');
    expect(message.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Snooze 10 min', callback_data: `snooze:${event.id}:${start.getTime() / 1000}` },
          { text: 'Open', callback_data: `open:${event.id}` },
          { text: 'Edit', callback_data: `edo:${event.id}:${start.getTime() / 1000}` },
        ],
      ],
    });
    const [job] = await eventually(async () => {
      const rows = await remindersOf(event.id);
      return rows[0]?.status === 'done' ? rows : undefined;
    });
    expect(job?.attempts).toBe(1);

    // Planning again (an unrelated edit, the hourly roll) does not remind twice.
    await test.services.calendars.updateEvent(user, event.id, { description: 'Bring the card' });
    await enqueueMessages(test.database.db, [
      { kind: 'reminders.roll-horizon', payload: {}, dedupeKey: `roll-${user}` },
    ]);
    await drained(test, 'reminders.roll-horizon');
    const rows = await remindersOf(event.id);
    expect(rows.map((r) => r.status)).toEqual(['done']);
    expect(test.telegram.sentMessages(user)).toHaveLength(1);
    test.clock.offsetMs = 0;
  });

  it('moves the pending reminder when the event moves and removes it when the event is deleted', async () => {
    const { event, start } = await createIn(120, [10]);
    expect(pendingTimes(await remindersOf(event.id))).toEqual([
      new Date(start.getTime() - 10 * minute).toISOString(),
    ]);

    const later = new Date(start.getTime() + 60 * minute);
    await test.services.calendars.updateEvent(user, event.id, {
      start: later,
      end: new Date(later.getTime() + 30 * minute),
    });
    const moved = await remindersOf(event.id);
    expect(pendingTimes(moved)).toEqual([new Date(later.getTime() - 10 * minute).toISOString()]);
    expect(moved.filter((r) => r.status === 'cancelled')).toHaveLength(1);

    await test.services.calendars.updateEvent(user, event.id, { reminders: [30, 5] });
    expect(pendingTimes(await remindersOf(event.id))).toEqual([
      new Date(later.getTime() - 30 * minute).toISOString(),
      new Date(later.getTime() - 5 * minute).toISOString(),
    ]);

    await test.services.calendars.deleteEvent(user, event.id);
    expect(pendingTimes(await remindersOf(event.id))).toEqual([]);
  });

  it("uses the user's default reminder for an event without alarms, per occurrence of a recurring one", async () => {
    await test.services.preferences.updatePreferences(user, { defaultReminderMinutes: 5 });
    const start = new Date(Math.ceil((test.clock.now().getTime() + 60 * minute) / minute) * minute);
    const event = await test.services.calendars.createEvent(user, {
      summary: 'Daily walk',
      start,
      end: new Date(start.getTime() + 30 * minute),
      rrule: 'FREQ=DAILY',
    });
    const times = pendingTimes(await remindersOf(event.id));
    // The 48-hour horizon holds two occurrences (the third starts 49 h from now).
    expect(times).toEqual(
      [0, 1].map((d) => new Date(start.getTime() + d * 86_400_000 - 5 * minute).toISOString()),
    );
  });

  it('still sends a reminder late by less than the grace, marked late, and skips older ones', async () => {
    const { event: lateEvent, start: lateStart } = await createIn(30, [20]);
    const { event: staleEvent } = await createIn(60, [58]);
    await remindersOf(lateEvent.id);
    // Downtime: the clock jumps to 5 min after the first trigger and about 13 min after the second.
    test.clock.set(new Date(lateStart.getTime() - 15 * minute));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.text).toContain('(late by 5 min)');
    const stale = await eventually(async () => {
      const rows = await remindersOf(staleEvent.id);
      return rows[0]?.status === 'done' ? rows : undefined;
    });
    expect(stale).toHaveLength(1);
    expect(test.telegram.sentMessages(user)).toHaveLength(1);
    // Reminder lateness for the operator (/metrics): the late one sent (~5 min), the stale one skipped (~13 min).
    const lateness = await test.metrics.registry.getSingleMetricAsString(
      'televent_reminder_lateness_seconds',
    );
    const bucket = (le: string, outcome: string) =>
      Number(new RegExp(`_bucket\\{le="${le}",outcome="${outcome}"\\} (\\d+)`).exec(lateness)?.[1]);
    expect(bucket('600', 'sent') - bucket('60', 'sent')).toBe(1); // the one 5 min late
    expect(bucket('600', 'skipped')).toBe(0);
    expect(bucket('1800', 'skipped')).toBe(1); // the one 13 min late, beyond the grace
    test.clock.offsetMs = 0;
  });

  it('fails at once when the user blocked the bot and honours retry_after on 429', async () => {
    const { event, start } = await createIn(60, [10]);
    await remindersOf(event.id);
    test.telegram.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    const fireAt = new Date(start.getTime() - 10 * minute);
    test.clock.set(fireAt);
    const retried = await eventually(async () => {
      const [row] = await remindersOf(event.id);
      return row?.attempts === 1 && row.status === 'pending' ? row : undefined;
    });
    expect(retried.last_error).toContain('429');
    expect(Math.round((retried.run_at.getTime() - fireAt.getTime()) / 1000)).toBeGreaterThanOrEqual(7);

    test.telegram.block(user);
    test.clock.set(retried.run_at);
    const failed = await eventually(async () => {
      const [row] = await remindersOf(event.id);
      return row?.status === 'failed' ? row : undefined;
    });
    test.telegram.unblock(user);
    expect(failed.attempts).toBe(2);
    expect(failed.last_error).toContain('403');
    test.clock.offsetMs = 0;
  });
});

describe(`reminders with an https PUBLIC_URL [${testEngine}]`, () => {
  let test: WorkerTest;
  let worker: WorkerHandle;

  beforeAll(async () => {
    test = await openWorkerTest();
    // The same worker as in production, told the address people reach the server at.
    worker = startWorker({
      services: test.services,
      config: { ...test.config, PUBLIC_URL: 'https://cal.example.org' },
      logger: createLogger('silent'),
      metrics: test.metrics,
      options: {
        now: test.clock.now,
        pollIntervalMs: 20,
        maintenanceIntervalMs: 0,
        schedulePeriodicJobs: false,
      },
    });
  });
  afterAll(async () => {
    await worker.stop();
    await test.close();
  });

  it('makes [Open] a Web App button that opens this occurrence in the Mini App', async () => {
    const user = nextUser++;
    await test.services.accounts.ensureUser({ telegramId: user, timeZone: 'Europe/Berlin' });
    const start = new Date(Math.ceil((test.clock.now().getTime() + 60 * minute) / minute) * minute);
    const event = await test.services.calendars.createEvent(user, {
      summary: 'Dentist',
      start,
      end: new Date(start.getTime() + 30 * minute),
      reminders: [15],
    });
    await drained(test, 'calendar.object-changed');
    test.clock.set(new Date(start.getTime() - 15 * minute + 2_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    const at = encodeURIComponent(start.toISOString());
    expect(message.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Snooze 10 min', callback_data: `snooze:${event.id}:${start.getTime() / 1000}` },
          { text: 'Open', web_app: { url: `https://cal.example.org/app/?event=${event.id}&at=${at}` } },
          { text: 'Edit', callback_data: `edo:${event.id}:${start.getTime() / 1000}` },
        ],
      ],
    });
    test.clock.offsetMs = 0;
  });
});
