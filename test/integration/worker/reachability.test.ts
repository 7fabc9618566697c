import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobKind } from '../../../src/app/jobs.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import type { OutboxMessageRow } from '../../../src/storage/schema.ts';
import { startWorker, type WorkerHandle } from '../../../src/worker/run-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, startBotHarness } from '../bot/bot-harness.ts';
import { eventually, TestClock } from './worker-support.ts';

const minute = 60_000;

// docs/worker-delivery.md#reachability: a 403 on a worker's send marks the user as having blocked
// the bot; the planners then make no reminders or digests for them until the bot hears that they
// unblocked it (my_chat_member 'member'). The real bot and worker share one database and emulator.
describe(`a user who blocked the bot [${testEngine}]`, () => {
  const clock = new TestClock();
  const user = { id: 8001, first_name: 'Bea' };
  let h: BotHarness;
  let worker: WorkerHandle;
  let runs = 0;

  beforeAll(async () => {
    // A fixed morning after the 08:00 digest: the next digest is tomorrow's, whatever the wall clock says.
    clock.set(new Date('2030-03-04T10:00:00Z'));
    h = await startBotHarness({ now: clock.now });
    worker = startWorker({
      services: h.services,
      config: h.config,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      workerId: 'reachability',
      options: { now: clock.now, pollIntervalMs: 20, maintenanceIntervalMs: 0, schedulePeriodicJobs: false },
    });
    await h.services.accounts.ensureUser({ telegramId: user.id, timeZone: 'Europe/Berlin' });
    await h.services.preferences.updatePreferences(user.id, { digestEnabled: true, digestTime: '08:00' });
  });
  afterAll(async () => {
    await worker.stop();
    await h.close();
  });

  async function blockedAt(): Promise<Date | null> {
    const row = await h.database.db
      .selectFrom('users')
      .select('bot_blocked_at')
      .where('telegram_id', '=', user.id)
      .executeTakeFirst();
    return row?.bot_blocked_at ?? null;
  }

  async function jobsWithKeyPrefix(prefix: string): Promise<OutboxMessageRow[]> {
    return h.database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('dedupe_key', 'like', `${prefix}%`)
      .orderBy('id')
      .execute();
  }

  /** Runs one scheduled job (the hourly roll, the digest planner) to its end. */
  async function runPlanner(kind: Extract<JobKind, 'reminders.roll-horizon' | 'digests.plan'>) {
    runs += 1;
    const dedupeKey = `${kind}:test-${runs}`;
    await h.services.jobQueue.enqueue([{ kind, payload: {}, dedupeKey }]);
    await eventually(async () => (await jobsWithKeyPrefix(dedupeKey))[0]?.status === 'done');
  }

  /** An event starting `minutesAhead` from the test's now, with one reminder 15 minutes before. */
  async function createEvent(summary: string, minutesAhead: number) {
    const start = new Date(Math.ceil((clock.now().getTime() + minutesAhead * minute) / minute) * minute);
    const event = await h.services.calendars.createEvent(user.id, {
      summary,
      start,
      end: new Date(start.getTime() + 30 * minute),
      reminders: [15],
    });
    // The write's own planning job ('calendar.object-changed') has run.
    await eventually(async () => {
      const changes = await h.database.db
        .selectFrom('outbox_messages')
        .select('status')
        .where('kind', '=', 'calendar.object-changed')
        .where('user_id', '=', user.id)
        .execute();
      return changes.every((c) => c.status === 'done');
    });
    return { id: event.id, fireAt: new Date(start.getTime() - 15 * minute) };
  }

  it('is marked on a 403, gets no new reminders or digests, and gets them again after unblocking', async () => {
    h.emulator.block(user.id);
    const first = await createEvent('Dentist', 60);
    expect(await jobsWithKeyPrefix(`reminder:${first.id}:`)).toHaveLength(1);

    clock.set(new Date(first.fireAt.getTime() + 1_000));
    const [failed] = await eventually(async () => {
      const rows = await jobsWithKeyPrefix(`reminder:${first.id}:`);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(failed?.last_error).toContain('403');
    expect(await blockedAt()).not.toBeNull();

    // Every planning pass now leaves the user out.
    const second = await createEvent('Haircut', 90);
    expect(await jobsWithKeyPrefix(`reminder:${second.id}:`)).toEqual([]);
    await runPlanner('reminders.roll-horizon');
    expect(await jobsWithKeyPrefix(`reminder:${second.id}:`)).toEqual([]);
    await runPlanner('digests.plan');
    expect(await jobsWithKeyPrefix(`digest:${user.id}:`)).toEqual([]);
    // The reminder that already failed is not made again either.
    expect((await jobsWithKeyPrefix(`reminder:${first.id}:`)).map((r) => r.status)).toEqual(['failed']);

    h.emulator.unblock(user.id);
    h.emulator.sendChatMemberUpdate(user, 'member');
    await expect.poll(blockedAt, { timeout: 10_000 }).toBeNull();

    await runPlanner('reminders.roll-horizon');
    expect((await jobsWithKeyPrefix(`reminder:${second.id}:`)).map((r) => r.status)).toEqual(['pending']);
    await runPlanner('digests.plan');
    expect((await jobsWithKeyPrefix(`digest:${user.id}:`)).map((r) => r.status)).toEqual(['pending']);

    clock.set(new Date(second.fireAt.getTime() + 1_000));
    const reminder = await h.emulator.waitForMessage(
      user.id,
      (m) => m.text?.includes('Haircut') ?? false,
      10_000,
    );
    expect(reminder.text).toContain('⏰ <b>Haircut</b>');
  });
});
