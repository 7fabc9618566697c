import { findObjectById } from '../../storage/repositories/calendar-object-repository.ts';
import { findPlanningUser } from '../../storage/repositories/worker-planning-repository.ts';
import { reminderMessage } from '../../telegram/reminder-message.ts';
import type { JobHandler } from '../job-context.ts';
import { alarmsOf } from '../reminder-planning.ts';

/**
 * 'reminder.send': one reminder for one occurrence and trigger. Before sending it checks that
 * the stored event still has this reminder (an edit racing the planner cannot cause a stale one)
 * and how late it is: within the grace it is sent and marked late; beyond it, skipped and logged.
 * A trigger named 'snooze:…' is a snoozed reminder: only the event's existence is checked.
 */
export const sendReminder: JobHandler<'reminder.send'> = async (payload, context) => {
  const fireAt = new Date(payload.fireAt);
  const lateMs = context.now().getTime() - fireAt.getTime();
  const log = context.logger.child({ objectId: payload.objectId, fireAt: payload.fireAt });
  if (lateMs > context.settings.reminderLateGraceMs) {
    log.warn({ lateSeconds: Math.round(lateMs / 1000) }, 'reminder skipped: later than the grace period');
    return;
  }
  const object = await findObjectById(context.db, payload.userId, payload.objectId);
  if (!object) {
    log.info('reminder dropped: the event is gone');
    return;
  }
  const occurrenceStart = new Date(payload.occurrenceStart);
  let occurrence = { start: occurrenceStart, summary: object.summary, allDay: object.all_day };
  if (!payload.trigger.startsWith('snooze:')) {
    const alarms = await alarmsOf(context.db, object, { start: fireAt, end: new Date(fireAt.getTime() + 1) });
    const current = alarms.find(
      (a) => a.trigger === payload.trigger && a.occurrence.start.getTime() === occurrenceStart.getTime(),
    );
    if (!current) {
      log.info('reminder dropped: the event no longer has it');
      return;
    }
    occurrence = current.occurrence;
  }
  const user = await findPlanningUser(context.db, payload.userId);
  const sent = await context.telegram.send(
    payload.userId,
    reminderMessage({
      eventId: payload.objectId,
      summary: occurrence.summary,
      start: occurrence.start,
      allDay: occurrence.allDay,
      now: context.now(),
      timeZone: user?.timeZone ?? 'UTC',
      lateMs,
    }),
  );
  log.info(
    { messageId: sent.messageId, lateSeconds: Math.max(0, Math.round(lateMs / 1000)) },
    'reminder sent',
  );
};
