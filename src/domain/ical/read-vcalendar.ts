import ICAL from 'ical.js';
import { BoundedCache } from '../bounded-cache.ts';
import { InvalidCalendarData } from '../errors.ts';
import { countRuleInstances } from '../recurrence/recurrence-set.ts';
import { registerReferencedTimeZones, sharedTimeZone } from '../time/time-zone.ts';
import {
  calendarLimits,
  checkCharacters,
  checkRuleText,
  checkStructure,
  checkTzidCount,
  checkValues,
  refusedFrequencies,
} from './calendar-limits.ts';

const recurrenceError = /frequency|\bBY[A-Z]+\b|\bWKST\b|\bUNTIL\b|\bCOUNT\b|\bINTERVAL\b|RRULE/;

export type ReadOptions = {
  /** 'reject' for incoming data (PUT, import); 'floating' to read stored data without failing. */
  unknownTimeZones: 'reject' | 'floating';
};

/**
 * Parses iCalendar text into its single VCALENDAR and makes every TZID it uses resolvable: first by the
 * object's own VTIMEZONEs, then by IANA data. Only InvalidCalendarData ever escapes.
 *
 * New data ('reject') must keep within calendarLimits, checked before any costly step. Stored data
 * ('floating') may predate the limits: it is read within them instead: excess RRULEs, VALARMs and
 * components are left out, and a VTIMEZONE that is too costly to expand gives way to the IANA zone of
 * the same name (or floating time). The stored text itself is never changed by reading it.
 */
export function readVCalendar(text: string, options: ReadOptions): ICAL.Component {
  const incoming = options.unknownTimeZones === 'reject';
  if (incoming) {
    checkCharacters(text);
    checkRuleText(text);
  }
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
  if (incoming) {
    checkStructure(root);
    checkValues(root);
  } else {
    keepWithinLimits(root);
  }
  const own = new Set<string>();
  const used = new Set<string>();
  // A copy: removing a zone from the live list would skip the component after it.
  for (const component of [...root.getAllSubcomponents()]) {
    if (component.name === 'vtimezone') {
      const content = JSON.stringify(component.jCal);
      if (!timeZoneWithinLimits(content, component)) {
        if (incoming) {
          throw new InvalidCalendarData(
            'limit-exceeded',
            `a VTIMEZONE defines more than ${calendarLimits.transitions} offset changes before ${calendarLimits.transitionHorizonYear + 1}`,
          );
        }
        root.removeSubcomponent(component);
        continue;
      }
      const tzid = component.getFirstPropertyValue('tzid');
      if (typeof tzid === 'string' && !own.has(tzid)) {
        own.add(tzid);
        // ical.js looks the TZID up in this per-root map first (Component#getTimeZoneByID), where it
        // would otherwise build and expand its own copy of the zone for this one object.
        timeZonesOf(root).set(tzid, sharedTimeZone(content));
      }
      continue;
    }
    collectTzids(component, used);
  }
  if (incoming) checkTzidCount(used);
  // Stored data past the bound: the first TZIDs are resolved, the rest read as floating.
  const resolvable = incoming ? used : new Set([...used].slice(0, calendarLimits.tzids));
  const unknown = registerReferencedTimeZones(resolvable, own);
  if (unknown.length > 0 && options.unknownTimeZones === 'reject') {
    throw new InvalidCalendarData('unknown-timezone', unknown.slice(0, 3).join(', '));
  }
  // Only now: a time value decoded before its zone is registered would stay floating for good.
  if (options.unknownTimeZones === 'reject') readEveryValue(root);
  return root;
}

/** Stored data read within the limits: what lies past a bound is left out of this reading. */
function keepWithinLimits(root: ICAL.Component): void {
  let components = 0;
  let timeZones = 0;
  for (const component of [...root.getAllSubcomponents()]) {
    if (component.name === 'vtimezone') {
      if (++timeZones > calendarLimits.timeZones) root.removeSubcomponent(component);
      continue;
    }
    if (++components > calendarLimits.components) {
      root.removeSubcomponent(component);
      continue;
    }
    const rules = component.getAllProperties('rrule');
    for (const [index, rule] of rules.entries()) {
      // Past the count, or finer than new data may recur: such a rule is not expanded at all (the
      // event keeps its DTSTART), as if it had been refused when it arrived.
      if (index >= calendarLimits.rulesPerComponent || tooFine(rule)) component.removeProperty(rule);
    }
    const alarms = component.getAllSubcomponents('valarm');
    for (const alarm of alarms.slice(calendarLimits.alarmsPerComponent)) component.removeSubcomponent(alarm);
  }
}

function tooFine(rule: ICAL.Property): boolean {
  const value = rule.jCal[3];
  const freq = value && typeof value === 'object' ? (value as { freq?: unknown }).freq : undefined;
  return typeof freq === 'string' && refusedFrequencies.has(freq.toUpperCase());
}

/**
 * Whether ical.js can expand this VTIMEZONE cheaply: few enough observances, yearly rules only, and
 * no more than calendarLimits.transitions changes up to the horizon year (counted with a step budget,
 * so a rule that never matches is caught too).
 */
function timeZoneWithinLimits(content: string, zone: ICAL.Component): boolean {
  // Most objects carry one of a few hundred real zones: their verdicts are remembered by content.
  const known = zoneVerdicts.get(content);
  if (known !== undefined) return known;
  const verdict = countTransitions(zone);
  zoneVerdicts.set(content, verdict);
  return verdict;
}

/** The root component's own TZID → zone map, which ical.js keeps in a field its types leave out. */
function timeZonesOf(root: ICAL.Component): Map<string, ICAL.Timezone> {
  const holder = root as unknown as { _timezoneCache: Map<string, ICAL.Timezone> | null };
  holder._timezoneCache ??= new Map();
  return holder._timezoneCache;
}

const zoneVerdicts = new BoundedCache<string, boolean>({
  maxEntries: 2_000,
  maxBytes: 8 * 1024 * 1024,
  sizeOf: (key) => 2 * key.length + 64,
});

function countTransitions(zone: ICAL.Component): boolean {
  const observances = zone.getAllSubcomponents();
  if (observances.length > calendarLimits.observances) return false;
  let transitions = 0;
  for (const observance of observances) {
    for (const rdate of observance.getAllProperties('rdate'))
      transitions += Math.max(1, rdate.jCal.length - 3);
    // ical.js uses the first RRULE of an observance only.
    const rule = observance.getFirstPropertyValue('rrule');
    const dtstart = observance.getFirstPropertyValue('dtstart');
    if (rule instanceof ICAL.Recur && dtstart instanceof ICAL.Time) {
      if (String(rule.freq).toUpperCase() !== 'YEARLY') return false;
      const left = calendarLimits.transitions - transitions;
      const count = countRuleInstances(rule, dtstart, {
        untilYear: calendarLimits.transitionHorizonYear,
        max: left,
        steps: 20 * calendarLimits.transitions,
      });
      if (count === null) return false;
      transitions += count;
    } else {
      transitions += 1;
    }
    if (transitions > calendarLimits.transitions) return false;
  }
  return true;
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
