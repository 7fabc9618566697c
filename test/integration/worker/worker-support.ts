import { sql } from 'kysely';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { type Config, loadConfig } from '../../../src/config.ts';
import { createLogger, type Logger } from '../../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.ts';
import { listenForOutboxJobs } from '../../../src/storage/outbox-notifications.ts';
import type { OutboxMessageRow } from '../../../src/storage/schema.ts';
import { startWorker, type WorkerHandle, type WorkerOptions } from '../../../src/worker/run-worker.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { openTestDatabase, type TestDatabase } from '../../support/test-database.ts';

/** A clock the test moves: real time plus an offset, never behind the database's own now(). */
export class TestClock {
  offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  /** Moves the clock so that it reads `instant` now. */
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface WorkerTest {
  database: TestDatabase;
  services: AppServices;
  telegram: TelegramEmulator;
  config: Config;
  metrics: Metrics;
  clock: TestClock;
  start(options?: WorkerOptions & { workerId?: string }): WorkerHandle;
  close(): Promise<void>;
}

/**
 * A migrated database, the app services, the Bot API emulator and a way to start workers on them.
 * Workers log nothing unless the test passes its own `logger` (to read what they log).
 */
export async function openWorkerTest(options: { logger?: Logger } = {}): Promise<WorkerTest> {
  const database = await openTestDatabase();
  const telegram = await TelegramEmulator.start();
  const clock = new TestClock();
  const services = createServices(database.db, { now: clock.now });
  const config = loadConfig({
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    LOG_LEVEL: 'silent',
  });
  const metrics = createMetrics();
  const logger = options.logger ?? createLogger('silent');
  const workers: WorkerHandle[] = [];
  return {
    database,
    services,
    telegram,
    config,
    metrics,
    clock,
    start(options = {}) {
      const { workerId, ...rest } = options;
      const databaseUrl = database.url;
      const worker = startWorker({
        services,
        listenForNewJobs: databaseUrl ? (events) => listenForOutboxJobs(databaseUrl, events) : undefined,
        config,
        logger,
        metrics,
        workerId,
        options: {
          now: clock.now,
          pollIntervalMs: 20,
          maintenanceIntervalMs: 0,
          schedulePeriodicJobs: false,
          ...rest,
        },
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await telegram.close();
      await database.close();
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function jobsOf(test: WorkerTest, kind: string): Promise<OutboxMessageRow[]> {
  return test.database.db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
}

/** Waits until no job of `kind` is pending (due now) or processing. */
export async function drained(test: WorkerTest, kind: string): Promise<OutboxMessageRow[]> {
  return eventually(async () => {
    const rows = await jobsOf(test, kind);
    const now = test.clock.now().getTime();
    const busy = rows.some(
      (r) => r.status === 'processing' || (r.status === 'pending' && r.run_at.getTime() <= now),
    );
    return busy ? undefined : rows;
  });
}

export async function setJobTimes(test: WorkerTest, id: number, values: { lockedAt: Date }): Promise<void> {
  await sql`update outbox_messages set locked_at = ${values.lockedAt} where id = ${id}`.execute(
    test.database.db,
  );
}
