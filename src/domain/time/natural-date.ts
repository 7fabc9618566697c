import * as chrono from 'chrono-node';
import { InvalidDateText } from '../errors.ts';
import { parseDuration } from './duration.ts';
import { utcToZoned, zonedToUtc } from './time-zone.ts';

/** `language` picks chrono's parser ('en' unless said): chrono.ru reads "завтра в 15:00". */
export type NaturalDateContext = { timeZone: string; now: Date; language?: 'en' | 'ru' | undefined };

export type NaturalDate = {
  start: Date;
  end: Date | null;
  /** False for a bare date ("tomorrow", "friday"); `start` is then the day's start in the zone. */
  hasTime: boolean;
  matchedText: string;
};

export type QuickAdd = { title: string; start: Date; end: Date; allDay: boolean; location: string | null };

const defaultMinutes = 60;

/** chrono works with a fixed UTC offset; the zone's offset at `now` gives it the right "today". */
function offsetMinutesAt(now: Date, timeZone: string): number {
  const p = utcToZoned(now, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(now.getTime() / 1000) * 1000) / 60_000);
}

function parseWithChrono(text: string, context: NaturalDateContext): chrono.ParsedResult[] {
  const reference = { instant: context.now, timezone: offsetMinutesAt(context.now, context.timeZone) };
  if (context.language !== 'ru') return chrono.parse(text, reference, { forwardDate: true });
  // chrono.ru reads a lone "день" ("День рождения", a birthday) as today; a title word, not a date.
  return chrono.ru.parse(text, reference, { forwardDate: true }).filter((r) => !/^день$/i.test(r.text));
}

/**
 * chrono's wall-clock components are right, but its instant assumes the offset at `now`, which is wrong
 * across a DST change ("tomorrow 10am" on the last Saturday of March in Berlin). So the wall clock is
 * re-read in the IANA zone; only a pure "in 2 hours" keeps chrono's instant, which is exact.
 */
function toInstant(
  components: chrono.ParsedComponents,
  tags: Set<string>,
  context: NaturalDateContext,
  dayShift = 0,
): Date {
  if (
    tags.has('result/relativeDateAndTime') &&
    ![...tags].some((tag) => tag.endsWith('TimeExpressionParser'))
  ) {
    return components.date();
  }
  const hasTime = components.isCertain('hour');
  const get = (name: chrono.Component, fallback: number) => components.get(name) ?? fallback;
  // Date.UTC normalises day overflow, so a shifted 31st rolls into the next month.
  const day = new Date(Date.UTC(get('year', 1970), get('month', 1) - 1, get('day', 1) + dayShift));
  return zonedToUtc(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: hasTime ? get('hour', 0) : 0,
      minute: hasTime ? get('minute', 0) : 0,
      second: hasTime ? get('second', 0) : 0,
    },
    context.timeZone,
  );
}

function fromResult(result: chrono.ParsedResult, context: NaturalDateContext): NaturalDate {
  const tags = result.tags();
  const hasTime = result.start.isCertain('hour');
  let start = toInstant(result.start, tags, context);
  let dayShift = 0;
  // "at 3pm" means the next 3pm: today, or tomorrow once it has passed.
  const onlyTime = hasTime && !result.start.isCertain('day') && !result.start.isCertain('weekday');
  if (onlyTime && start.getTime() < context.now.getTime()) {
    dayShift = 1;
    start = toInstant(result.start, tags, context, dayShift);
  }
  let end = result.end ? toInstant(result.end, tags, context, dayShift) : null;
  // "22:00 - 01:00" ends on the next day.
  if (end && end.getTime() <= start.getTime() && !result.end?.isCertain('day')) {
    end = result.end ? toInstant(result.end, tags, context, dayShift + 1) : null;
  }
  return { start, end, hasTime, matchedText: result.text };
}

/**
 * A date or date-time in free English text ("tomorrow 10am", "next monday 14:00", "2026-01-25 14:00",
 * "in 2 hours", "at 3pm", "friday at 1pm"), read as wall-clock time in `timeZone`. Throws
 * InvalidDateText('unparsable-date') when nothing in the text reads as a date.
 */
export function parseNaturalDate(text: string, context: NaturalDateContext): NaturalDate {
  const first = parseWithChrono(text.slice(0, 500), context)[0];
  if (!first) throw new InvalidDateText('unparsable-date', text);
  return fromResult(first, context);
}

