import type { JobQueue } from '../app/job-queue.ts';

/** The kinds that run on a schedule: each takes an empty payload. */
type PeriodicJobKind =
  | 'reminders.roll-horizon'
  | 'digests.plan'
  | 'retention.purge'
  | 'subscriptions.fetch-due';

/** Scheduled jobs and how often each runs. */
export const periodicJobs: ReadonlyArray<{ kind: PeriodicJobKind; everyMs: number }> = [
  { kind: 'reminders.roll-horizon', everyMs: 3_600_000 },
  { kind: 'digests.plan', everyMs: 600_000 },
  { kind: 'retention.purge', everyMs: 86_400_000 },
  // Followed feeds are due every hour at the soonest; five minutes late is not noticed.
  { kind: 'subscriptions.fetch-due', everyMs: 300_000 },
];

/**
 * Enqueues the current period's run of each scheduled job. The key names the period, so every
 * worker may call this on every tick and each period still runs once; a worker that was down
 * catches up with the current period when it starts.
 */
export async function ensurePeriodicJobs(jobs: JobQueue, now: Date): Promise<void> {
  await jobs.enqueue(
    periodicJobs.map(({ kind, everyMs }) => {
      const slot = new Date(Math.floor(now.getTime() / everyMs) * everyMs);
      return { kind, payload: {}, dedupeKey: `${kind}:${slot.toISOString()}`, runAt: slot, maxAttempts: 3 };
    }),
  );
}
