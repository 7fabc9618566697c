import { purgeAuditLog } from '../../storage/repositories/erasure-repository.ts';
import { purgeFinishedMessages } from '../../storage/repositories/outbox-claim-repository.ts';
import type { JobHandler } from '../job-context.ts';

/** Audit rows are kept two years (README, "Data retention"). */
export const auditRetentionYears = 2;
/** Finished jobs (done, cancelled) are kept 30 days for inspection; failed ones until handled. */
export const finishedJobRetentionDays = 30;

/** 'retention.purge' (daily): deletes audit rows and finished jobs past their retention. */
export const purgeRetention: JobHandler<'retention.purge'> = async (_payload, context) => {
  const now = context.now();
  const auditCutoff = new Date(now);
  auditCutoff.setUTCFullYear(auditCutoff.getUTCFullYear() - auditRetentionYears);
  const auditRows = await purgeAuditLog(context.db, auditCutoff);
  const jobs = await purgeFinishedMessages(
    context.db,
    new Date(now.getTime() - finishedJobRetentionDays * 86_400_000),
  );
  context.logger.info({ auditRows, jobs, auditCutoff }, 'retention purge done');
};
