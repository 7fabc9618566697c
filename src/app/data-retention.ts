import type { Db } from '../storage/db-types.ts';
import {
  eraseUserData,
  lockDeletionRequest,
  purgeAuditLog,
} from '../storage/repositories/erasure-repository.ts';
import { purgeFinishedMessages } from '../storage/repositories/outbox-claim-repository.ts';
import { transact } from '../storage/transaction.ts';
import { deletionGraceDays } from './account-service.ts';

/** Audit rows are kept two years (README, "Data retention"). */
export const auditRetentionYears = 2;
/** Finished jobs (done, cancelled) are kept 30 days for inspection; failed ones until handled. */
export const finishedJobRetentionDays = 30;

const dayMs = 86_400_000;

/** What an erasure job found: nothing to do (and why), not due yet, or what it erased. */
export type ErasureOutcome =
  | { outcome: 'gone' | 'withdrawn' }
  | { outcome: 'early'; dueAt: Date }
  | { outcome: 'erased'; userDeleted: boolean; jobsDeleted: number; auditRowsStripped: number };

/** Erasing accounts whose deletion came due, and purging what is past its retention. */
export class DataRetentionService {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  /**
   * Erases the account if the deletion request made at `requestedAt` still stands (an undo
   * clears it; a new request has another date and its own job) and is due, checked under the
   * user's row lock so an undo committed meanwhile always wins. The erasure job `erasureJobId`
   * is kept, stripped of the user's id (see eraseUserData). `now` is the worker's clock.
   */
  async eraseAccount(
    request: { userId: number; requestedAt: Date; erasureJobId: number },
    now: Date,
  ): Promise<ErasureOutcome> {
    const { userId, requestedAt, erasureJobId } = request;
    const dueAt = new Date(requestedAt.getTime() + deletionGraceDays * dayMs);
    return transact(this.#db, async (trx): Promise<ErasureOutcome> => {
      const user = await lockDeletionRequest(trx, userId);
      if (!user) return { outcome: 'gone' };
      if (user.deletionRequestedAt?.getTime() !== requestedAt.getTime()) return { outcome: 'withdrawn' };
      if (now.getTime() < dueAt.getTime()) return { outcome: 'early', dueAt };
      return { outcome: 'erased', ...(await eraseUserData(trx, userId, erasureJobId)) };
    });
  }

  /** Deletes audit rows and finished jobs past their retention; returns how many of each. */
  async purgeExpired(now: Date): Promise<{ auditRows: number; jobs: number; auditCutoff: Date }> {
    const auditCutoff = new Date(now);
    auditCutoff.setUTCFullYear(auditCutoff.getUTCFullYear() - auditRetentionYears);
    const auditRows = await purgeAuditLog(this.#db, auditCutoff);
    const jobs = await purgeFinishedMessages(
      this.#db,
      new Date(now.getTime() - finishedJobRetentionDays * dayMs),
    );
    return { auditRows, jobs, auditCutoff };
  }
}