const durationUnit = '(?:h|hrs?|hours?|m|mins?|minutes?|d|days?)';
const forDuration = new RegExp(
  `\\bfor\\s+((?:\\d+(?:[.,]\\d+)?\\s*${durationUnit}(?:\\s*(?:and\\s+)?\\d+(?:[.,]\\d+)?\\s*${durationUnit})*)|an?\\s+hour|half\\s+an\\s+hour)\\b`,
  'i',
);

/** "на час", "на 2 часа", "на 30 минут", "на полчаса", "на 1,5 часа". */
const forDurationRu =
  /(?:^|\s)на\s+(?:(полчаса)|(час)|(\d+(?:[.,]\d+)?)\s*(час(?:а|ов)?|ч|мин(?:ут[аы]?|\.)?|д(?:ень|ня|ней)?))(?=\s|$|[,.])/i;

function takeDurationRu(text: string): { rest: string; minutes: number | null } {
  const match = forDurationRu.exec(text);
  if (!match) return { rest: text, minutes: null };
  const [, half, hour, amount, unit = ''] = match;
  const perUnit = /^ч/i.test(unit) ? 60 : /^м/i.test(unit) ? 1 : 1440;
  const minutes = half ? 30 : hour ? 60 : Math.round(Number(amount?.replace(',', '.')) * perUnit);
  return { rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`, minutes };
}

function takeDuration(text: string, language?: 'en' | 'ru'): { rest: string; minutes: number | null } {
  if (language === 'ru') return takeDurationRu(text);
  const match = forDuration.exec(text);
  if (!match) return { rest: text, minutes: null };
  const phrase = (match[1] ?? '').toLowerCase();
  const minutes = /^an?\s+hour$/.test(phrase) ? 60 : /^half/.test(phrase) ? 30 : parseDuration(phrase);
  return { rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`, minutes };
}

const danglingWords = /^(?:\s|,|-|on|at|for|from|by)+|(?:\s|,|-|\bon|\bat|\bfor|\bfrom|\bby)+$/gi;
// \b does not see Cyrillic letters as word characters, so Russian words are bounded by spaces.
const danglingWordsRu =
  /^(?:\s|,|-|(?:в|во|на|с|со|к|до)(?=\s|$))+|(?:\s|,|-|(?<=\s|^)(?:в|во|на|с|со|к|до))+$/gi;

function tidy(text: string, language?: 'en' | 'ru'): string {
  const words = language === 'ru' ? danglingWordsRu : danglingWords;
  return text.replace(/\s+/g, ' ').replace(words, '').trim();
}

/**
 * Reads a one-line event ("Lunch with Anna on Friday at 1pm for 1h at Cafe Central"): the date via
 * parseNaturalDate's rules, the length from "for 1h" (default 60 minutes), the location from a trailing
 * "at <place>" that is not the time, and the rest as the title. A bare date makes an all-day event.
 */
export function parseQuickAdd(text: string, context: NaturalDateContext): QuickAdd {
  const input = text.slice(0, 500);
  const { rest, minutes } = takeDuration(input, context.language);
  const result = parseWithChrono(rest, context)[0];
  if (!result) throw new InvalidDateText('unparsable-date', text);
  const when = fromResult(result, context);

  let remainder = `${rest.slice(0, result.index)} ${rest.slice(result.index + result.text.length)}`;
  let location: string | null = null;
  // "в" before a place reads like "в 15:00" to people and parsers alike, so Russian places need "@".
  const place = (context.language === 'ru' ? /(?:^|\s)@\s*(.+)$/ : /(?:^|\s)(?:at|@)\s+(.+)$/i).exec(
    remainder,
  );
  if (place?.[1] && tidy(place[1], context.language) !== '') {
    location = tidy(place[1], context.language);
    remainder = remainder.slice(0, place.index);
  }

  const title = tidy(remainder, context.language);
  if (!when.hasTime) {
    const day = utcToZoned(when.start, context.timeZone);
    const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
    const end = zonedToUtc(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() },
      context.timeZone,
    );
    return { title, start: when.start, end, allDay: true, location };
  }
  const end = when.end ?? new Date(when.start.getTime() + (minutes ?? defaultMinutes) * 60_000);
  return { title, start: when.start, end, allDay: false, location };
}
