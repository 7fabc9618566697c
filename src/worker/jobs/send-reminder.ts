import { findObjectById } from '../../storage/repositories/calendar-object-repository.ts';
import { findPlanningUser } from '../../storage/repositories/worker-planning-repository.ts';
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
  const text = reminderText({
    summary: occurrence.summary ?? '(no title)',
    start: occurrence.start,
    allDay: occurrence.allDay,
    now: context.now(),
    timeZone: user?.timeZone ?? 'UTC',
    locale: user?.locale ?? 'en',
    lateMs,
  });
  // Telegram callback_data is at most 64 bytes: 'snooze:' + uuid + ':' + epoch seconds fits.
  const startSeconds = Math.floor(occurrence.start.getTime() / 1000);
  const sent = await context.telegram.send(payload.userId, {
    text,
    replyMarkup: {
      inline_keyboard: [
        [
          { text: 'Snooze 10 min', callback_data: `snooze:${payload.objectId}:${startSeconds}` },
          { text: 'Open', callback_data: `open:${payload.objectId}` },
        ],
      ],
    },
  });
  log.info(
    { messageId: sent.messageId, lateSeconds: Math.max(0, Math.round(lateMs / 1000)) },
    'reminder sent',
  );
};

export function reminderText(input: {
  summary: string;
  start: Date;
  allDay: boolean;
  now: Date;
  timeZone: string;
  locale: string;
  lateMs: number;
}): string {
  const when = new Intl.DateTimeFormat(safeLocale(input.locale), {
    timeZone: input.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(input.allDay ? {} : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  }).format(input.start);
  const minutes = Math.round((input.start.getTime() - input.now.getTime()) / 60_000);
  const relative = input.allDay
    ? ''
    : minutes > 0
      ? ` (in ${minutes} min)`
      : minutes === 0
        ? ' (now)'
        : ` (started ${-minutes} min ago)`;
  const late = input.lateMs >= 60_000 ? `\n(late by ${Math.round(input.lateMs / 60_000)} min)` : '';
  return `⏰ ${input.summary}\n${when}${relative}${late}`;
}

function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
  } catch {
    return 'en';
  }
}
