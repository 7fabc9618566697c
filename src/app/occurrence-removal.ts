import ICAL from 'ical.js';
import { utcToZoned } from '../domain/time/time-zone.ts';
import type { CalendarService } from './calendar-service.ts';
import { AppError } from './errors.ts';

/**
 * Removes one instance of a recurring event and keeps the rest of the series: an EXDATE for the
 * instance (RFC 5545 §3.8.5.1) on the master, and any override of that instance dropped. The
 * write is conditional on the ETag read, so a concurrent change is reported, not overwritten.
 */
export async function removeOccurrence(
  calendars: CalendarService,
  userId: number,
  eventId: string,
  recurrenceId: Date,
  floatingTimeZone: string,
): Promise<void> {
  const event = await calendars.getEvent(userId, eventId);
  const object = await calendars.getObject(userId, event.calendarId, event.href);
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(object.ical) as unknown[]);
  } catch (cause) {
    throw new AppError('invalid-calendar-data', undefined, { cause });
  }
  const items = root.getAllSubcomponents().filter((c) => c.name === event.componentType.toLowerCase());
  const master = items.find((c) => !c.hasProperty('recurrence-id'));
  for (const item of items) {
    const id = item.getFirstPropertyValue('recurrence-id');
    if (id instanceof ICAL.Time && id.toJSDate().getTime() === recurrenceId.getTime())
      root.removeSubcomponent(item);
  }
  if (master) {
    const start = master.getFirstPropertyValue('dtstart');
    const allDay = start instanceof ICAL.Time && start.isDate;
    // A DATE series gets a DATE EXDATE; a DATE-TIME series the instant in UTC (same value type).
    const exdate = allDay ? dateOf(recurrenceId, floatingTimeZone) : ICAL.Time.fromJSDate(recurrenceId, true);
    const property = new ICAL.Property('exdate', master);
    property.setValue(exdate);
    master.addProperty(property);
  }
  const remaining = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (remaining.length === 0) {
    await calendars.deleteEvent(userId, eventId, { ifMatch: object.etag });
    return;
  }
  await calendars.putObject(userId, event.calendarId, event.href, root.toString().replace(/\r?\n/g, '\r\n'), {
    ifMatch: object.etag,
  });
}

function dateOf(instant: Date, timeZone: string): ICAL.Time {
  const parts = utcToZoned(instant, timeZone);
  return ICAL.Time.fromData({ year: parts.year, month: parts.month, day: parts.day, isDate: true });
}
