import ICAL from 'ical.js';
import { utcToZoned } from '../time/time-zone.ts';
import { serializeCalendar } from './build-event.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { icalTimeToDate } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';

/**
 * A stored object without one instance of its series: an EXDATE for the instance on the master
 * (RFC 5545 §3.8.5.1) and any override of that instance dropped. Null when nothing is left, so the
 * caller deletes the object instead. Floating and DATE values are read in `floatingTimeZone`.
 */
export function removeInstance(
  text: string,
  componentType: string,
  recurrenceId: Date,
  floatingTimeZone: string,
): string | null {
  return guardCalendarInput(() => {
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    const items = root.getAllSubcomponents().filter((c) => c.name === componentType.toLowerCase());
    const master = items.find((c) => !c.hasProperty('recurrence-id'));
    for (const item of items) {
      const id = item.getFirstPropertyValue('recurrence-id');
      if (
        id instanceof ICAL.Time &&
        icalTimeToDate(id, floatingTimeZone).getTime() === recurrenceId.getTime()
      ) {
        root.removeSubcomponent(item);
      }
    }
    if (master) {
      const start = master.getFirstPropertyValue('dtstart');
      const allDay = start instanceof ICAL.Time && start.isDate;
      // A DATE series gets a DATE EXDATE; a DATE-TIME series the instant in UTC (same value type).
      const exdate = allDay
        ? dateOf(recurrenceId, floatingTimeZone)
        : ICAL.Time.fromJSDate(recurrenceId, true);
      const property = new ICAL.Property('exdate', master);
      property.setValue(exdate);
      master.addProperty(property);
    }
    const remaining = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
    return remaining.length === 0 ? null : serializeCalendar(root);
  });
}

function dateOf(instant: Date, timeZone: string): ICAL.Time {
  const parts = utcToZoned(instant, timeZone);
  return ICAL.Time.fromData({ year: parts.year, month: parts.month, day: parts.day, isDate: true });
}
