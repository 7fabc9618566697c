import ICAL from 'ical.js';
import type { EventTiming } from '../time/time-range.ts';
import { calendarLimits } from './calendar-limits.ts';
import { icalTimeToDate } from './ical-time.ts';

const longestDays = Math.floor(calendarLimits.durationSeconds / 86_400);

/**
 * When a component happens, and how its length is expressed; the latter picks the RFC 4791 §9.9 row
 * and lets every instance of a series get the same length.
 */
export type ComponentTiming = {
  dtstart: ICAL.Time;
  start: Date;
  end: Date;
  allDay: boolean;
  /** 'dtend' covers DTEND and, for VTODO, DUE. */
  endSource: 'dtend' | 'duration' | 'default';
  /** RFC 5545 §3.3.6: days and weeks are nominal (wall-clock), hours and less are exact. */
  nominalDays: number;
  exactMs: number;
};

function timeValue(component: ICAL.Component, name: string): ICAL.Time | null {
  const value = component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value : null;
}

function addNominalDays(time: ICAL.Time, days: number): ICAL.Time {
  const moved = time.clone();
  if (days !== 0) moved.adjust(days, 0, 0, 0);
  return moved;
}

/** The end of an instance starting at `start` that has the length described by `timing`. */
export function instanceEnd(start: ICAL.Time, timing: ComponentTiming, floatingTimeZone: string): Date {
  // Most events last hours: no wall-clock arithmetic (and no copy of the time) is needed then.
  if (timing.nominalDays === 0)
    return new Date(icalTimeToDate(start, floatingTimeZone).getTime() + timing.exactMs);
  const wallEnd = addNominalDays(start, timing.nominalDays);
  return new Date(icalTimeToDate(wallEnd, floatingTimeZone).getTime() + timing.exactMs);
}

/**
 * DTSTART and the end of a VEVENT, VTODO or VJOURNAL, with RFC 4791 §9.9's defaults when neither DTEND
 * nor DURATION is given: a DATE lasts one day, a DATE-TIME lasts no time. Null without DTSTART.
 */
export function readTiming(component: ICAL.Component, floatingTimeZone: string): ComponentTiming | null {
  const dtstart = timeValue(component, 'dtstart');
  if (!dtstart) return null;
  const start = icalTimeToDate(dtstart, floatingTimeZone);
  const allDay = dtstart.isDate;
  const base = { dtstart, start, allDay };

  const explicitEnd = timeValue(component, component.name === 'vtodo' ? 'due' : 'dtend');
  if (explicitEnd) {
    const endMs = icalTimeToDate(explicitEnd, floatingTimeZone).getTime();
    if (allDay && explicitEnd.isDate) {
      const days = Math.max(0, Math.round((endMs - start.getTime()) / 86_400_000));
      const timing = { ...base, endSource: 'dtend' as const, nominalDays: days, exactMs: 0, end: start };
      return { ...timing, end: instanceEnd(dtstart, timing, floatingTimeZone) };
    }
    const exactMs = Math.max(0, endMs - start.getTime());
    return { ...base, end: new Date(start.getTime() + exactMs), endSource: 'dtend', nominalDays: 0, exactMs };
  }

  const duration = component.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration && !duration.isNegative) {
    // Stored data may predate the DURATION limit: ical.js moves a date month by month, so a length of
    // a billion weeks would take hours to add. Read it as the longest length accepted today.
    const nominalDays = Math.min(duration.weeks * 7 + duration.days, longestDays);
    const exactMs = Math.min(
      ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000,
      calendarLimits.durationSeconds * 1000,
    );
    const timing = { ...base, endSource: 'duration' as const, nominalDays, exactMs, end: start };
    return { ...timing, end: instanceEnd(dtstart, timing, floatingTimeZone) };
  }

  const timing = {
    ...base,
    endSource: 'default' as const,
    nominalDays: allDay ? 1 : 0,
    exactMs: 0,
    end: start,
  };
  return { ...timing, end: instanceEnd(dtstart, timing, floatingTimeZone) };
}

/** The shape `overlapsTimeRange` needs for an instance with this timing. */
export function eventTimingFor(timing: ComponentTiming, start: Date, end: Date): EventTiming {
  if (timing.endSource === 'duration') {
    return { start, durationMs: end.getTime() - start.getTime(), allDay: timing.allDay };
  }
  if (timing.endSource === 'dtend' || timing.allDay) return { start, end, allDay: timing.allDay };
  return { start, allDay: false };
}
