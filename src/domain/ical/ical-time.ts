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

// ical.js works out a zone's offset for a wall-clock time by walking and deep-cloning the zone's
// changes on every call; recurring events ask the same few zones about the same times over and over.
// Keyed by the zone object itself: a zone from an object's own VTIMEZONE never answers for another's.
const offsetsByZone = new WeakMap<object, Map<string, number>>();
const offsetsPerZone = 20_000;

/**
 * time.toUnixTime() * 1000, with the zone's UTC offset for that wall-clock time remembered. The same
 * arithmetic as ical.js (Date.UTC of the wall clock, seconds minus the offset), so the same result.
 */
export function unixMs(time: ICAL.Time): number {
  const zone = time.zone;
  if (!zone) return time.toUnixTime() * 1000;
  const { year, month, day, hour, minute, second } = time;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  let offsets = offsetsByZone.get(zone);
  if (!offsets) {
    offsets = new Map();
    offsetsByZone.set(zone, offsets);
  }
  const key = `${year}-${month}-${day} ${hour}:${minute}:${second}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = time.utcOffset();
    if (offsets.size >= offsetsPerZone) offsets.clear();
    offsets.set(key, offset);
  }
  return wallMs - offset * 1000;
}
