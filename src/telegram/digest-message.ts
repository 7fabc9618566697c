import type { OccurrenceView } from '../app/calendar-service.ts';
import { agendaLine } from './agenda.ts';
import { type Language, translate } from './i18n.ts';
import { formatDay } from './when.ts';

/** Room left under Telegram's 4096-character message for the "… and N more" line. */
const digestBudget = 3900;

/**
 * The morning digest of one local day, in the agenda's look: the day as a heading, then one
 * agenda line per occurrence; a day too full for one message ends with how many were left out.
 */
export function digestMessage(
  day: { start: Date },
  occurrences: readonly OccurrenceView[],
  timeZone: string,
  language: Language = 'en',
  /** Calendar id → name when the user has several calendars (CalendarService.eventCalendarNames). */
  calendarNames?: ReadonlyMap<string, string>,
): { text: string; parseMode: 'HTML' } {
  // Noon is well inside the local day, whatever its length.
  const heading = `☀️ <b>${formatDay(new Date(day.start.getTime() + 12 * 3_600_000), timeZone, language)}</b>`;
  if (occurrences.length === 0) {
    return { text: `${heading}\n\n${translate(language, 'digest-empty')}`, parseMode: 'HTML' };
  }
  const lines: string[] = [];
  let length = heading.length + 2;
  for (const occurrence of occurrences) {
    const line = agendaLine(occurrence, timeZone, language, calendarNames?.get(occurrence.calendarId));
    if (length + line.length + 1 > digestBudget) break;
    lines.push(line);
    length += line.length + 1;
  }
  const left = occurrences.length - lines.length;
  if (left > 0) lines.push(`<i>${translate(language, 'digest-more', { count: left })}</i>`);
  return { text: `${heading}\n\n${lines.join('\n')}`, parseMode: 'HTML' };
}
