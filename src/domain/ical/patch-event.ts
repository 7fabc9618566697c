import ICAL from 'ical.js';
import { InvalidCalendarData, InvalidEventFields } from '../errors.ts';
import { isValidTimeZone } from '../time/time-zone.ts';
import {
  dateStyleFor,
  type EventFields,
  ensureVtimezone,
  eventText,
  serializeCalendar,
  setOptionalText,
  setReminders,
} from './build-event.ts';
import { readTiming } from './component-timing.ts';
import {
  allDayEndTime,
  type DateStyle,
  icalTimeFor,
  setDateProperty,
  setTimeProperty,
  setUtcStamp,
} from './date-property.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { parseRrule } from './parse-rrule.ts';
import { readVCalendar } from './read-vcalendar.ts';

function currentStyle(root: ICAL.Component, master: ICAL.Component, dtstart: ICAL.Time): DateStyle {
  const tzid = master.getFirstProperty('dtstart')?.getParameter('tzid');
  if (typeof tzid === 'string' && !dtstart.isDate) {
    if (isValidTimeZone(tzid)) return { allDay: false, timeZone: tzid };
    // A TZID defined only by the object's own VTIMEZONE (or an old Mozilla path) is kept as written.
    const zone = root.getTimeZoneByID(tzid) ?? ICAL.TimezoneService.get(tzid);
    if (zone) return { allDay: false, timeZone: tzid, zone };
  }
  // Floating, UTC or unresolvable: a rewritten time is written in UTC, the one reading sure to be right.
  return { allDay: dtstart.isDate, timeZone: 'UTC' };
}

function patchTiming(root: ICAL.Component, master: ICAL.Component, patch: Partial<EventFields>): void {
  const timing = readTiming(master, 'UTC');
  if (!timing) throw new InvalidCalendarData('missing-dtstart');
  const current = currentStyle(root, master, timing.dtstart);
  const allDay = patch.allDay ?? timing.allDay;
  const style: DateStyle =
    patch.timeZone !== undefined
      ? dateStyleFor({ allDay, timeZone: patch.timeZone })
      : { ...current, allDay };
  const start = patch.start ?? timing.start;
  // Moving the start keeps the length unless a new end is given.
  const lengthMs = timing.end.getTime() - timing.start.getTime();
  const end = patch.end ?? new Date(start.getTime() + (allDay && !timing.allDay ? 86_400_000 : lengthMs));
  if (end.getTime() < start.getTime()) throw new InvalidEventFields('end-before-start');

  ensureVtimezone(root, style);
  setDateProperty(master, 'dtstart', start, style);

  const endDate = allDay ? allDayEndTime(start, end, style) : null;
  // Keep the author's choice between DTEND and DURATION (RFC 5545 §3.6.1 allows either).
  const duration = master.hasProperty('dtend') ? null : master.getFirstProperty('duration');
  if (duration) {
    duration.setValue(
      endDate
        ? new ICAL.Duration({ days: wholeDaysBetween(icalTimeFor(start, style), endDate) })
        : ICAL.Duration.fromSeconds(Math.round((end.getTime() - start.getTime()) / 1000)),
    );
    return;
  }
  // RFC 4791 §9.9 defaults (one day for a DATE, no length for a DATE-TIME) need no DTEND.
  const isDefaultLength = endDate
    ? wholeDaysBetween(icalTimeFor(start, style), endDate) === 1
    : end.getTime() === start.getTime();
  if (!master.hasProperty('dtend') && patch.end === undefined && isDefaultLength) return;
  if (endDate) setTimeProperty(master, 'dtend', endDate, style);
  else setDateProperty(master, 'dtend', end, style);
}

function wholeDaysBetween(from: ICAL.Time, to: ICAL.Time): number {
  return Math.round(
    (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000,
  );
}

/**
 * Edits the master VEVENT of a stored calendar object in place (patch, never regenerate:
 * docs/caldav-client-quirks.md#round-trip-fidelity), so alarms, attendees, categories, X- properties,
 * overrides and other VTIMEZONEs survive.
 * Only the fields in `patch` change; `null` removes DESCRIPTION, LOCATION or RRULE; `reminders`
 * replaces the master's VALARMs. SEQUENCE is incremented (RFC 5545 §3.8.7.4), DTSTAMP and LAST-MODIFIED
 * are set to `now`. Overrides and EXDATEs keep their RECURRENCE-IDs when the start moves.
 */
export function patchEvent(text: string, patch: Partial<EventFields>, now: Date = new Date()): string {
  return guardCalendarInput(() => patchMaster(text, patch, now));
}

function patchMaster(text: string, patch: Partial<EventFields>, now: Date): string {
  const root = readVCalendar(text, { unknownTimeZones: 'floating' });
  const master = root.getAllSubcomponents('vevent').find((event) => !event.hasProperty('recurrence-id'));
  if (!master) throw new InvalidCalendarData('no-component', 'there is no master VEVENT to edit');
  applyEventPatch(root, master, patch, now);
  return serializeCalendar(root);
}

/**
 * patchEvent's edit of one component of `root` (a master, or a RECURRENCE-ID override: see
 * override-instance.ts), in place: only the fields in `patch` change, SEQUENCE goes up and the stamps
 * are set to `now`.
 */
export function applyEventPatch(
  root: ICAL.Component,
  master: ICAL.Component,
  patch: Partial<EventFields>,
  now: Date,
): void {
  const rule = patch.rrule ? parseRrule(patch.rrule) : null;

  if (patch.summary !== undefined)
    master.updatePropertyWithValue('summary', eventText(patch.summary, 'summary'));
  setOptionalText(master, 'description', patch.description);
  setOptionalText(master, 'location', patch.location);
  if (patch.rrule === null) master.removeAllProperties('rrule');
  else if (rule) master.updatePropertyWithValue('rrule', rule);

  const timingPatched = ['start', 'end', 'allDay', 'timeZone'].some(
    (key) => patch[key as keyof EventFields] !== undefined,
  );
  if (timingPatched) patchTiming(root, master, patch);

  if (patch.reminders !== undefined) {
    const summary = master.getFirstPropertyValue('summary');
    setReminders(master, patch.reminders, typeof summary === 'string' ? summary : '');
  }

  const sequence = Number(master.getFirstPropertyValue('sequence'));
  master.updatePropertyWithValue(
    'sequence',
    Number.isSafeInteger(sequence) && sequence >= 0 ? sequence + 1 : 1,
  );
  setUtcStamp(master, 'dtstamp', now);
  setUtcStamp(master, 'last-modified', now);
}
