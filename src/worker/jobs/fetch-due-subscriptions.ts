import type { JobHandler } from '../job-context.ts';

/** 'subscriptions.fetch-due' (periodic): queues a fetch of every followed feed that is due. */
export const fetchDueSubscriptions: JobHandler<'subscriptions.fetch-due'> = async (_payload, context) => {
  const queued = await context.services.calendarSubscriptions.enqueueDueFetches(context.now());
  if (queued > 0) context.logger.info({ queued }, 'feed fetches queued');
};
