import { deletionGraceDays } from '../../app/account-service.ts';
import { eraseUserData, lockDeletionRequest } from '../../storage/repositories/erasure-repository.ts';
import { transact } from '../../storage/transaction.ts';
import type { JobHandler } from '../job-context.ts';
import { RetryLaterError } from '../job-errors.ts';

const dayMs = 86_400_000;

/**
 * 'account.erase': due 30 days after a deletion request. Erases only if that very request is
 * still standing (an undo clears it; a new request has another date and its own job), checked
 * under the user's row lock so an undo committed meanwhile always wins.
 */
export const eraseAccount: JobHandler<'account.erase'> = async (payload, context) => {
  const requestedAt = new Date(payload.requestedAt);
  const dueAt = requestedAt.getTime() + deletionGraceDays * dayMs;
  const outcome = await transact(context.db, async (trx) => {
    const user = await lockDeletionRequest(trx, payload.userId);
    if (!user) return 'gone';
    if (user.deletionRequestedAt?.getTime() !== requestedAt.getTime()) return 'withdrawn';
    if (context.now().getTime() < dueAt) return 'early';
    return eraseUserData(trx, payload.userId, context.job.id);
  });
  if (outcome === 'early') {
    throw new RetryLaterError('erasure is not due yet', dueAt - context.now().getTime());
  }
  if (typeof outcome === 'string') {
    context.logger.info({ outcome }, 'nothing to erase');
    return;
  }
  // No user id in this line: the log must not keep what the erasure removed.
  context.logger.info({ ...outcome }, 'account erased');
};
