// One worker in its own process, for the multi-process tests and bench:worker:
//   node --import tsx/esm test/support/worker-process.ts
// Environment: WORKER_DATABASE_URL, WORKER_SCHEMA, WORKER_ID, TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT,
// optional WORKER_LEASE_MS, WORKER_LATE_GRACE_MS, WORKER_MAINTENANCE_MS, WORKER_BATCH_SIZE, WORKER_CONCURRENCY, WORKER_KINDS (comma-separated).
// Prints "ready" once claiming; SIGTERM stops gracefully and prints "stopped".

import { isJobKind } from '../../src/app/jobs.ts';
import { createServices } from '../../src/app/services.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { listenForOutboxJobs } from '../../src/storage/outbox-notifications.ts';
import { startWorker } from '../../src/worker/run-worker.ts';

const env = process.env;
const url = env.WORKER_DATABASE_URL;
if (!url) throw new Error('WORKER_DATABASE_URL is required');
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

const handle = await createDatabase({ databaseUrl: url, searchPath: env.WORKER_SCHEMA, poolSize: 4 });
const config = loadConfig({
  DATABASE_URL: url,
  TELEGRAM_BOT_TOKEN: env.TELEGRAM_BOT_TOKEN,
  TELEGRAM_API_ROOT: env.TELEGRAM_API_ROOT,
  LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
});
const kinds = (env.WORKER_KINDS ?? '').split(',').filter(isJobKind);
const worker = startWorker({
  services: createServices(handle.db),
  listenForNewJobs: (events) => listenForOutboxJobs(url, events),
  config,
  logger: createLogger(config.LOG_LEVEL),
  metrics: createMetrics(),
  workerId: env.WORKER_ID,
  options: {
    schedulePeriodicJobs: false,
    leaseMs: number('WORKER_LEASE_MS', 5 * 60_000),
    batchSize: number('WORKER_BATCH_SIZE', 20),
    concurrency: number('WORKER_CONCURRENCY', 8),
    maintenanceIntervalMs: number('WORKER_MAINTENANCE_MS', 1_000),
    reminderLateGraceMs: number('WORKER_LATE_GRACE_MS', 10 * 60_000),
    ...(kinds.length > 0 ? { kinds } : {}),
  },
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await handle.close();
    process.stdout.write('stopped\n');
    process.exit(0);
  })();
});
