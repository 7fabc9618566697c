import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';

/** An RRULE value (RFC 5545 §3.3.10) from text such as "FREQ=WEEKLY;BYDAY=MO", or InvalidCalendarData. */
export function parseRrule(text: string): ICAL.Recur {
  let rule: ICAL.Recur;
  try {
    rule = ICAL.Recur.fromString(text.replace(/^RRULE:/i, '').trim());
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : text;
    throw new InvalidCalendarData('invalid-recurrence', detail, { cause: error });
  }
  if (!rule.freq) throw new InvalidCalendarData('invalid-recurrence', 'FREQ is required');
  if (!(rule.interval >= 1))
    throw new InvalidCalendarData('invalid-recurrence', 'INTERVAL must be at least 1');
  return rule;
}
