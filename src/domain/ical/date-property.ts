import ICAL from 'ical.js';
import { utcToZoned } from '../time/time-zone.ts';

/**
 * How a date is written: a DATE (all-day), a local time with TZID, or UTC (timeZone null or 'UTC').
 * `zone` gives the definition for a TZID that is not an IANA name (Outlook's "W. Europe Standard Time"
 * with its own VTIMEZONE); without it the TZID must be an IANA zone.
 */
export type DateStyle = { allDay: boolean; timeZone: string | null; zone?: ICAL.Timezone };

function wallClock(date: Date, style: DateStyle) {
  if (style.zone) {
    const t = ICAL.Time.fromJSDate(date, true).convertToZone(style.zone);
    return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  }
  return utcToZoned(date, style.timeZone ?? 'UTC');
}

/** The iCalendar value for an instant in a style; an all-day value is the calendar date in the zone. */
export function icalTimeFor(date: Date, style: DateStyle): ICAL.Time {
  const zone = style.timeZone ?? 'UTC';
  const local = wallClock(date, style);
  if (style.allDay)
    return ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, isDate: true });
  if (zone === 'UTC') return ICAL.Time.fromJSDate(new Date(Math.floor(date.getTime() / 1000) * 1000), true);
  // A floating wall-clock value; the TZID parameter gives it its zone (RFC 5545 §3.3.5 form 3).
  const { year, month, day, hour, minute, second } = local;
  return ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false });
}

/**
 * Sets a DATE or DATE-TIME property, in place when it exists so its other parameters survive.
 * RFC 5545 §3.2.19: TZID only on local times; §3.2.20: VALUE=DATE for dates.
 */
export function setDateProperty(component: ICAL.Component, name: string, date: Date, style: DateStyle): void {
  setTimeProperty(component, name, icalTimeFor(date, style), style);
}

export function setTimeProperty(
  component: ICAL.Component,
  name: string,
  time: ICAL.Time,
  style: DateStyle,
): void {
  const property = component.getFirstProperty(name) ?? component.addProperty(new ICAL.Property(name));
  property.resetType(style.allDay ? 'date' : 'date-time');
  property.removeParameter('tzid');
  if (!style.allDay && style.timeZone && style.timeZone !== 'UTC')
    property.setParameter('tzid', style.timeZone);
  property.setValue(time);
}

/** RFC 5545 §3.6.1: an all-day DTEND is exclusive, so it is at least the day after DTSTART. */
export function allDayEndTime(start: Date, end: Date, style: DateStyle): ICAL.Time {
  const first = icalTimeFor(start, style);
  const after = icalTimeFor(end, style);
  if (after.compare(first) > 0) return after;
  first.adjust(1, 0, 0, 0);
  return first;
}

/** DTSTAMP, CREATED and LAST-MODIFIED are always UTC (RFC 5545 §3.8.7). */
export function setUtcStamp(component: ICAL.Component, name: string, now: Date): void {
  setDateProperty(component, name, now, { allDay: false, timeZone: 'UTC' });
}
