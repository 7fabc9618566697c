import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { type EventFields, serializeCalendar } from './build-event.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { applyEventPatch } from './patch-event.ts';
import { readVCalendar } from './read-vcalendar.ts';
import { masterOf, overrideAt, seriesInstanceAt } from './series-instance.ts';

// Properties that make a component a series; an override is one instance (RFC 5545 §3.8.4.4).
const seriesProperties = ['rrule', 'rdate', 'exdate', 'exrule', 'recurrence-id'];

/**
 * Changes one occurrence of a series (scope "this"): the override component for `recurrenceId`
 * (RFC 5545 §3.8.4.4) gets the patch, created first as a copy of the master at that instance when
 * there is none, so the instance keeps everything the master says (alarms, attendees, X- properties)
 * unless the patch changes it. The master and the other instances are untouched.
 * A rule cannot be set on one instance: `rrule` in the patch is refused.
 */
export function overrideInstance(
  text: string,
  recurrenceId: Date,
  patch: Partial<EventFields>,
  floatingTimeZone: string,
  now: Date,
): string {
  return guardCalendarInput(() => {
    if (patch.rrule !== undefined) {
      throw new InvalidCalendarData('invalid-recurrence', 'one occurrence cannot repeat on its own');
    }
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    const override =
      overrideAt(root, recurrenceId, floatingTimeZone) ?? newOverride(root, recurrenceId, floatingTimeZone);
    const dtstart = override.getFirstPropertyValue('dtstart');
    const allDay = patch.allDay ?? (dtstart instanceof ICAL.Time && dtstart.isDate);
    // Dates of an all-day instance are read in the calendar's zone, like its RECURRENCE-ID.
    const timeZone = patch.timeZone ?? (allDay && (patch.start || patch.end) ? floatingTimeZone : undefined);
    applyEventPatch(root, override, { ...patch, ...(timeZone ? { timeZone } : {}) }, now);
    return serializeCalendar(root);
  });
}

function newOverride(root: ICAL.Component, recurrenceId: Date, floatingTimeZone: string): ICAL.Component {
  const master = masterOf(root);
  const instance = master ? seriesInstanceAt(master, recurrenceId, floatingTimeZone) : null;
  const dtstartProperty = master?.getFirstProperty('dtstart');
  const dtstart = dtstartProperty?.getFirstValue();
  if (!master || !instance || !dtstartProperty || !(dtstart instanceof ICAL.Time)) {
    throw new InvalidCalendarData('invalid-value', 'the series has no occurrence at that RECURRENCE-ID');
  }
  const override = new ICAL.Component(structuredClone(master.toJSON()));
  for (const name of seriesProperties) override.removeAllProperties(name);
  // RECURRENCE-ID has DTSTART's value type and zone (RFC 5545 §3.8.4.4).
  override.addProperty(timeProperty('recurrence-id', dtstartProperty, instance));
  override.getFirstProperty('dtstart')?.setValue(instance.clone());
  const dtend = master.getFirstPropertyValue('dtend');
  if (dtend instanceof ICAL.Time) {
    const end = instance.clone();
    end.addDuration(dtend.subtractDate(dtstart));
    override.getFirstProperty('dtend')?.setValue(end);
  }
  root.addSubcomponent(override);
  return override;
}

function timeProperty(name: string, like: ICAL.Property, value: ICAL.Time): ICAL.Property {
  const property = new ICAL.Property(name);
  property.resetType(value.isDate ? 'date' : 'date-time');
  const tzid = like.getParameter('tzid');
  if (typeof tzid === 'string' && !value.isDate) property.setParameter('tzid', tzid);
  property.setValue(value);
  return property;
}
