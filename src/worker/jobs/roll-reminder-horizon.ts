import { setImmediate as nextTurn } from 'node:timers/promises';
import { longestReminderLeadMs } from '../../app/reminder-planning.ts';
import type { JobHandler } from '../job-context.ts';
import { errorText } from '../job-errors.ts';
import { planningWindow, planObjectReminders } from '../reminder-planning.ts';

// Triggers up to four weeks before their occurrence (the longest default reminder) are found;
// a VALARM further ahead than that is planned once its occurrence is within four weeks + horizon.
const pageSize = 200;

/**
 * 'reminders.roll-horizon' (hourly): plans every event's reminders as the horizon moves on.
 * Each event is planned in its own transaction and its own try/catch: an event that cannot be
 * planned (unreadable text, a failing statement) is logged, counted and skipped, and everyone
 * else's reminders are still planned. Only a failure to list the events fails the job.
 */
export const rollReminderHorizon: JobHandler<'reminders.roll-horizon'> = async (_payload, context) => {
  const window = planningWindow(context);
  const range = { start: window.start, end: new Date(window.end.getTime() + longestReminderLeadMs) };
  let afterId: string | null = null;
  let events = 0;
  let planned = 0;
  let failed = 0;
  for (;;) {
    const page = await context.services.reminderPlanning.listEventsTouching({
      ...range,
      afterId,
      limit: pageSize,
    });
    for (const object of page) {
      try {
        planned += (await planObjectReminders(context, { userId: object.ownerId, objectId: object.id }))
          .planned;
      } catch (error) {
        failed += 1;
        context.metrics.planningFailures.inc({ planner: 'reminders' });
        context.logger.warn(
          { objectId: object.id, userId: object.ownerId, error: errorText(error) },
          'event skipped by the reminder roll',
        );
      }
      // Planning one event is synchronous CPU work: let other jobs and I/O in between events.
      await nextTurn();
    }
    events += page.length;
    if (page.length < pageSize) break;
    afterId = page[page.length - 1]?.id ?? null;
  }
  context.logger.info({ events, planned, failed }, 'reminder horizon rolled');
};
