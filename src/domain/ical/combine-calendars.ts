import ICAL from 'ical.js';
import { prodId, serializeCalendar } from './build-event.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { readVCalendar } from './read-vcalendar.ts';

/**
 * One VCALENDAR holding the components of many stored objects (an .ics export). Each VTIMEZONE is
 * kept once per TZID (RFC 5545 §3.6.5: a TZID names one definition within an iCalendar object).
 */
export function combineCalendars(texts: readonly string[], name?: string): string {
  return guardCalendarInput(() => combine(texts, name));
}

function combine(texts: readonly string[], name?: string): string {
  const combined = new ICAL.Component('vcalendar');
  combined.addPropertyWithValue('version', '2.0');
  combined.addPropertyWithValue('prodid', prodId);
  combined.addPropertyWithValue('calscale', 'GREGORIAN');
  if (name) combined.addPropertyWithValue('x-wr-calname', name);
  const zones = new Set<string>();
  for (const text of texts) {
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    // A copy: addSubcomponent moves each component out of root's live list.
    for (const component of [...root.getAllSubcomponents()]) {
      if (component.name === 'vtimezone') {
        const tzid = String(component.getFirstPropertyValue('tzid') ?? '');
        if (zones.has(tzid)) continue;
        zones.add(tzid);
        combined.addSubcomponent(component);
      } else {
        combined.addSubcomponent(component);
      }
    }
  }
  // VTIMEZONEs first, as most readers expect them before the events that use them.
  // A copy: getAllSubcomponents returns the live list that removeAllSubcomponents empties.
  const all = [...combined.getAllSubcomponents()];
  combined.removeAllSubcomponents();
  for (const c of all.filter((c) => c.name === 'vtimezone')) combined.addSubcomponent(c);
  for (const c of all.filter((c) => c.name !== 'vtimezone')) combined.addSubcomponent(c);
  return serializeCalendar(combined);
}
