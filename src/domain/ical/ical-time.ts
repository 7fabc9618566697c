import type ICAL from 'ical.js';
import { zonedToUtc } from '../time/time-zone.ts';

/** RFC 5545 §3.3.5 form 1: a DATE-TIME without Z or TZID is floating, like every DATE. */
export function isFloating(time: ICAL.Time): boolean {
  return time.isDate || !time.zone || time.zone.tzid === 'floating';
}

/**
 * The instant an iCalendar time stands for. Floating times and DATEs have no zone of their own, so they
 * are read in `floatingTimeZone` (RFC 4791 §9.9: the calendar's time zone; UTC when none is known).
 */
export function icalTimeToDate(time: ICAL.Time, floatingTimeZone = 'UTC'): Date {
  if (isFloating(time)) {
    const local = {
      year: time.year,
      month: time.month,
      day: time.day,
      hour: time.isDate ? 0 : time.hour,
      minute: time.isDate ? 0 : time.minute,
      second: time.isDate ? 0 : time.second,
    };
    if (floatingTimeZone === 'UTC') {
      return new Date(
        Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second),
      );
    }
    return zonedToUtc(local, floatingTimeZone);
  }
  return new Date(unixMs(time));
}

/**
 * time.toUnixTime() * 1000: Date.UTC of the wall clock, seconds minus the zone's offset (the same
 * arithmetic as ical.js). The offset lookup itself is cheap: time-zone.ts answers it by binary search
 * between the zone's changes, so nothing is remembered here.
 */
export function unixMs(time: ICAL.Time): number {
  const zone = time.zone;
  if (!zone) return time.toUnixTime() * 1000;
  const { year, month, day, hour, minute, second } = time;
  return Date.UTC(year, month - 1, day, hour, minute, second - time.utcOffset());
}
