import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.ts';
import { eventually, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

const eventsPerRun = 5;
const occurrencesPerEvent = 400;
const total = eventsPerRun * occurrencesPerEvent;

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
      WORKER_LATE_GRACE_MS: String(60 * 60_000),
      ...env,
    });
  }

  /**
   * 2,000 due reminders: five events interleaved to recur every second between them (400
   * occurrences each, 33 minutes in all) that started 40 minutes ago, each with an alarm at its
   * start (the workers' late grace is an hour here). The planner in the workers turns every
   * occurrence into one reminder job, all of them due at once.
   */
  async function createDueReminders(userId: number): Promise<void> {
    await test.services.accounts.ensureUser({ telegramId: userId, timeZone: 'UTC' });
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 40 * 60_000);
    for (let i = 0; i < eventsPerRun; i++) {
      await test.services.calendars.createEvent(userId, {
        summary: `Burst ${i}`,
        start: new Date(start.getTime() + i * 1000),
        end: new Date(start.getTime() + i * 1000 + 500),
        rrule: `FREQ=SECONDLY;INTERVAL=${eventsPerRun};COUNT=${occurrencesPerEvent}`,
        reminders: [0],
      });
    }
  }

  function deliveries(userId: number): string[] {
    return test.telegram
      .calls('sendMessage')
      .filter((c) => Number(c.params.chat_id) === userId)
      .map((c) => JSON.stringify(c.params.reply_markup));
  }

  /** Waits until all 2,000 reminder jobs of the user are done (a cheap count: workers need the CPU). */
  async function allSent(userId: number) {
    let seen = '';
    try {
      await eventually(
        async () => {
          const counts = await test.database.db
            .selectFrom('outbox_messages')
            .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
            .where('kind', '=', 'reminder.send')
            .where('user_id', '=', userId)
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
    return (await jobsOf(test, 'reminder.send')).filter((r) => r.user_id === userId);
  }

  it('sends 2,000 due reminders exactly once with three worker processes', async () => {
    const workers = await Promise.all(['p1', 'p2', 'p3'].map((id) => start(id)));
    running.push(...workers);
    await createDueReminders(5001);
    const rows = await allSent(5001);
    await Promise.all(workers.map(stopWorker));
    const sent = deliveries(5001);
    expect(sent).toHaveLength(total);
    expect(new Set(sent).size).toBe(total);
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
    await createDueReminders(5002);
    await eventually(async () => deliveries(5002).length >= 300, 150_000, 100);
    const victim = workers[0];
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    const rows = await allSent(5002);
    await Promise.all(workers.slice(1).map(stopWorker));
    const sent = deliveries(5002);
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
