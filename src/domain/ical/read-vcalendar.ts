import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { registerReferencedTimeZones } from '../time/time-zone.ts';

const recurrenceError = /frequency|\bBY[A-Z]+\b|\bWKST\b|\bUNTIL\b|\bCOUNT\b|\bINTERVAL\b|RRULE/;

export type ReadOptions = {
  /** 'reject' for incoming data (PUT, import); 'floating' to read stored data without failing. */
  unknownTimeZones: 'reject' | 'floating';
};

/**
 * Parses iCalendar text into its single VCALENDAR and makes every TZID it uses resolvable: first by the
 * object's own VTIMEZONEs, then by IANA data. Only InvalidCalendarData ever escapes.
 */
export function readVCalendar(text: string, options: ReadOptions): ICAL.Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : undefined;
    // ical.js reads RRULE values while parsing, so a bad rule surfaces here rather than later.
    const reason = detail && recurrenceError.test(detail) ? 'invalid-recurrence' : 'unparsable';
    throw new InvalidCalendarData(reason, detail, { cause: error });
  }
  if (!Array.isArray(jcal) || jcal.length === 0) throw new InvalidCalendarData('unparsable', 'empty input');
  // RFC 4791 §4.1: one calendar object resource holds exactly one VCALENDAR.
  if (Array.isArray(jcal[0])) throw new InvalidCalendarData('not-vcalendar', 'more than one top-level object');
  if (jcal[0] !== 'vcalendar') throw new InvalidCalendarData('not-vcalendar', `found ${String(jcal[0])}`);

  const root = new ICAL.Component(jcal as unknown[]);
  const own = new Set<string>();
  const used = new Set<string>();
  for (const component of root.getAllSubcomponents()) {
    if (component.name === 'vtimezone') {
      const tzid = component.getFirstPropertyValue('tzid');
      if (typeof tzid === 'string') own.add(tzid);
      continue;
    }
    collectTzids(component, used);
  }
  const unknown = registerReferencedTimeZones(used, own);
  if (unknown.length > 0 && options.unknownTimeZones === 'reject') {
    throw new InvalidCalendarData('unknown-timezone', unknown.slice(0, 3).join(', '));
  }
  return root;
}

function collectTzids(component: ICAL.Component, into: Set<string>): void {
  for (const property of component.getAllProperties()) {
    const tzid = property.getParameter('tzid');
    if (typeof tzid === 'string' && tzid.length > 0) into.add(tzid);
  }
  // VALARM may carry a TRIGGER;VALUE=DATE-TIME, which is UTC; one level of nesting is all RFC 5545 has.
  for (const child of component.getAllSubcomponents()) {
    for (const property of child.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string' && tzid.length > 0) into.add(tzid);
    }
  }
}
