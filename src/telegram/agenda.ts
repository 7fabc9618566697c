import { InlineKeyboard } from 'grammy';
import type { OccurrenceView } from '../app/calendar-service.ts';
import { type AgendaView, encodeCallback } from './callback-data.ts';
import { userText } from './html.ts';
import { type Language, translate } from './i18n.ts';
import { formatDay, formatTime } from './when.ts';

/** Occurrences per message page: with titles and places capped, a page stays far below 4096 characters. */
export const agendaPageSize = 10;

export interface AgendaPage {
  text: string;
  keyboard: InlineKeyboard | undefined;
}

/**
 * One page of an agenda: a heading, then occurrences grouped by day in the user's zone with time,
 * title and location; ‹ › buttons carry the agenda callback data. `calendarNames` (calendar id →
 * name), given only to a user with several calendars, adds each line's calendar.
 */
export function renderAgenda(
  heading: string,
  view: AgendaView,
  occurrences: readonly OccurrenceView[],
  page: number,
  timeZone: string,
  emptyText: string,
  language: Language = 'en',
  calendarNames?: ReadonlyMap<string, string>,
): AgendaPage {
  if (occurrences.length === 0) return { text: `<b>${heading}</b>\n\n${emptyText}`, keyboard: undefined };
  const pages = Math.ceil(occurrences.length / agendaPageSize);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const slice = occurrences.slice(current * agendaPageSize, (current + 1) * agendaPageSize);
  const lines = [`<b>${heading}</b>`];
  let lastDay = '';
  for (const occurrence of slice) {
    // The formatted day names one local day, so it doubles as the grouping key.
    const day = formatDay(occurrence.start, timeZone, language);
    if (day !== lastDay) {
      lines.push('', `<b>${day}</b>`);
      lastDay = day;
    }
    lines.push(agendaLine(occurrence, timeZone, language, calendarNames?.get(occurrence.calendarId)));
  }
  if (pages > 1) lines.push('', `<i>${translate(language, 'page-of', { page: current + 1, pages })}</i>`);
  let keyboard: InlineKeyboard | undefined;
  if (pages > 1) {
    keyboard = new InlineKeyboard();
    if (current > 0) {
      keyboard.text(
        translate(language, 'button-earlier'),
        encodeCallback({ kind: 'agenda', view, page: current - 1 }),
      );
    }
    if (current < pages - 1) {
      keyboard.text(
        translate(language, 'button-later'),
        encodeCallback({ kind: 'agenda', view, page: current + 1 }),
      );
    }
  }
  return { text: lines.join('\n'), keyboard };
}

/**
 * One occurrence as an agenda line (HTML): "09:00–10:00  Title · 📍 Place 🔁", times in the zone;
 * with `calendar` (a name, plain text) also " · 📅 Work".
 */
export function agendaLine(
  occurrence: Pick<OccurrenceView, 'start' | 'end' | 'allDay' | 'summary' | 'location' | 'isRecurring'>,
  timeZone: string,
  language: Language = 'en',
  calendar?: string,
): string {
  const time = occurrence.allDay
    ? translate(language, 'all-day')
    : `${formatTime(occurrence.start, timeZone, language)}–${formatTime(occurrence.end, timeZone, language)}`;
  const title = userText(occurrence.summary ?? translate(language, 'no-title'), 120);
  const place = occurrence.location ? ` · 📍 ${userText(occurrence.location, 60)}` : '';
  const repeat = occurrence.isRecurring ? ' 🔁' : '';
  const from = calendar ? ` · 📅 ${userText(calendar, 30)}` : '';
  return `${time}  ${title}${place}${repeat}${from}`;
}
