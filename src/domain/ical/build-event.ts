import ICAL from 'ical.js';
import { InvalidCalendarData, InvalidEventFields } from '../errors.ts';
import { isValidTimeZone, vtimezoneFor } from '../time/time-zone.ts';
import { textControlCharacter } from './calendar-limits.ts';
import {
  allDayEndTime,
  type DateStyle,
  setDateProperty,
  setTimeProperty,
  setUtcStamp,
} from './date-property.ts';
import { parseRrule } from './parse-rrule.ts';

/** The event fields the bot and the Mini App edit. */
export type EventFields = {
  summary: string;
  /** For all-day events, the calendar date of `start` in `timeZone` is used. */
  start: Date;
  /** For all-day events, the exclusive end date (the day after the last day), read in `timeZone`. */
  end: Date;
  allDay: boolean;
  /** IANA zone; local times get a TZID and a VTIMEZONE (docs/caldav-client-quirks.md#tzid-with-vtimezone). */
  timeZone: string;
  description?: string | null;
  location?: string | null;
  rrule?: string | null;
  /** Minutes before start, one VALARM each. */
  reminders?: number[];
};

export const prodId = '-//Televent//Televent//EN';

/** Serialises with CRLF line ends and 75-octet folding (RFC 5545 §3.1), ending in CRLF. */
export function serializeCalendar(root: ICAL.Component): string {
  return `${serializeComponent(root)}\r\n`;
}

/** One component's lines, CRLF between them and none after, folded as serializeCalendar folds. */
export function serializeComponent(component: ICAL.Component): string {
  // ical.js puts 75 octets after a continuation line's leading space, making it 76; RFC 5545 §3.1 counts
  // the space. The setting is module-wide, so it is restored before anything else can run.
  const foldLength = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return component.toString();
  } finally {
    ICAL.foldLength = foldLength;
  }
}

export function dateStyleFor(fields: { allDay: boolean; timeZone: string }): DateStyle {
  if (!isValidTimeZone(fields.timeZone)) throw new InvalidCalendarData('unknown-timezone', fields.timeZone);
  return { allDay: fields.allDay, timeZone: fields.timeZone };
}

/** Adds the zone's VTIMEZONE unless the calendar has one or none is needed (RFC 5545 §3.6.5). */
export function ensureVtimezone(root: ICAL.Component, style: DateStyle): void {
  const tzid = style.timeZone;
  if (style.allDay || !tzid || tzid === 'UTC') return;
  const present = root.getAllSubcomponents('vtimezone').some((z) => z.getFirstPropertyValue('tzid') === tzid);
  if (present) return;
  const text = vtimezoneFor(tzid);
  if (!text) throw new InvalidCalendarData('unknown-timezone', tzid);
  root.addSubcomponent(new ICAL.Component(ICAL.parse(text)));
}

/** Replaces every VALARM with one DISPLAY alarm per reminder (RFC 5545 §3.6.6). */
export function setReminders(event: ICAL.Component, reminders: readonly number[], summary: string): void {
  event.removeAllSubcomponents('valarm');
  for (const minutes of [...new Set(reminders)].sort((a, b) => a - b)) {
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 40_320) {
      throw new InvalidEventFields('invalid-reminder', String(minutes));
    }
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
    alarm.addPropertyWithValue('description', summary || 'Reminder');
    event.addSubcomponent(alarm);
  }
}

/**
 * A person's text as an iCalendar TEXT value (RFC 5545 §3.3.11): line breaks become LF, which ical.js
 * writes escaped as \n; other control characters have no place in a calendar and are refused.
 */
export function eventText(value: string, field: string): string {
  if (textControlCharacter.test(value)) {
    throw new InvalidEventFields('invalid-text', `${field} holds a control character`);
  }
  return value.replace(/\r\n?/g, '\n');
}

export function setOptionalText(event: ICAL.Component, name: string, value: string | null | undefined): void {
  if (value === undefined) return;
  if (value === null || value === '') event.removeAllProperties(name);
  else event.updatePropertyWithValue(name, eventText(value, name));
}

/**
 * A new VCALENDAR with one VEVENT, as Televent writes it: TZID-qualified local times with their
 * VTIMEZONE, DTSTAMP/CREATED/LAST-MODIFIED, SEQUENCE:0 and one VALARM per reminder.
 * Throws InvalidCalendarData for a bad RRULE or an unknown zone, InvalidEventFields for end before start
 * or a bad reminder.
 */
export function buildEventCalendar(input: EventFields & { uid: string; now?: Date }): string {
  const now = input.now ?? new Date();
  const style = dateStyleFor(input);
  if (input.end.getTime() < input.start.getTime()) throw new InvalidEventFields('end-before-start');
  const rule = input.rrule ? parseRrule(input.rrule) : null;

  const root = new ICAL.Component('vcalendar');
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('prodid', prodId);
  root.addPropertyWithValue('calscale', 'GREGORIAN');
  ensureVtimezone(root, style);

  const event = new ICAL.Component('vevent');
  event.addPropertyWithValue('uid', input.uid);
  setUtcStamp(event, 'dtstamp', now);
  setUtcStamp(event, 'created', now);
  setUtcStamp(event, 'last-modified', now);
  event.addPropertyWithValue('sequence', 0);
  setDateProperty(event, 'dtstart', input.start, style);
  if (input.allDay) setTimeProperty(event, 'dtend', allDayEndTime(input.start, input.end, style), style);
  else setDateProperty(event, 'dtend', input.end, style);
  event.addPropertyWithValue('summary', eventText(input.summary, 'summary'));
  setOptionalText(event, 'description', input.description);
  setOptionalText(event, 'location', input.location);
  if (rule) event.addPropertyWithValue('rrule', rule);
  setReminders(event, input.reminders ?? [], input.summary);
  root.addSubcomponent(event);
  return serializeCalendar(root);
}
