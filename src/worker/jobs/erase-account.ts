import type { JobHandler } from '../job-context.ts';
import { RetryLaterError } from '../job-errors.ts';

/**
 * 'account.erase': due 30 days after a deletion request. Erases only if that very request is
 * still standing (DataRetentionService.eraseAccount); a job that ran early waits until it is due.
 */
export const eraseAccount: JobHandler<'account.erase'> = async (payload, context) => {
  const now = context.now();
  const result = await context.services.retention.eraseAccount(
    { userId: payload.userId, requestedAt: new Date(payload.requestedAt), erasureJobId: context.job.id },
    now,
  );
  if (result.outcome === 'early') {
    throw new RetryLaterError('erasure is not due yet', result.dueAt.getTime() - now.getTime());
  }
  if (result.outcome !== 'erased') {
    context.logger.info({ outcome: result.outcome }, 'nothing to erase');
    return;
  }
  // No user id in this line: the log must not keep what the erasure removed.
  const { outcome: _erased, ...counts } = result;
  context.logger.info(counts, 'account erased');
};
