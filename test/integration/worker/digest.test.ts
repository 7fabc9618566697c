import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

const reader = 4001;
const optedOut = 4002;
const unplannable = 4003;
const neighbour = 4004;
let planRuns = 0;

describe(`daily digest [${testEngine}]`, () => {
  let test: WorkerTest;

  beforeAll(async () => {
    test = await openWorkerTest();
    // Europe moves its clocks forward on Sunday 28 March 2027: that local day has 23 hours.
    test.clock.set(new Date('2027-03-28T04:00:00Z'));
    for (const id of [reader, optedOut]) {
      await test.services.accounts.ensureUser({ telegramId: id, timeZone: 'Europe/Berlin' });
    }
    await test.services.preferences.updatePreferences(optedOut, { digestEnabled: false });
    const local = (iso: string) => new Date(iso);
    await test.services.calendars.createEvent(reader, {
      summary: 'Morning run',
      start: local('2027-03-26T08:00:00Z'), // 09:00 CET
      end: local('2027-03-26T08:30:00Z'),
      rrule: 'FREQ=DAILY',
    });
    await test.services.calendars.createEvent(reader, {
      summary: 'Dentist',
      start: local('2027-03-28T08:00:00Z'), // 10:00 CEST
      end: local('2027-03-28T09:00:00Z'),
    });
    await test.services.calendars.createEvent(reader, {
      summary: 'Next week',
      start: local('2027-03-29T08:00:00Z'),
      end: local('2027-03-29T09:00:00Z'),
    });
    test.start({ workerId: 'digest' });
  });
  afterAll(async () => {
    await test.close();
  });

  async function plan() {
    planRuns += 1;
    await enqueueMessages(test.database.db, [
      { kind: 'digests.plan', payload: {}, dedupeKey: `digests-plan-${planRuns}` },
    ]);
    await drained(test, 'digests.plan');
    return jobsOf(test, 'digest.send');
  }

  it('sends the day’s events at 08:00 local time on a DST change day, once, and only to users who want it', async () => {
    const planned = await plan();
    expect(planned.map((j) => [j.dedupe_key, j.run_at.toISOString(), j.status])).toEqual([
      [`digest:${reader}:2027-03-28`, '2027-03-28T06:00:00.000Z', 'pending'],
    ]);

    test.clock.set(new Date('2027-03-28T06:00:01Z'));
    const message = await test.telegram.waitForMessage(reader, undefined, 10_000);
    // The bot's agenda look (src/telegram/agenda.ts): the day in the user's zone, then agenda lines.
    expect(message.text).toBe(
      '☀️ <b>Sun, 28 Mar 2027</b>\n\n09:00–09:30  Morning run 🔁\n10:00–11:00  Dentist',
    );
    expect(message.parse_mode).toBe('HTML');

    test.clock.set(new Date('2027-03-28T06:30:00Z'));
    const again = await plan();
    expect(again.map((j) => [j.dedupe_key, j.status])).toEqual([[`digest:${reader}:2027-03-28`, 'done']]);

    test.clock.set(new Date('2027-03-28T12:00:00Z'));
    const tomorrow = await plan();
    expect(tomorrow.map((j) => [j.dedupe_key, j.run_at.toISOString()])).toEqual([
      [`digest:${reader}:2027-03-28`, '2027-03-28T06:00:00.000Z'],
      [`digest:${reader}:2027-03-29`, '2027-03-29T06:00:00.000Z'],
    ]);
    expect(test.telegram.sentMessages(reader)).toHaveLength(1);
    expect(test.telegram.sentMessages(optedOut)).toEqual([]);
  });

  it('moves the pending digest when the user changes the time, and skips it once turned off', async () => {
    await test.services.preferences.updatePreferences(reader, { digestTime: '07:15' });
    const moved = await plan();
    expect(moved.find((j) => j.dedupe_key === `digest:${reader}:2027-03-29`)?.run_at.toISOString()).toBe(
      '2027-03-29T05:15:00.000Z',
    );
    await test.services.preferences.updatePreferences(reader, { digestEnabled: false });
    test.clock.set(new Date('2027-03-29T05:15:01Z'));
    const [, skipped] = await drained(test, 'digest.send');
    expect(skipped?.status).toBe('done');
    expect(test.telegram.sentMessages(reader)).toHaveLength(1);
  });

  it("plans the other users' digests when one user's stored time zone does not exist", async () => {
    for (const id of [unplannable, neighbour]) {
      await test.services.accounts.ensureUser({ telegramId: id, timeZone: 'Europe/Berlin' });
    }
    // A zone no longer known (stored by an older version, or removed from the time-zone data).
    await sql`update users set time_zone = 'Not/A_Zone' where telegram_id = ${unplannable}`.execute(
      test.database.db,
    );
    const failures = test.metrics.registry.getSingleMetric('televent_worker_planning_failures_total');
    const failuresOf = async () =>
      (await failures?.get())?.values.find((v) => v.labels.planner === 'digests')?.value ?? 0;
    const before = await failuresOf();

    const planned = await plan();

    const [run] = (await jobsOf(test, 'digests.plan')).slice(-1);
    expect(run?.status).toBe('done');
    expect(planned.filter((j) => j.user_id === neighbour).map((j) => j.dedupe_key)).toEqual([
      `digest:${neighbour}:2027-03-29`,
    ]);
    expect(planned.filter((j) => j.user_id === unplannable)).toEqual([]);
    expect(await failuresOf()).toBe(before + 1);
  });
});
