import type { InlineKeyboardMarkup } from 'grammy/types';
import { encodeCallback } from './callback-data.ts';
import { userText } from './html.ts';
import { type Language, translate } from './i18n.ts';
import { miniAppEventUrl } from './mini-app.ts';
import { dayKey, formatDay, formatTime, startOfDay } from './when.ts';

export interface ReminderMessage {
  text: string;
  parseMode: 'HTML';
  replyMarkup: InlineKeyboardMarkup;
}

/**
 * The reminder for one occurrence, in the agenda's look: title, day and time in the user's zone,
 * how far ahead (or how late), and [Snooze 10 min] [Open] [Edit] buttons for the bot to answer.
 * Given the Mini App's address (miniAppUrl), [Open] opens this occurrence in it instead of asking
 * the bot for the event card.
 */
export function reminderMessage(input: {
  eventId: string;
  summary: string | null;
  start: Date;
  allDay: boolean;
  now: Date;
  timeZone: string;
  lateMs: number;
  language?: Language;
  /** The Mini App's https address, or null/absent to answer [Open] with the bot's event card. */
  miniAppUrl?: string | null;
}): ReminderMessage {
  const language = input.language ?? 'en';
  // Numbers as text: Fluent would group digits ("1,440 min").
  const t = (key: string, args?: Record<string, string>) => translate(language, key, args);
  const day = formatDay(input.start, input.timeZone, language);
  const minutes = Math.round((input.start.getTime() - input.now.getTime()) / 60_000);
  const when = input.allDay
    ? `${day}, ${t('all-day')}`
    : `${day}, ${formatTime(input.start, input.timeZone, language)} (${
        minutes > 0
          ? t('reminder-in', { minutes: String(minutes) })
          : minutes === 0
            ? t('reminder-now')
            : t('reminder-started', { minutes: String(-minutes) })
      })`;
  const lateMinutes = Math.round(input.lateMs / 60_000);
  const late = input.lateMs >= 60_000 ? `\n(${t('reminder-late', { minutes: String(lateMinutes) })})` : '';
  return {
    text: `⏰ <b>${userText(input.summary ?? t('no-title'))}</b>\n${when}${late}`,
    parseMode: 'HTML',
    replyMarkup: {
      inline_keyboard: [
        [
          {
            text: t('button-snooze'),
            callback_data: encodeCallback({
              kind: 'snooze',
              eventId: input.eventId,
              occurrenceStart: input.start,
            }),
          },
          input.miniAppUrl
            ? {
                text: t('button-open'),
                web_app: { url: miniAppEventUrl(input.miniAppUrl, input.eventId, input.start) },
              }
            : {
                text: t('button-open'),
                callback_data: encodeCallback({ kind: 'open', eventId: input.eventId }),
              },
          {
            text: t('button-edit'),
            callback_data: encodeCallback({
              kind: 'edit-open',
              eventId: input.eventId,
              occurrenceStart: input.start,
            }),
          },
        ],
      ],
    },
  };
}

/**
 * The reminder of a task (VTODO): "☑️ Task due: Buy milk — today 18:00" in the user's zone (a
 * day alone when DUE is a date), how late when delivered late, and [✓ Done] [Snooze 10 min]: the
 * task is usually dealt with from the reminder itself, so Done comes first.
 */
export function taskReminderMessage(input: {
  taskId: string;
  summary: string | null;
  due: Date;
  allDay: boolean;
  now: Date;
  timeZone: string;
  lateMs: number;
  language?: Language;
}): ReminderMessage {
  const language = input.language ?? 'en';
  const t = (key: string, args?: Record<string, string>) => translate(language, key, args);
  const day = dueDay(input.due, input.now, input.timeZone, language);
  const when = input.allDay ? day : `${day} ${formatTime(input.due, input.timeZone, language)}`;
  const lateMinutes = Math.round(input.lateMs / 60_000);
  const late = input.lateMs >= 60_000 ? `\n(${t('reminder-late', { minutes: String(lateMinutes) })})` : '';
  const title = `<b>${userText(input.summary ?? t('no-title'))}</b>`;
  return {
    text: `${t('task-reminder', { title, when })}${late}`,
    parseMode: 'HTML',
    replyMarkup: {
      inline_keyboard: [
        [
          {
            text: t('task-reminder-done'),
            callback_data: encodeCallback({ kind: 'task-done', taskId: input.taskId }),
          },
          {
            text: t('button-snooze'),
            callback_data: encodeCallback({
              kind: 'snooze',
              eventId: input.taskId,
              occurrenceStart: input.due,
            }),
          },
        ],
      ],
    },
  };
}

/** "today", "tomorrow", or the date ("Fri, 4 Dec 2026") of `due` as seen in the zone at `now`. */
function dueDay(due: Date, now: Date, timeZone: string, language: Language): string {
  const key = dayKey(due, timeZone);
  if (key === dayKey(now, timeZone)) return translate(language, 'task-reminder-today');
  if (key === dayKey(startOfDay(now, timeZone, 1), timeZone))
    return translate(language, 'task-reminder-tomorrow');
  return formatDay(due, timeZone, language);
}
