import type { InlineKeyboardMarkup } from 'grammy/types';
import { encodeCallback } from './callback-data.ts';
import { userText } from './html.ts';
import { formatDay, formatTime } from './when.ts';

export interface ReminderMessage {
  text: string;
  parseMode: 'HTML';
  replyMarkup: InlineKeyboardMarkup;
}

/**
 * The reminder for one occurrence, in the agenda's look: title, day and time in the user's zone,
 * how far ahead (or how late), and [Snooze 10 min] [Open] buttons for the bot to answer.
 */
export function reminderMessage(input: {
  eventId: string;
  summary: string | null;
  start: Date;
  allDay: boolean;
  now: Date;
  timeZone: string;
  lateMs: number;
}): ReminderMessage {
  const day = formatDay(input.start, input.timeZone);
  const minutes = Math.round((input.start.getTime() - input.now.getTime()) / 60_000);
  const when = input.allDay
    ? `${day}, all day`
    : `${day}, ${formatTime(input.start, input.timeZone)}${
        minutes > 0 ? ` (in ${minutes} min)` : minutes === 0 ? ' (now)' : ` (started ${-minutes} min ago)`
      }`;
  const late = input.lateMs >= 60_000 ? `\n(late by ${Math.round(input.lateMs / 60_000)} min)` : '';
  return {
    text: `⏰ <b>${userText(input.summary ?? '(no title)')}</b>\n${when}${late}`,
    parseMode: 'HTML',
    replyMarkup: {
      inline_keyboard: [
        [
          {
            text: 'Snooze 10 min',
            callback_data: encodeCallback({
              kind: 'snooze',
              eventId: input.eventId,
              occurrenceStart: input.start,
            }),
          },
          { text: 'Open', callback_data: encodeCallback({ kind: 'open', eventId: input.eventId }) },
        ],
      ],
    },
  };
}
