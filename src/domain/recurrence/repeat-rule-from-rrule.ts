import { utcToZoned } from '../time/time-zone.ts';
import { type RepeatFrequency, type RepeatRule, type Weekday, weekdayOrder } from './repeat-phrase.ts';

export interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** A stored RRULE read back into the words the bot can say, with its end. */
export interface StoredRepeat {
  /** `until` is always null here: the last day, with its year, is `lastDay`. */
  rule: RepeatRule;
  /** UNTIL as a day in the event's zone, or null. */
  lastDay: LocalDay | null;
  /** COUNT, or null. */
  count: number | null;
}

const frequencies: readonly RepeatFrequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
/** Parts that change nothing the bot says: WKST matters only to weekly rules with BYDAY and an interval. */
const ignored = new Set(['WKST']);

function positiveInteger(text: string | undefined, max: number): number | null {
  if (text === undefined || !/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= max ? n : null;
}

/** UNTIL (RFC 5545 §3.3.10): a DATE, a UTC DATE-TIME (read in `timeZone`), or a floating one. */
function untilDay(value: string, timeZone: string): LocalDay | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[7] !== 'Z') return { year, month, day };
  const local = utcToZoned(
    new Date(Date.UTC(year, month - 1, day, Number(m[4]), Number(m[5]), Number(m[6]))),
    timeZone,
  );
  return { year: local.year, month: local.month, day: local.day };
}

/**
 * The RepeatRule behind a stored RRULE value (RFC 5545 §3.3.10), for spelling it out: daily, weekly
 * on plain weekdays, monthly on one day, yearly on one date, each with an interval, UNTIL or COUNT.
 * Null for anything those words cannot say (BYSETPOS, "first Monday", several month days, hourly…),
 * so the caller says "custom rule" rather than something wrong. Given the series' DTSTART, the
 * days RFC 5545 takes from it are named ("every week" on a Monday start is "every Monday").
 */
export function repeatRuleFromRrule(rrule: string, timeZone: string, start?: Date): StoredRepeat | null {
  const parts = new Map<string, string>();
  for (const part of rrule
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')) {
    if (part === '') continue;
    const [name = '', value = ''] = part.split('=');
    if (parts.has(name.toUpperCase())) return null;
    parts.set(name.toUpperCase(), value.toUpperCase());
  }
  const freq = frequencies.find((f) => f === parts.get('FREQ'));
  if (!freq) return null;
  const interval = parts.has('INTERVAL') ? positiveInteger(parts.get('INTERVAL'), 999) : 1;
  if (interval === null) return null;

  let byDay: Weekday[] = [];
  const days = parts.get('BYDAY');
  if (days !== undefined) {
    if (freq !== 'WEEKLY') return null;
    const named = days.split(',');
    if (!named.every((d) => weekdayOrder.includes(d as Weekday))) return null;
    byDay = weekdayOrder.filter((d) => named.includes(d));
  }
  const byMonthDay = parts.has('BYMONTHDAY') ? positiveInteger(parts.get('BYMONTHDAY'), 31) : null;
  const byMonth = parts.has('BYMONTH') ? positiveInteger(parts.get('BYMONTH'), 12) : null;
  if (parts.has('BYMONTHDAY') && (byMonthDay === null || (freq !== 'MONTHLY' && freq !== 'YEARLY')))
    return null;
  if (parts.has('BYMONTH') && (byMonth === null || freq !== 'YEARLY' || byMonthDay === null)) return null;
  if (freq === 'YEARLY' && byMonthDay !== null && byMonth === null) return null;

  const until = parts.get('UNTIL');
  const lastDay = until === undefined ? null : untilDay(until, timeZone);
  if (until !== undefined && lastDay === null) return null;
  const count = parts.has('COUNT') ? positiveInteger(parts.get('COUNT'), 9999) : null;
  if (parts.has('COUNT') && (count === null || until !== undefined)) return null;

  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'UNTIL', 'COUNT']);
  if ([...parts.keys()].some((name) => !known.has(name) && !ignored.has(name))) return null;
  const rule: RepeatRule = { freq, interval, byDay, byMonthDay, byMonth, until: null };
  return { rule: start ? withStartDays(rule, start, timeZone) : rule, lastDay, count };
}

/** The parts a rule leaves to DTSTART (RFC 5545 §3.3.10, "information … derived from DTSTART"). */
function withStartDays(rule: RepeatRule, start: Date, timeZone: string): RepeatRule {
  const local = utcToZoned(start, timeZone);
  const weekday =
    weekdayOrder[(new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7];
  if (rule.freq === 'WEEKLY' && rule.byDay.length === 0 && weekday) return { ...rule, byDay: [weekday] };
  if (rule.freq === 'MONTHLY' && rule.byMonthDay === null) return { ...rule, byMonthDay: local.day };
  if (rule.freq === 'YEARLY' && rule.byMonthDay === null) {
    return { ...rule, byMonth: local.month, byMonthDay: local.day };
  }
  return rule;
}
