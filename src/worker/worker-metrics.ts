import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { WaitingJobs } from '../app/job-queue.ts';

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** How the queue gauges read the outbox at scrape time. */
export interface QueueReading {
  waiting: (now: Date) => Promise<WaitingJobs[]>;
  now: () => Date;
  /** The database did not answer: the gauges are left empty for this scrape, the rest is served. */
  onError: (error: unknown) => void;
}

/** Worker metrics on the process registry; a second worker in one process reuses them. */
export function createWorkerMetrics(registry: Registry, queue: QueueReading) {
  const reuse = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T) ?? make();
  // prom-client collects every metric of a scrape at once: the two gauges share one query.
  let reading: Promise<{ rows: WaitingJobs[]; now: Date }> | undefined;
  const readQueue = () => {
    reading ??= queue
      .waiting(queue.now())
      .then((rows) => ({ rows, now: queue.now() }))
      .catch((error: unknown) => {
        queue.onError(error);
        return { rows: [], now: queue.now() };
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  const waitingJobs = reuse(
    'televent_jobs_waiting',
    () =>
      new Gauge({
        name: 'televent_jobs_waiting',
        help: 'Due outbox jobs no worker has taken yet, by kind (read at scrape time)',
        labelNames: ['kind'] as const,
        registers: [registry],
        async collect() {
          const { rows } = await readQueue();
          this.reset();
          for (const row of rows) this.set({ kind: row.kind }, row.count);
        },
      }),
  );
  const oldestWaitingAge = reuse(
    'televent_jobs_oldest_waiting_age_seconds',
    () =>
      new Gauge({
        name: 'televent_jobs_oldest_waiting_age_seconds',
        help: 'How long the oldest due job of each kind has waited for a worker (read at scrape time)',
        labelNames: ['kind'] as const,
        registers: [registry],
        async collect() {
          const { rows, now } = await readQueue();
          this.reset();
          for (const row of rows) {
            this.set({ kind: row.kind }, Math.max(0, (now.getTime() - row.oldestRunAt.getTime()) / 1000));
          }
        },
      }),
  );
  const queueDepth = reuse(
    'televent_worker_queue_jobs',
    () =>
      new Gauge({
        name: 'televent_worker_queue_jobs',
        help: 'Outbox jobs by kind and status',
        labelNames: ['kind', 'status'] as const,
        registers: [registry],
      }),
  );
  const jobDuration = reuse(
    'televent_worker_job_duration_seconds',
    () =>
      new Histogram({
        name: 'televent_worker_job_duration_seconds',
        help: 'Job run time by kind and outcome (done, retry, failed)',
        labelNames: ['kind', 'outcome'] as const,
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
        registers: [registry],
      }),
  );
  const failures = reuse(
    'televent_worker_job_failures_total',
    () =>
      new Counter({
        name: 'televent_worker_job_failures_total',
        help: 'Jobs failed for good, by kind and reason (permanent, exhausted, lease)',
        labelNames: ['kind', 'reason'] as const,
        registers: [registry],
      }),
  );
  const retries = reuse(
    'televent_worker_job_retries_total',
    () =>
      new Counter({
        name: 'televent_worker_job_retries_total',
        help: 'Job attempts that failed and were scheduled again, by kind',
        labelNames: ['kind'] as const,
        registers: [registry],
      }),
  );
  const remindersCapped = reuse(
    'televent_reminders_capped_total',
    () =>
      new Counter({
        name: 'televent_reminders_capped_total',
        help: 'Reminders left unplanned because their event (cap=event) or user (cap=user) was over its cap',
        labelNames: ['cap'] as const,
        registers: [registry],
      }),
  );
  const planningFailures = reuse(
    'televent_worker_planning_failures_total',
    () =>
      new Counter({
        name: 'televent_worker_planning_failures_total',
        help: 'Events (planner=reminders) or users (planner=digests) a periodic planner skipped after an error',
        labelNames: ['planner'] as const,
        registers: [registry],
      }),
  );
  const reminderLateness = reuse(
    'televent_reminder_lateness_seconds',
    () =>
      new Histogram({
        name: 'televent_reminder_lateness_seconds',
        help: 'How long after its trigger a reminder was handled: sent (within the grace) or skipped (beyond it)',
        labelNames: ['outcome'] as const,
        buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
        registers: [registry],
      }),
  );
  return {
    waitingJobs,
    oldestWaitingAge,
    queueDepth,
    jobDuration,
    failures,
    retries,
    remindersCapped,
    planningFailures,
    reminderLateness,
  };
}
