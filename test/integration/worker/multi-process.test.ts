import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRemindersPerEvent, maxRemindersPerUser } from '../../../src/app/reminder-planning.ts';
import { testEngine } from '../../support/test-database.ts';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.ts';
import { eventually, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

// 2,000 due reminders the way users make them: 4 users × 10 hourly events × 50 occurrences, one
// alarm each, all within the planner's caps (50 per event, 500 per user), so none is dropped.
// One alarm per event because a sent reminder names its event and occurrence, not its trigger:
// that keeps every delivery attributable to one job, so a repeat is always visible.
const usersPerRun = 4;
const eventsPerUser = 10;
const occurrencesPerEvent = 50;
const total = usersPerRun * eventsPerUser * occurrencesPerEvent;
const hourMs = 60 * 60_000;
// The series start this long ago; the workers' late grace covers all of it, so every occurrence
// is due and still sendable (REMINDER_GRACE_MINUTES is an operator setting).
const seriesStartAgoMs = (occurrencesPerEvent + 2) * hourMs;
const lateGraceMs = seriesStartAgoMs + 2 * hourMs;

// Separate processes need a database they can all reach: PostgreSQL only (PGlite is in-process;
// the in-process three-worker test in outbox-runner.test.ts covers it there).
describe(`worker processes on one PostgreSQL [${testEngine}]`, () => {
  let test: WorkerTest;
  const running: WorkerProcess[] = [];

  beforeAll(async () => {
    test = await openWorkerTest();
  });
  afterAll(async () => {
    await Promise.all(running.map(stopWorker));
    await test.close();
  });

  function start(id: string, env: Record<string, string> = {}) {
    return spawnWorker({
      WORKER_DATABASE_URL: test.database.url ?? '',
      WORKER_SCHEMA: test.database.schema ?? '',
      WORKER_ID: id,
      TELEGRAM_BOT_TOKEN: test.telegram.token,
      TELEGRAM_API_ROOT: test.telegram.apiRoot,
      WORKER_LATE_GRACE_MS: String(lateGraceMs),
      ...env,
    });
  }

  /** The users of one run: `first`, `first + 1`, … */
  function usersFrom(first: number): number[] {
    return Array.from({ length: usersPerRun }, (_, i) => first + i);
  }

  /**
   * 2,000 due reminders: every user gets ten hourly series of 50 occurrences that started 52 hours
   * ago, a minute apart from one another, each with an alarm at its start. The planner in the
   * workers turns every occurrence into one reminder job (one `calendar.object-changed` job per
   * event), all of them due at once.
   */
  async function createDueReminders(users: readonly number[]): Promise<void> {
    // The caps would silently keep fewer than `total`; fail loudly here instead of timing out.
    expect(occurrencesPerEvent).toBeLessThanOrEqual(maxRemindersPerEvent);
    expect(eventsPerUser * occurrencesPerEvent).toBeLessThanOrEqual(maxRemindersPerUser);
    const base = Math.floor(Date.now() / 1000) * 1000 - seriesStartAgoMs;
    let slot = 0;
    for (let i = 0; i < eventsPerUser; i++) {
      for (const userId of users) {
        if (i === 0) await test.services.accounts.ensureUser({ telegramId: userId, timeZone: 'UTC' });
        const start = base + slot++ * 60_000;
        await test.services.calendars.createEvent(userId, {
          summary: `Hourly ${i}`,
          start: new Date(start),
          end: new Date(start + 30 * 60_000),
          rrule: `FREQ=HOURLY;COUNT=${occurrencesPerEvent}`,
          reminders: [0],
        });
      }
    }
  }

  /** Reply markups of the reminders sent to `users`: `snooze:<event>:<occurrence start>` names one. */
  function deliveries(users: readonly number[]): string[] {
    return test.telegram
      .calls('sendMessage')
      .filter((c) => users.includes(Number(c.params.chat_id)))
      .map((c) => JSON.stringify(c.params.reply_markup));
  }

  /** Waits until all 2,000 reminder jobs of `users` are done (a cheap count: workers need the CPU). */
  async function allSent(users: readonly number[]) {
    let seen = '';
    try {
      await eventually(
        async () => {
          const counts = await test.database.db
            .selectFrom('outbox_messages')
            .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
            .where('kind', '=', 'reminder.send')
            .where('user_id', 'in', users)
            .groupBy('status')
            .execute();
          seen = JSON.stringify(counts);
          return counts.length === 1 && counts[0]?.status === 'done' && Number(counts[0].count) === total;
        },
        150_000,
        500,
      );
    } catch (error) {
      throw new Error(`not all reminders were sent: ${seen}`, { cause: error });
    }
    return (await jobsOf(test, 'reminder.send')).filter(
      (r) => r.user_id !== null && users.includes(r.user_id),
    );
  }

  it('sends 2,000 due reminders exactly once with three worker processes', async () => {
    const workers = await Promise.all(['p1', 'p2', 'p3'].map((id) => start(id)));
    running.push(...workers);
    const users = usersFrom(5011);
    await createDueReminders(users);
    const rows = await allSent(users);
    await Promise.all(workers.map(stopWorker));
    const sent = deliveries(users);
    expect(sent).toHaveLength(total);
    expect(new Set(sent).size).toBe(total);
    // Each user's chat got each of their own reminders once.
    for (const userId of users) {
      expect(new Set(deliveries([userId])).size).toBe(eventsPerUser * occurrencesPerEvent);
    }
    expect(new Set(rows.map((r) => r.locked_by))).toEqual(new Set(['p1', 'p2', 'p3']));
  }, 180_000);

  it('completes every reminder when a worker is killed mid-batch (SIGKILL), repeating only its in-flight sends', async () => {
    // Each process runs `concurrency` reminder jobs at once and records each one done right after
    // its own send, so at the kill at most `concurrency` sends are made but unrecorded.
    const concurrency = 8;
    const env = {
      WORKER_LEASE_MS: '3000',
      WORKER_MAINTENANCE_MS: '250',
      WORKER_BATCH_SIZE: '20',
      WORKER_CONCURRENCY: String(concurrency),
    };
    const workers = await Promise.all(['k1', 'k2', 'k3'].map((id) => start(id, env)));
    running.push(...workers);
    const users = usersFrom(5021);
    await createDueReminders(users);
    await eventually(async () => deliveries(users).length >= 300, 150_000, 100);
    const victim = workers[0];
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    const rows = await allSent(users);
    await Promise.all(workers.slice(1).map(stopWorker));
    const sent = deliveries(users);
    const counts = new Map<string, number>();
    for (const s of sent) counts.set(s, (counts.get(s) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
    // Every job is done (allSent) and every occurrence reached the chat exactly once or, for the
    // victim's in-flight jobs only, twice.
    expect(counts.size).toBe(total);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    // The jobs the victim held were reclaimed after its lease and completed on a 2nd attempt...
    const reclaimed = rows.filter((r) => r.attempts === 2);
    expect(reclaimed.length).toBeGreaterThan(0);
    // ...and a repeat is always one of those, and there are at most `concurrency` of them.
    const markupOf = (payload: unknown) => {
      const p = payload as { objectId: string; occurrenceStart: string };
      const seconds = Math.floor(new Date(p.occurrenceStart).getTime() / 1000);
      return `snooze:${p.objectId}:${seconds}`;
    };
    const reclaimedKeys = new Set(reclaimed.map((r) => markupOf(r.payload)));
    for (const key of repeated)
      expect(reclaimedKeys.has(JSON.parse(key).inline_keyboard[0][0].callback_data)).toBe(true);
    expect(repeated.length).toBeLessThanOrEqual(concurrency);
    process.stdout.write(
      `SIGKILL run: ${total} jobs, ${sent.length} sends, ${repeated.length} repeated ` +
        `(bound: concurrency ${concurrency}), ${reclaimed.length} jobs reclaimed from the killed process\n`,
    );
  }, 180_000);
});
