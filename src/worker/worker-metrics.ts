import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** Worker metrics on the process registry; a second worker in one process reuses them. */
export function createWorkerMetrics(registry: Registry) {
  const reuse = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T) ?? make();
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
  return { queueDepth, jobDuration, failures, retries, remindersCapped, planningFailures, reminderLateness };
}
