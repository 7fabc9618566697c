import {
  type EventReminderPlan,
  maxRemindersPerEvent,
  maxRemindersPerUser,
  UnreadableEventError,
} from '../app/reminder-planning.ts';
import type { JobContext } from './job-context.ts';
import { PermanentJobError } from './job-errors.ts';

// The worker's side of reminder planning: the window from its settings, job errors, logs and
// metrics. What is planned is app/reminder-planning.ts.

/** The window in which reminders are planned now: from the late grace back to the horizon ahead. */
export function planningWindow(context: JobContext): { start: Date; end: Date } {
  const now = context.now().getTime();
  return {
    start: new Date(now - context.settings.reminderLateGraceMs),
    end: new Date(now + context.settings.reminderHorizonMs),
  };
}

/** An event that cannot be read fails its job for good: retrying reads the same text. */
export function asJobError(error: unknown): unknown {
  return error instanceof UnreadableEventError
    ? new PermanentJobError(error.message, { cause: error.cause })
    : error;
}

/**
 * Re-plans one event's reminders across the window (docs/worker-delivery.md#reminders); an
 * event over a cap is logged once and counted (docs/worker-delivery.md#caps).
 */
export async function planObjectReminders(
  context: JobContext,
  target: { userId: number; objectId: string },
): Promise<EventReminderPlan> {
  const plan = await context.services.reminderPlanning
    .planEvent(target, planningWindow(context))
    .catch((error: unknown) => {
      throw asJobError(error);
    });
  if (plan.capped) {
    const { overEvent, overUser, reminders, kept, userPending } = plan.capped;
    if (overEvent > 0) context.metrics.remindersCapped.inc({ cap: 'event' }, overEvent);
    if (overUser > 0) context.metrics.remindersCapped.inc({ cap: 'user' }, overUser);
    context.logger.warn(
      {
        objectId: target.objectId,
        userId: target.userId,
        reminders,
        kept,
        userPending,
        maxPerEvent: maxRemindersPerEvent,
        maxPerUser: maxRemindersPerUser,
      },
      'reminders over the cap were not planned',
    );
  }
  return plan;
}
