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
  if (Array.isArray(jcal[0]))
    throw new InvalidCalendarData('not-vcalendar', 'more than one top-level object');
  if (jcal[0] !== 'vcalendar') throw new InvalidCalendarData('not-vcalendar', `found ${String(jcal[0])}`);

  if (nestingDepth(jcal) > maxDepth)
    throw new InvalidCalendarData('unparsable', 'components are nested too deeply');

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
  // Only now: a time value decoded before its zone is registered would stay floating for good.
  if (options.unknownTimeZones === 'reject') readEveryValue(root);
  return root;
}

// RFC 5545 nests three deep (VCALENDAR > VEVENT > VALARM); RFC 9073 adds a level. Far deeper input
// would overflow the stack when ical.js serialises it.
const maxDepth = 8;

/** Depth of a jCal component ([name, properties, components]), walked without recursion. */
function nestingDepth(jcal: unknown[]): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[jcal, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [component, depth] = entry;
    deepest = Math.max(deepest, depth);
    if (deepest > maxDepth) return deepest;
    const children = Array.isArray(component) ? component[2] : undefined;
    if (Array.isArray(children)) for (const child of children) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** ical.js decodes values on first use; decoding all of them now turns a bad value into a refusal. */
function readEveryValue(root: ICAL.Component): void {
  const stack = [root];
  for (let component = stack.pop(); component; component = stack.pop()) {
    for (const property of component.getAllProperties()) {
      try {
        property.getValues();
      } catch (error) {
        const detail = `bad ${property.name.toUpperCase()} value`;
        throw new InvalidCalendarData(
          property.name === 'rrule' ? 'invalid-recurrence' : 'unparsable',
          detail,
          {
            cause: error,
          },
        );
      }
    }
    stack.push(...component.getAllSubcomponents());
  }
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
