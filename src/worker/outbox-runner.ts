import type { Kysely } from 'kysely';
import type { Logger } from '../observability/logger.ts';
import {
  claimDueMessages,
  completeMessages,
  extendLeases,
  failMessage,
  queueDepth,
  reclaimExpiredLeases,
  releaseMessages,
  retryMessage,
} from '../storage/repositories/outbox-claim-repository.ts';
import type { Database, OutboxMessageRow } from '../storage/schema.ts';
import type { JobContext, JobHandlers } from './job-context.ts';
import { backoffDelayMs, errorText, PermanentJobError, RetryLaterError } from './job-errors.ts';
import { isJobKind, type JobKind, jobPayloadSchemas } from './job-payloads.ts';
import type { OutboxWakeup } from './outbox-wakeup.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** Successful jobs recorded per UPDATE at most. */
const completionFlushSize = 50;

export interface RunnerOptions {
  workerId: string;
  /** Jobs claimed per round trip. */
  batchSize: number;
  /** Jobs of one batch running at once. */
  concurrency: number;
  /** Longest idle sleep between claims when no NOTIFY arrives. */
  pollIntervalMs: number;
  /** A job 'processing' longer than this is taken to be orphaned by a dead worker. */
  leaseMs: number;
  /** Backoff unit: the first retry waits this long, then 2×, 4×, … */
  backoffBaseMs: number;
  /** How often leases are reclaimed, periodic jobs ensured and the queue gauge refreshed. */
  maintenanceIntervalMs: number;
  /** Only these kinds are claimed (all when absent). */
  kinds?: readonly JobKind[] | undefined;
}

export interface RunnerDeps {
  db: Kysely<Database>;
  logger: Logger;
  metrics: WorkerMetrics;
  wakeup: OutboxWakeup;
  handlers: JobHandlers;
  now: () => Date;
  /** Builds the context of one job (everything but `job`). */
  context: Omit<JobContext, 'job'>;
  /** Runs on every maintenance tick (periodic job scheduling). */
  onMaintenance?: (now: Date) => Promise<void>;
}

/**
 * The claim loop: claim a batch, run it with bounded concurrency, record each outcome, repeat;
 * sleep when idle until a NOTIFY, the poll interval or stop(). On stop, jobs already running
 * finish and recorded; claimed jobs that have not started are released untouched.
 */
export class OutboxRunner {
  readonly #deps: RunnerDeps;
  readonly #options: RunnerOptions;
  #stopping = false;
  #loop: Promise<void> | null = null;
  #lastMaintenance = 0;

