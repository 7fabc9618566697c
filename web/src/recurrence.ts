import { instantOf } from './zoned-time.ts';

// The form's "Repeat" choices and the RRULE (RFC 5545 §3.3.10) they stand for, both ways, so the
// same form can later edit an event it did not create.

export type Frequency = 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export const weekdays: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export interface RepeatRule {
  frequency: Frequency;
  /** For weekly rules: the days it happens on. */
  days: Weekday[];
  ends: 'never' | 'until' | 'count';
  /** The last day it may happen on, 'YYYY-MM-DD', when `ends` is 'until'. */
  until: string;
  count: number;
}

export const noRepeat: RepeatRule = { frequency: 'none', days: [], ends: 'never', until: '', count: 10 };

const pad = (n: number) => String(n).padStart(2, '0');

function utcStamp(instant: Date): string {
  return (
    `${instant.getUTCFullYear()}${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}` +
    `T${pad(instant.getUTCHours())}${pad(instant.getUTCMinutes())}${pad(instant.getUTCSeconds())}Z`
  );
}

/**
 * The RRULE for a choice, or null for "does not repeat". UNTIL is a date for all-day events and
 * otherwise the end of that day in the event's zone, in UTC (RFC 5545 §3.3.10: with a zoned
 * DTSTART, UNTIL is a UTC date-time).
 */
export function toRrule(rule: RepeatRule, event: { allDay: boolean; timeZone: string }): string | null {
  if (rule.frequency === 'none') return null;
  const parts = [`FREQ=${rule.frequency.toUpperCase()}`];
  if (rule.frequency === 'weekly' && rule.days.length > 0) {
    parts.push(`BYDAY=${weekdays.filter((d) => rule.days.includes(d)).join(',')}`);
  }
  if (rule.ends === 'count' && rule.count > 0) parts.push(`COUNT=${Math.floor(rule.count)}`);
  if (rule.ends === 'until' && /^\d{4}-\d{2}-\d{2}$/.test(rule.until)) {
    parts.push(
      event.allDay
        ? `UNTIL=${rule.until.replaceAll('-', '')}`
        : `UNTIL=${utcStamp(instantOf(`${rule.until}T23:59:59`, event.timeZone))}`,
    );
  }
  return parts.join(';');
}

/** Reads back the rules this form writes; anything richer is kept as text by the caller. */
export function fromRrule(rrule: string | null): RepeatRule | undefined {
  if (!rrule) return noRepeat;
  const fields = new Map(
    rrule
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((part) => part.split('=') as [string, string]),
  );
  const known = new Set(['FREQ', 'BYDAY', 'UNTIL', 'COUNT']);
  if ([...fields.keys()].some((key) => !known.has(key.toUpperCase()))) return undefined;
  const frequency = fields.get('FREQ')?.toLowerCase();
  if (frequency !== 'daily' && frequency !== 'weekly' && frequency !== 'monthly' && frequency !== 'yearly') {
    return undefined;
  }
  const days = (fields.get('BYDAY') ?? '')
    .split(',')
    .filter((d): d is Weekday => weekdays.includes(d as Weekday));
  const until = fields.get('UNTIL');
  const count = fields.get('COUNT');
  return {
    frequency,
    days,
    ends: until ? 'until' : count ? 'count' : 'never',
    until: until ? `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}` : '',
    count: count ? Number(count) : 10,
  };
}
