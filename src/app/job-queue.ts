import type { Db } from '../storage/db-types.ts';
import {
  claimDueMessages,
  completeMessages,
  extendLeases,
  failMessage,
  queueDepth,
  reclaimExpiredLeases,
  releaseMessages,
  retryMessage,
  waitingJobs,
} from '../storage/repositories/outbox-claim-repository.ts';
import type { OutboxMessageRow } from '../storage/schema.ts';
import { enqueueJobs, type Job } from './jobs.ts';

// The outbox seen from the worker: claim, finish, retry, fail and release jobs under a lease.
// What the lease and the fencing promise is docs/worker-delivery.md#leases.

/** A claimed job as the runner needs it; its payload is parsed by kind (parseJob in jobs.ts). */
export interface QueuedJob {
  id: number;
  kind: string;
  payload: unknown;
  /** Counted at claim time, this claim included. */
  attempts: number;
  maxAttempts: number;
}

/** Due jobs of one kind that no worker has taken yet, and when the oldest fell due. */
export interface WaitingJobs {
  kind: string;
  count: number;
  oldestRunAt: Date;
}

/** How many jobs of one kind are in one status (the queue-depth gauge). */
export interface QueueDepthEntry {
  kind: string;
  status: string;
  count: number;
}

function toQueuedJob(row: OutboxMessageRow): QueuedJob {
  return {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  };
}

/**
 * Every write changes only jobs `workerId` still holds: a job reclaimed from a stalled worker and
 * claimed again elsewhere is left alone by the stalled one.
 */
export class JobQueue {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  /** Enqueues jobs on their own (not inside another change's transaction). */
  enqueue(jobs: readonly Job[]): Promise<void> {
    return enqueueJobs(this.#db, jobs);
  }

  /** Up to `limit` due jobs for `workerId`, oldest first; several workers never claim one job twice. */
  async claimDue(claim: {
    workerId: string;
    limit: number;
    now: Date;
    kinds?: readonly string[] | undefined;
  }): Promise<QueuedJob[]> {
    return (await claimDueMessages(this.#db, claim)).map(toQueuedJob);
  }

  /** Records jobs done (many per statement); returns how many were still held. */
  complete(ids: readonly number[], workerId: string): Promise<number> {
    return completeMessages(this.#db, ids, workerId);
  }

  /** Renews the lease of jobs still running (heartbeat during a long batch). */
  extendLeases(ids: readonly number[], workerId: string, now: Date): Promise<void> {
    return extendLeases(this.#db, ids, workerId, now);
  }

  /** Sends a job back to pending at `runAt`, keeping the error. */
  retry(id: number, workerId: string, retry: { runAt: Date; error: string }): Promise<boolean> {
    return retryMessage(this.#db, id, workerId, retry);
  }

  /** Marks a job failed for good, keeping the error. */
  fail(id: number, workerId: string, error: string): Promise<boolean> {
    return failMessage(this.#db, id, workerId, error);
  }

  /** Hands claimed jobs that never started back, their attempt refunded (graceful stop). */
  release(ids: readonly number[], workerId: string): Promise<number> {
    return releaseMessages(this.#db, ids, workerId);
  }

  /** Requeues (or fails, when out of attempts) jobs whose lease expired with a dead worker. */
  reclaimExpiredLeases(lease: { now: Date; leaseMs: number }): Promise<{ requeued: number; failed: number }> {
    return reclaimExpiredLeases(this.#db, lease);
  }

  depth(): Promise<QueueDepthEntry[]> {
    return queueDepth(this.#db);
  }

  /** Due jobs waiting for a worker, by kind, and when the oldest of them fell due. */
  waiting(now: Date): Promise<WaitingJobs[]> {
    return waitingJobs(this.#db, now);
  }
}
