import { isGroupId } from '../../app/group-announcements.ts';
import { languageFor } from '../../telegram/i18n.ts';
import { reminderMessage, taskReminderMessage } from '../../telegram/reminder-message.ts';
import type { JobHandler } from '../job-context.ts';
import { asJobError } from '../reminder-planning.ts';

/**
 * 'reminder.send': one reminder for one occurrence and trigger. Before sending it checks that
 * the stored event still has this reminder (an edit racing the planner cannot cause a stale one)
 * and how late it is: within the grace it is sent and marked late; beyond it, skipped and logged.
 * A trigger named 'snooze:…' is a snoozed reminder: only the event's existence is checked (and,
 * for a task, that it is still open). A task's reminder says when it is due, with [✓ Done].
 * A group calendar's reminder goes to the group's chat.
 */
export const sendReminder: JobHandler<'reminder.send'> = async (payload, context) => {
  const fireAt = new Date(payload.fireAt);
  const lateMs = context.now().getTime() - fireAt.getTime();
  const log = context.logger.child({ objectId: payload.objectId, fireAt: payload.fireAt });
  if (lateMs > context.settings.reminderLateGraceMs) {
    context.metrics.reminderLateness.observe({ outcome: 'skipped' }, lateMs / 1000);
    log.warn({ lateSeconds: Math.round(lateMs / 1000) }, 'reminder skipped: later than the grace period');
    return;
  }
  const due = await context.services.reminderPlanning
    .findDueReminder({
      userId: payload.userId,
      objectId: payload.objectId,
      occurrenceStart: new Date(payload.occurrenceStart),
      fireAt,
      trigger: payload.trigger,
    })
    .catch((error: unknown) => {
      throw asJobError(error);
    });
  if (due === 'event-gone') {
    log.info('reminder dropped: the event is gone');
    return;
  }
  if (due === 'reminder-gone') {
    log.info('reminder dropped: the event no longer has it');
    return;
  }
  const shown = {
    summary: due.occurrence.summary,
    allDay: due.occurrence.allDay,
    now: context.now(),
    timeZone: due.timeZone,
    lateMs,
    language: languageFor(due.language, due.locale),
  };
  const message =
    due.kind === 'task'
      ? taskReminderMessage({ ...shown, taskId: payload.objectId, due: due.occurrence.start })
      : reminderMessage({
          ...shown,
          eventId: payload.objectId,
          start: due.occurrence.start,
          miniAppUrl: context.settings.miniAppUrl,
        });
  // A group's reminder is for everyone in it: no buttons (a snooze or an edit is one person's,
  // and Telegram allows Mini App buttons in private chats only).
  const sent = await context.telegram.send(
    payload.userId,
    isGroupId(payload.userId) ? { text: message.text, parseMode: message.parseMode } : message,
  );
  context.metrics.reminderLateness.observe({ outcome: 'sent' }, Math.max(0, lateMs / 1000));
  log.info(
    { messageId: sent.messageId, lateSeconds: Math.max(0, Math.round(lateMs / 1000)) },
    'reminder sent',
  );
};
