import { InvalidDateText } from '../errors.ts';
import { type NaturalDateContext, parseQuickAdd, type QuickAdd } from '../time/natural-date.ts';
import { utcToZoned, zonedToUtc } from '../time/time-zone.ts';
import { type RepeatRule, takeRepeatPhrase, weekdayOrder } from './repeat-phrase.ts';

export interface RepeatingQuickAdd extends QuickAdd {
  rule: RepeatRule;
  /** The RRULE value (RFC 5545 §3.3.10) for an event starting at `start` in the context's zone. */
  rrule: string;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const dayMs = 86_400_000;
const plusDays = (d: LocalDate, days: number): LocalDate => {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
};
const weekdayOf = (d: LocalDate) =>
  weekdayOrder[(new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7];

function matches(rule: RepeatRule, d: LocalDate): boolean {
  if (rule.byDay.length > 0 && !rule.byDay.includes(weekdayOf(d) ?? 'MO')) return false;
  if (rule.byMonthDay !== null && d.day !== rule.byMonthDay) return false;
  if (rule.byMonth !== null && d.month !== rule.byMonth) return false;
  return true;
}

/** The first day on or after `from` the rule names (a 29 February is at most eight years away). */
export function firstRuleDay(rule: RepeatRule, from: LocalDate): LocalDate {
  for (let i = 0; i < 366 * 8; i += 1) {
    const day = plusDays(from, i);
    if (matches(rule, day)) return day;
  }
  return from;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The RRULE of `rule` for an event whose first occurrence starts at local day `first`. UNTIL is a
 * DATE for all-day events and otherwise the UTC end of that local day, as RFC 5545 §3.3.10 asks
 * when DTSTART has a TZID.
 */
export function rruleOf(rule: RepeatRule, first: LocalDate, allDay: boolean, timeZone: string): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay.length > 0) parts.push(`BYDAY=${rule.byDay.join(',')}`);
  if (rule.byMonth !== null) parts.push(`BYMONTH=${rule.byMonth}`);
  if (rule.byMonthDay !== null) parts.push(`BYMONTHDAY=${rule.byMonthDay}`);
  if (rule.until) {
    const after = rule.until.month * 100 + rule.until.day < first.month * 100 + first.day;
    const year = first.year + (after ? 1 : 0);
    if (allDay) {
      parts.push(`UNTIL=${year}${pad(rule.until.month)}${pad(rule.until.day)}`);
    } else {
      const dayEnd = zonedToUtc(
        plusDays({ year, month: rule.until.month, day: rule.until.day }, 1),
        timeZone,
      );
      const u = new Date(dayEnd.getTime() - 1000);
      parts.push(
        `UNTIL=${u.getUTCFullYear()}${pad(u.getUTCMonth() + 1)}${pad(u.getUTCDate())}T${pad(u.getUTCHours())}${pad(u.getUTCMinutes())}${pad(u.getUTCSeconds())}Z`,
      );
    }
  }
  return parts.join(';');
}

/**
 * A one-line repeating event ("Gym every monday at 7am", "Планёрка по будням в 8:30"): the repeat
 * words become the rule, the rest is read by parseQuickAdd (title, time, length, place), and the
 * start moves to the first day the rule names. Without a time it is an all-day event. Null when
 * the text says no repetition.
 */
export function parseRepeatingQuickAdd(text: string, context: NaturalDateContext): RepeatingQuickAdd | null {
  const phrase = takeRepeatPhrase(text.slice(0, 500), context.language ?? 'en');
  if (!phrase) return null;
  let base: QuickAdd;
  try {
    base = parseQuickAdd(phrase.rest, context);
  } catch (error) {
    if (!(error instanceof InvalidDateText)) throw error;
    const today = utcToZoned(context.now, context.timeZone);
    const start = zonedToUtc({ year: today.year, month: today.month, day: today.day }, context.timeZone);
    base = {
      title: phrase.rest.trim(),
      start,
      end: new Date(start.getTime() + dayMs),
      allDay: true,
      location: null,
    };
  }
  const local = utcToZoned(base.start, context.timeZone);
  const first = firstRuleDay(phrase.rule, { year: local.year, month: local.month, day: local.day });
  const start = zonedToUtc(
    base.allDay ? first : { ...first, hour: local.hour, minute: local.minute, second: local.second },
    context.timeZone,
  );
  const end = base.allDay
    ? zonedToUtc(plusDays(first, 1), context.timeZone)
    : new Date(start.getTime() + (base.end.getTime() - base.start.getTime()));
  return {
    ...base,
    start,
    end,
    rule: phrase.rule,
    rrule: rruleOf(phrase.rule, first, base.allDay, context.timeZone),
  };
}
