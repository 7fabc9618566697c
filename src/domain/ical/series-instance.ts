import ICAL from 'ical.js';
import { recurrenceSet } from '../recurrence/recurrence-set.ts';
import { utcToZoned } from '../time/time-zone.ts';
import { instanceEnd, readTiming } from './component-timing.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { icalTimeToDate, isFloating } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';

// Finding one instance of a recurring event by its RECURRENCE-ID (RFC 5545 §3.8.4.4), shared by the
// occurrence edits (override-instance.ts, split-series.ts, shift-series.ts). Instants are compared the
// way expandOccurrences compares them: floating and DATE values read in `floatingTimeZone`.

/** The item components (VEVENT, VTODO, VJOURNAL) of a calendar, time zones left out. */
export function itemsOf(root: ICAL.Component): ICAL.Component[] {
  return root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
}

export function masterOf(root: ICAL.Component): ICAL.Component | undefined {
  return itemsOf(root).find((c) => !c.hasProperty('recurrence-id'));
}

/** Whether the master has an RRULE or RDATE, i.e. is a series rather than a single event. */
export function isSeries(master: ICAL.Component): boolean {
  return master.hasProperty('rrule') || master.hasProperty('rdate');
}

export function recurrenceIdOf(component: ICAL.Component, floatingTimeZone: string): Date | null {
  const value = component.getFirstPropertyValue('recurrence-id');
  return value instanceof ICAL.Time ? icalTimeToDate(value, floatingTimeZone) : null;
}

export function overrideAt(
  root: ICAL.Component,
  recurrenceId: Date,
  floatingTimeZone: string,
): ICAL.Component | undefined {
  return itemsOf(root).find((c) => recurrenceIdOf(c, floatingTimeZone)?.getTime() === recurrenceId.getTime());
}

/**
 * The member of the master's recurrence set that starts at `recurrenceId`, as the series writes it
 * (DTSTART's zone and value type): the value its RECURRENCE-ID takes. Null when the set has no such
 * member (never one, or removed by an EXDATE).
 */
export function seriesInstanceAt(
  master: ICAL.Component,
  recurrenceId: Date,
  floatingTimeZone: string,
): ICAL.Time | null {
  const dtstart = master.getFirstPropertyValue('dtstart');
  if (!(dtstart instanceof ICAL.Time)) return null;
  const target = recurrenceId.getTime();
  const budget = { remaining: 100_000, exhausted: false };
  // The iterator's stop test reads floating values as UTC: two days' slack covers every zone.
  const options = { floatingTimeZone, budget, skipBeforeMs: target, stopAfterMs: target + 2 * 86_400_000 };
  for (const instance of recurrenceSet(master, dtstart, options)) {
    if (instance.startMs === target) return instance.start.clone();
    if (instance.startMs > target) return null;
  }
  return null;
}

/** An instant written in the form of `template`: a DATE, a floating time, UTC, or a time in its zone. */
export function timeLike(template: ICAL.Time, instant: Date, floatingTimeZone: string): ICAL.Time {
  if (template.isDate || isFloating(template)) {
    const local = utcToZoned(instant, floatingTimeZone);
    return ICAL.Time.fromData({
      year: local.year,
      month: local.month,
      day: local.day,
      ...(template.isDate ? {} : { hour: local.hour, minute: local.minute, second: local.second }),
      isDate: template.isDate,
    });
  }
  const utc = ICAL.Time.fromJSDate(instant, true);
  return template.zone && template.zone.tzid !== 'UTC' ? utc.convertToZone(template.zone) : utc;
}

/** When one occurrence of a stored object happens, as a listing shows it. */
export type InstanceTiming = {
  start: Date;
  end: Date;
  allDay: boolean;
  overridden: boolean;
  /** Whether the object has a repeating master (an object may hold overrides only: RFC 4791 §4.1). */
  series: boolean;
};

/**
 * The occurrence of a recurring object at `recurrenceId`: its override's times when it has one,
 * else the series instance's. Null when the object has no occurrence there, so a client cannot
 * name an instant the series never had (or one an EXDATE removed).
 */
export function instanceTiming(
  text: string,
  recurrenceId: Date,
  floatingTimeZone: string,
): InstanceTiming | null {
  return guardCalendarInput(() =>
    instanceTimingIn(readVCalendar(text, { unknownTimeZones: 'floating' }), recurrenceId, floatingTimeZone),
  );
}

export function instanceTimingIn(
  root: ICAL.Component,
  recurrenceId: Date,
  floatingTimeZone: string,
): InstanceTiming | null {
  const master = masterOf(root);
  const series = master !== undefined && isSeries(master);
  const override = overrideAt(root, recurrenceId, floatingTimeZone);
  if (override) {
    const timing = readTiming(override, floatingTimeZone);
    return (
      timing && { start: timing.start, end: timing.end, allDay: timing.allDay, overridden: true, series }
    );
  }
  if (!master || !series) return null;
  const timing = readTiming(master, floatingTimeZone);
  const start = seriesInstanceAt(master, recurrenceId, floatingTimeZone);
  if (!timing || !start) return null;
  const end = instanceEnd(start, timing, floatingTimeZone);
  return { start: recurrenceId, end, allDay: timing.allDay, overridden: false, series };
}
