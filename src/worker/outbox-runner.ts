import type { JobQueue, QueuedJob } from '../app/job-queue.ts';
import { type JobKind, parseJob } from '../app/jobs.ts';
import type { Logger } from '../observability/logger.ts';
import { inSpan, markSpanFailed } from '../observability/spans.ts';
import type { JobContext, JobHandlers } from './job-context.ts';
import {
  backoffDelayMs,
  errorText,
  loggableError,
  PermanentJobError,
  RetryLaterError,
} from './job-errors.ts';
import type { OutboxWakeup } from './outbox-wakeup.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

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
  jobs: JobQueue;
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
    // The next batch, claimed while the current one finishes (see below).
    let ahead: Promise<QueuedJob[]> | null = null;
    while (!this.#stopping) {
      try {
        await this.#maintain();
        const claiming = ahead ?? this.#claim();
        ahead = null;
        const jobs = await claiming;
        if (jobs.length === 0) {
          await wakeup.sleep(this.#options.pollIntervalMs);
          continue;
        }
        // Pipelining: once the last job of a full batch has started, claim the next batch, so
        // the database works on that claim while this batch's last jobs run and are recorded,
        // instead of the two waiting on each other in turn. Claimed jobs only wait: the next
        // batch's lanes start when this batch's lanes have ended, so no more than `concurrency`
        // jobs ever run at once and the crash bound (README) is unchanged.
        const ids = jobs.map((j) => j.id);
        await this.#runBatch(jobs, ids, () => {
          if (this.#stopping || jobs.length < this.#options.batchSize) return;
          ahead = this.#claim();
          // While they wait, the claimed jobs' leases are renewed with this batch's (heartbeat).
          ahead.then((rows) => ids.push(...rows.map((r) => r.id))).catch(() => undefined);
        });
      } catch (error) {
        // The database went away or a query failed: back off one poll interval, never crash.
        logger.error({ err: loggableError(error) }, 'worker loop failed; retrying');
        await wakeup.sleep(this.#options.pollIntervalMs);
      }
    }
    // Stopped with a batch claimed ahead: it goes back untouched, its attempt refunded.
    const unstarted = await (ahead ?? Promise.resolve([])).catch(() => []);
    await this.#release(unstarted);
  }

  #claim(): Promise<QueuedJob[]> {
    return this.#deps.jobs.claimDue({
      workerId: this.#options.workerId,
      limit: this.#options.batchSize,
      now: this.#deps.now(),
      kinds: this.#options.kinds,
    });
  }

  async #release(jobs: readonly QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const released = await this.#deps.jobs.release(
      jobs.map((j) => j.id),
      this.#options.workerId,
    );
    this.#deps.logger.info({ released }, 'released claimed jobs that had not started');
  }

  async #maintain(): Promise<void> {
    const now = this.#deps.now();
    if (now.getTime() - this.#lastMaintenance < this.#options.maintenanceIntervalMs) return;
    this.#lastMaintenance = now.getTime();
    const reclaimed = await this.#deps.jobs.reclaimExpiredLeases({ now, leaseMs: this.#options.leaseMs });
    if (reclaimed.requeued + reclaimed.failed > 0) {
      this.#deps.logger.warn(reclaimed, 'reclaimed jobs whose lease expired');
      if (reclaimed.failed > 0) {
        this.#deps.metrics.failures.inc({ kind: 'unknown', reason: 'lease' }, reclaimed.failed);
      }
    }
    await this.#deps.onMaintenance?.(now);
    const depth = await this.#deps.jobs.depth();
    this.#deps.metrics.queueDepth.reset();
    for (const row of depth)
      this.#deps.metrics.queueDepth.set({ kind: row.kind, status: row.status }, row.count);
  }

  /** Runs a batch in `concurrency` lanes; `onLastStarted` runs once its last job has started. */
  async #runBatch(jobs: QueuedJob[], ids: number[], onLastStarted: () => void): Promise<void> {
    const queue = [...jobs];
    const completions = new CompletionWriter((ids) => this.#deps.jobs.complete(ids, this.#options.workerId));
    // Each lane records its job `done` right after that job's own side effect and before it
    // takes the next job. So a crash can repeat only the jobs in flight at that instant: at most
    // one per lane, i.e. `concurrency` (see README, "Delivery semantics").
    const lane = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (queue.length === 0) onLastStarted();
        if (await this.#runJob(job)) await completions.record(job.id);
        if (this.#stopping) return;
      }
    };
    const lanes = Math.max(1, Math.min(this.#options.concurrency, jobs.length));
    // Heartbeat: a slow batch on a live worker keeps its lease; only a dead worker's expires.
    // `ids` grows by the batch claimed ahead, so a slow last job cannot let those leases expire.
    const heartbeat = setInterval(
      () => {
        this.#deps.jobs
          .extendLeases(ids, this.#options.workerId, this.#deps.now())
          .catch((error: unknown) => {
            this.#deps.logger.warn({ err: loggableError(error) }, 'could not renew job leases');
          });
      },
      Math.max(100, Math.floor(this.#options.leaseMs / 3)),
    );
    let failure: PromiseRejectedResult | undefined;
    try {
      // Every lane ends before the next claim, even when one fails: never more than `concurrency`.
      const results = await Promise.allSettled(Array.from({ length: lanes }, lane));
      failure = results.find((r) => r.status === 'rejected');
    } finally {
      clearInterval(heartbeat);
    }
    await this.#release(queue);
    // A success that could not be recorded stays 'processing' and runs again after its lease.
    if (failure) throw failure.reason;
  }

  /**
   * Runs one job in its own span (`job <kind>`, with its outcome), so the job's SQL and log lines
   * share one trace; true when it succeeded (the caller records it done), false once recorded otherwise.
   */
  #runJob(row: QueuedJob): Promise<boolean> {
    const attributes = { 'televent.job.kind': row.kind, 'televent.job.attempt': row.attempts };
    return inSpan(`job ${row.kind}`, attributes, async (span) => {
      const outcome = await this.#attempt(row);
      span.setAttribute('televent.job.outcome', outcome);
      if (outcome !== 'done') markSpanFailed(span);
      return outcome === 'done';
    });
  }

  async #attempt(row: QueuedJob): Promise<'done' | 'retry' | 'failed'> {
    const { jobs, logger, metrics } = this.#deps;
    const workerId = this.#options.workerId;
    const log = logger.child({ jobId: row.id, kind: row.kind, attempt: row.attempts });
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await this.#dispatch(row, log);
      metrics.jobDuration.observe({ kind: row.kind, outcome: 'done' }, seconds());
      log.info({ durationMs: Math.round(seconds() * 1000) }, 'job done');
      return 'done';
    } catch (error) {
      const text = errorText(error);
      const exhausted = row.attempts >= row.maxAttempts;
      if (error instanceof PermanentJobError || exhausted) {
        await jobs.fail(row.id, workerId, text);
        metrics.failures.inc({ kind: row.kind, reason: exhausted ? 'exhausted' : 'permanent' });
        metrics.jobDuration.observe({ kind: row.kind, outcome: 'failed' }, seconds());
        log.warn({ err: loggableError(error) }, 'job failed for good');
        return 'failed';
      }
      const delay =
        error instanceof RetryLaterError
          ? error.retryAfterMs
          : backoffDelayMs(row.attempts, this.#options.backoffBaseMs);
      const runAt = new Date(this.#deps.now().getTime() + delay);
      await jobs.retry(row.id, workerId, { runAt, error: text });
      metrics.retries.inc({ kind: row.kind });
      metrics.jobDuration.observe({ kind: row.kind, outcome: 'retry' }, seconds());
      log.warn({ err: loggableError(error), retryAt: runAt }, 'job failed; will retry');
      return 'retry';
    }
  }

  async #dispatch(row: QueuedJob, log: Logger): Promise<void> {
    // The same schemas typed the enqueue (app/jobs.ts); a row that no longer fits fails for good.
    const parsed = parseJob(row);
    if ('error' in parsed) throw new PermanentJobError(parsed.error);
    const { kind, payload } = parsed.job;
    const context: JobContext = {
      ...this.#deps.context,
      logger: log,
      job: { id: row.id, kind, attempts: row.attempts, maxAttempts: row.maxAttempts },
    };
    // One handler per kind; the cast is safe because the payload was validated for `kind`.
    const handler = this.#deps.handlers[kind] as (payload: unknown, context: JobContext) => Promise<void>;
    await handler(payload, context);
  }
}

/**
 * Records successes as soon as they happen, without one statement per job under load: a job
 * that finishes while no UPDATE is in flight is written in the next turn of the event loop (with
 * any others that finished in the same turn); jobs that finish while one is in flight go together
 * in the next (group commit). `record` resolves once the job's own UPDATE has committed, so a
 * lane never moves on to its next job with an unrecorded success behind it.
 */
class CompletionWriter {
  readonly #write: (ids: number[]) => Promise<unknown>;
  #waiting: { id: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #writing = false;

  constructor(write: (ids: number[]) => Promise<unknown>) {
    this.#write = write;
  }

  record(id: number): Promise<void> {
    const recorded = new Promise<void>((resolve, reject) => this.#waiting.push({ id, resolve, reject }));
    if (!this.#writing) {
      this.#writing = true;
      // Wait one turn of the event loop: jobs finishing in the same turn share the statement.
      setImmediate(() => void this.#drain());
    }
    return recorded;
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const group = this.#waiting;
      this.#waiting = [];
      try {
        await this.#write(group.map((w) => w.id));
        for (const w of group) w.resolve();
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.#writing = false;
  }
}
