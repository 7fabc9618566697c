import type { JobHandler } from '../job-context.ts';

/** 'retention.purge' (daily): deletes audit rows and finished jobs past their retention. */
export const purgeRetention: JobHandler<'retention.purge'> = async (_payload, context) => {
  const purged = await context.services.retention.purgeExpired(context.now());
  context.logger.info(purged, 'retention purge done');
};
