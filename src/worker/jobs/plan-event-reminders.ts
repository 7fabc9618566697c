import type { JobHandler } from '../job-context.ts';
import { planObjectReminders } from '../reminder-planning.ts';

/** 'calendar.object-changed': an event or a task was written or deleted through any door; re-plan it. */
export const planEventReminders: JobHandler<'calendar.object-changed'> = async (payload, context) => {
  const { planned, cancelled, ownerBlocked } = await planObjectReminders(context, {
    userId: payload.userId,
    objectId: payload.objectId,
  });
  context.logger.debug({ objectId: payload.objectId, planned, cancelled, ownerBlocked }, 'reminders planned');
};
