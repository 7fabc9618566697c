import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { seriesBounds } from '../recurrence/series-bounds.ts';
import { readTiming } from './component-timing.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { icalTimeToDate } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';

export type ComponentType = 'VEVENT' | 'VTODO' | 'VJOURNAL';

/** What the index and the doors need to know about a stored calendar object resource. */
export type ParsedCalendarObject = {
  uid: string;
  componentType: ComponentType;
  summary: string | null;
  /** DTSTART of the master (or of the first override) as an instant; floating times read as UTC. */
  start: Date | null;
  /** DTEND (DUE for VTODO), DTSTART+DURATION, or the RFC 4791 §9.9 default length. */
  end: Date | null;
  allDay: boolean;
  /** TZID parameter of DTSTART; null for UTC, floating and DATE values. */
  timezone: string | null;
  rrule: string | null;
  status: string | null;
  sequence: number;
  /** Index prefilter for time-range queries; null means open on that side. Compare inclusively. */
  seriesFirstStart: Date | null;
  seriesLastEnd: Date | null;
  hasAlarms: boolean;
};

const storable = new Set(['vevent', 'vtodo', 'vjournal']);
// RFC 5545 §3.6: components a VCALENDAR may hold that are not the stored item itself.
const ignorable = new Set(['vtimezone']);

function textOf(component: ICAL.Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value : null;
}

/**
 * Validates a CalDAV calendar object resource (RFC 4791 §4.1) and reads its index fields. One
 * VCALENDAR; VEVENT, VTODO or VJOURNAL components all of one type and one UID (a master and its
 * RECURRENCE-ID overrides, or overrides only); VTIMEZONEs alongside. Throws only InvalidCalendarData.
 */
export function parseCalendarObject(text: string): ParsedCalendarObject {
  return guardCalendarInput(() => readCalendarObject(text));
}

function readCalendarObject(text: string): ParsedCalendarObject {
  const root = readVCalendar(text, { unknownTimeZones: 'reject' });
  const items: ICAL.Component[] = [];
  for (const component of root.getAllSubcomponents()) {
    if (ignorable.has(component.name)) continue;
    if (!storable.has(component.name)) {
      throw new InvalidCalendarData('unsupported-component', component.name.toUpperCase());
    }
    const firstType = items[0]?.name;
    if (firstType && firstType !== component.name) {
      throw new InvalidCalendarData(
        'mixed-components',
        `${firstType.toUpperCase()} and ${component.name.toUpperCase()}`,
      );
    }
    items.push(component);
  }
  const first = items[0];
  if (!first) throw new InvalidCalendarData('no-component');
  const componentType = first.name.toUpperCase() as ComponentType;

  let uid: string | null = null;
  for (const item of items) {
    const itemUid = textOf(item, 'uid');
    if (!itemUid || itemUid.trim() === '') throw new InvalidCalendarData('no-uid');
    // RFC 4791 §4.1: every component in one resource shares the UID.
    if (uid !== null && itemUid !== uid) throw new InvalidCalendarData('mixed-uids', `${uid} and ${itemUid}`);
    uid = itemUid;
    // RFC 5545 §3.6.1: DTSTART is required in a VEVENT when the object has no METHOD.
    if (item.name === 'vevent' && !item.hasProperty('dtstart'))
      throw new InvalidCalendarData('missing-dtstart');
    checkTimes(item);
    checkTimeRange(item);
    checkRecurrence(item);
  }

  const master = items.find((item) => !item.hasProperty('recurrence-id')) ?? first;
  const timing = readTiming(master, 'UTC');
  const dtstartTzid = master.getFirstProperty('dtstart')?.getParameter('tzid');
  const rruleValue = master.getFirstPropertyValue('rrule');
  const sequence = Number(master.getFirstPropertyValue('sequence'));
  const bounds = seriesBounds(items);

  return {
    uid: uid ?? '',
    componentType,
    summary: textOf(master, 'summary'),
    start: timing?.start ?? null,
    end: timing?.end ?? dueWithoutStart(master),
    allDay: timing?.allDay ?? false,
    timezone: typeof dtstartTzid === 'string' && timing && !timing.allDay ? dtstartTzid : null,
    rrule: rruleValue instanceof ICAL.Recur ? rruleValue.toString() : null,
    status: textOf(master, 'status'),
    sequence: Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : 0,
    seriesFirstStart: bounds.firstStart,
    seriesLastEnd: bounds.lastEnd,
    hasAlarms: items.some((item) => item.getAllSubcomponents('valarm').length > 0),
  };
}

/** A VTODO without DTSTART still ends at its DUE (RFC 5545 §3.8.2.3): task lists sort by it. */
function dueWithoutStart(component: ICAL.Component): Date | null {
  const due = component.name === 'vtodo' ? component.getFirstPropertyValue('due') : null;
  return due instanceof ICAL.Time ? icalTimeToDate(due, 'UTC') : null;
}

const timeProperties = ['dtstart', 'dtend', 'due', 'recurrence-id', 'rdate', 'exdate'];

/** ical.js parses values lazily; reading them here turns a bad date into a 400 instead of a later 500. */
function checkTimes(item: ICAL.Component): void {
  for (const name of timeProperties) {
    for (const property of item.getAllProperties(name)) {
      try {
        for (const value of property.getValues()) {
          if (value instanceof ICAL.Time && !Number.isFinite(value.toUnixTime())) throw new Error('bad time');
        }
      } catch (error) {
        throw new InvalidCalendarData('unparsable', `bad ${name.toUpperCase()} value`, { cause: error });
      }
    }
  }
}

/**
 * RFC 5545 §3.8.2.2: DTEND (and a VTODO's DUE, §3.8.2.3) may not come before DTSTART; §3.8.2.5: an
 * event's DURATION is a positive length. ical.js would keep such values and read them as zero length.
 */
function checkTimeRange(item: ICAL.Component): void {
  const start = item.getFirstPropertyValue('dtstart');
  const end = item.getFirstPropertyValue(item.name === 'vtodo' ? 'due' : 'dtend');
  if (start instanceof ICAL.Time && end instanceof ICAL.Time && end.compare(start) < 0) {
    const name = item.name === 'vtodo' ? 'DUE' : 'DTEND';
    throw new InvalidCalendarData(
      'invalid-time-range',
      `${name} ${end.toString()} is before DTSTART ${start.toString()}`,
    );
  }
  const duration = item.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration && duration.isNegative && duration.toSeconds() !== 0) {
    throw new InvalidCalendarData('invalid-time-range', `DURATION ${duration.toString()} is negative`);
  }
}

function checkRecurrence(item: ICAL.Component): void {
  for (const property of item.getAllProperties('rrule')) {
    let rule: unknown;
    try {
      rule = property.getFirstValue();
    } catch (error) {
      throw new InvalidCalendarData('invalid-recurrence', errorText(error), { cause: error });
    }
    if (!(rule instanceof ICAL.Recur) || !rule.freq)
      throw new InvalidCalendarData('invalid-recurrence', 'no FREQ');
    if (!(rule.interval >= 1))
      throw new InvalidCalendarData('invalid-recurrence', 'INTERVAL must be at least 1');
    const dtstart = item.getFirstPropertyValue('dtstart');
    if (dtstart instanceof ICAL.Time) {
      try {
        rule.iterator(dtstart);
      } catch (error) {
        throw new InvalidCalendarData('invalid-recurrence', errorText(error), { cause: error });
      }
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unreadable RRULE';
}