  constructor(deps: RunnerDeps, options: RunnerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#deps.wakeup.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { logger, wakeup } = this.#deps;
    while (!this.#stopping) {
      try {
        await this.#maintain();
        const jobs = await claimDueMessages(this.#deps.db, {
          workerId: this.#options.workerId,
          limit: this.#options.batchSize,
          now: this.#deps.now(),
          kinds: this.#options.kinds,
        });
        if (jobs.length === 0) {
          await wakeup.sleep(this.#options.pollIntervalMs);
          continue;
        }
        await this.#runBatch(jobs);
      } catch (error) {
        // The database went away or a query failed: back off one poll interval, never crash.
        logger.error({ err: error }, 'worker loop failed; retrying');
        await wakeup.sleep(this.#options.pollIntervalMs);
      }
    }
  }

  async #maintain(): Promise<void> {
    const now = this.#deps.now();
    if (now.getTime() - this.#lastMaintenance < this.#options.maintenanceIntervalMs) return;
    this.#lastMaintenance = now.getTime();
    const reclaimed = await reclaimExpiredLeases(this.#deps.db, { now, leaseMs: this.#options.leaseMs });
    if (reclaimed.requeued + reclaimed.failed > 0) {
      this.#deps.logger.warn(reclaimed, 'reclaimed jobs whose lease expired');
      if (reclaimed.failed > 0) {
        this.#deps.metrics.failures.inc({ kind: 'unknown', reason: 'lease' }, reclaimed.failed);
      }
    }
    await this.#deps.onMaintenance?.(now);
    const depth = await queueDepth(this.#deps.db);
    this.#deps.metrics.queueDepth.reset();
    for (const row of depth)
      this.#deps.metrics.queueDepth.set({ kind: row.kind, status: row.status }, row.count);
  }

  async #runBatch(jobs: OutboxMessageRow[]): Promise<void> {
    const queue = [...jobs];
    // Successes are recorded together: one UPDATE per flush instead of one per job. The price is
    // a wider repeat window after a crash (at most `completionFlushSize` jobs; see README).
    const done: number[] = [];
    const flush = async () => {
      const ids = done.splice(0, done.length);
      await completeMessages(this.#deps.db, ids, this.#options.workerId);
    };
    const lane = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (await this.#runJob(job)) done.push(job.id);
        if (done.length >= completionFlushSize) await flush();
        if (this.#stopping) return;
      }
    };
    const lanes = Math.max(1, Math.min(this.#options.concurrency, jobs.length));
    // Heartbeat: a slow batch on a live worker keeps its lease; only a dead worker's expires.
    const ids = jobs.map((j) => j.id);
    const heartbeat = setInterval(
      () => {
        extendLeases(this.#deps.db, ids, this.#options.workerId, this.#deps.now()).catch((error: unknown) => {
          this.#deps.logger.warn({ err: error }, 'could not renew job leases');
        });
      },
      Math.max(100, Math.floor(this.#options.leaseMs / 3)),
    );
    try {
      await Promise.all(Array.from({ length: lanes }, lane));
    } finally {
      clearInterval(heartbeat);
      await flush();
    }
    if (queue.length > 0) {
      const released = await releaseMessages(
        this.#deps.db,
        queue.map((j) => j.id),
        this.#options.workerId,
      );
      this.#deps.logger.info({ released }, 'released claimed jobs that had not started');
    }
  }

  /** Runs one job; true when it succeeded (the caller records it done), false once recorded otherwise. */
  async #runJob(row: OutboxMessageRow): Promise<boolean> {
    const { db, logger, metrics } = this.#deps;
    const workerId = this.#options.workerId;
    const log = logger.child({ jobId: row.id, kind: row.kind, attempt: row.attempts });
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await this.#dispatch(row, log);
      metrics.jobDuration.observe({ kind: row.kind, outcome: 'done' }, seconds());
      log.info({ durationMs: Math.round(seconds() * 1000) }, 'job done');
      return true;
    } catch (error) {
      const text = errorText(error);
      const exhausted = row.attempts >= row.max_attempts;
      if (error instanceof PermanentJobError || exhausted) {
        await failMessage(db, row.id, workerId, text);
        metrics.failures.inc({ kind: row.kind, reason: exhausted ? 'exhausted' : 'permanent' });
        metrics.jobDuration.observe({ kind: row.kind, outcome: 'failed' }, seconds());
        log.warn({ err: error }, 'job failed for good');
        return false;
      }
      const delay =
        error instanceof RetryLaterError
          ? error.retryAfterMs
          : backoffDelayMs(row.attempts, this.#options.backoffBaseMs);
      const runAt = new Date(this.#deps.now().getTime() + delay);
      await retryMessage(db, row.id, workerId, { runAt, error: text });
      metrics.retries.inc({ kind: row.kind });
      metrics.jobDuration.observe({ kind: row.kind, outcome: 'retry' }, seconds());
      log.warn({ err: error, retryAt: runAt }, 'job failed; will retry');
      return false;
    }
  }

  async #dispatch(row: OutboxMessageRow, log: Logger): Promise<void> {
    if (!isJobKind(row.kind)) throw new PermanentJobError(`no handler for job kind "${row.kind}"`);
    const kind: JobKind = row.kind;
    const parsed = jobPayloadSchemas[kind].safeParse(row.payload);
    if (!parsed.success) {
      throw new PermanentJobError(`malformed ${kind} payload: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    const context: JobContext = {
      ...this.#deps.context,
      logger: log,
      job: { id: row.id, kind, attempts: row.attempts, maxAttempts: row.max_attempts },
    };
    // One handler per kind; the cast is safe because parsed.data was validated for `kind`.
    const handler = this.#deps.handlers[kind] as (payload: unknown, context: JobContext) => Promise<void>;
    await handler(parsed.data, context);
  }
}
