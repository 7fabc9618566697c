import { listObjectsTouching } from '../../storage/repositories/worker-planning-repository.ts';
import type { JobHandler } from '../job-context.ts';
import { planningWindow, planObjectReminders } from '../reminder-planning.ts';

// Triggers up to four weeks before their occurrence (the longest default reminder) are found;
// a VALARM further ahead than that is planned once its occurrence is within four weeks + horizon.
const longestLeadMs = 28 * 86_400_000;
const pageSize = 200;

/** 'reminders.roll-horizon' (hourly): plans every event's reminders as the horizon moves on. */
export const rollReminderHorizon: JobHandler<'reminders.roll-horizon'> = async (_payload, context) => {
  const window = planningWindow(context);
  const range = { start: window.start, end: new Date(window.end.getTime() + longestLeadMs) };
  let afterId: string | null = null;
  let events = 0;
  let planned = 0;
  for (;;) {
    const page = await listObjectsTouching(context.db, { ...range, afterId, limit: pageSize });
    for (const object of page) {
      planned += (await planObjectReminders(context, { userId: object.ownerId, objectId: object.id }))
        .planned;
    }
    events += page.length;
    if (page.length < pageSize) break;
    afterId = page[page.length - 1]?.id ?? null;
  }
  context.logger.info({ events, planned }, 'reminder horizon rolled');
};
