import ICAL from 'ical.js';
import { type Expansion, expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { type TimeRange, todoOverlapsTimeRange } from '../time/time-range.ts';
import { icalTimeToDate } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';

// RFC 4791 §9.7: a calendar-query filter as a model, read from XML by the CalDAV door, evaluated here.

/** RFC 4791 §9.7.5: substring match; `caseless` for i;ascii-casemap (the default) and i;unicode-casemap. */
export interface TextMatch {
  value: string;
  caseless: boolean;
  negate: boolean;
}
export interface ParamFilter {
  name: string;
  isNotDefined: boolean;
  textMatch?: TextMatch;
}
export interface PropFilter {
  name: string;
  isNotDefined: boolean;
  timeRange?: TimeRange;
  textMatch?: TextMatch;
  params: ParamFilter[];
}
export interface CompFilter {
  name: string;
  isNotDefined: boolean;
  timeRange?: TimeRange;
  props: PropFilter[];
  comps: CompFilter[];
}

/** A range with both bounds, open sides replaced by the far past/future (RFC 4791 §9.9). */
export function closedRange(range: { start?: Date; end?: Date }): { start: Date; end: Date } {
  return {
    start: range.start ?? new Date(Date.UTC(1900, 0, 1)),
    end: range.end ?? new Date(Date.UTC(2200, 0, 1)),
  };
}

/**
 * The time range of a filter's direct VEVENT/VTODO/VJOURNAL comp-filter, if any: the index
 * prefilter for the query (the full filter is still evaluated on every candidate).
 */
export function prefilterRange(filter: CompFilter): { start: Date; end: Date } | null {
  const ranges = filter.comps.filter((c) => !c.isNotDefined && c.timeRange).map((c) => c.timeRange);
  const [range] = ranges;
  return ranges.length === 1 && range ? closedRange(range) : null;
}

export interface MatchOptions {
  floatingTimeZone: string;
  maxInstances: number;
  /**
   * Expands the object being matched; must equal expandOccurrences(text, …) (src/app/occurrence-cache.ts
   * gives a cached one). Default: expandOccurrences of the text.
   */
  expand?: (
    window: { start: Date; end: Date },
    options: { maxInstances: number; floatingTimeZone: string },
  ) => Expansion;
}

/**
 * RFC 4791 §9.7: does one stored calendar object match the filter? `componentType` is the stored
 * object's one component type (objects never mix types), which answers the common client queries
 * ("every VEVENT", "VEVENTs in this range") without parsing the object twice.
 */
export function matchesFilter(
  text: string,
  filter: CompFilter,
  options: MatchOptions,
  componentType?: string,
): boolean {
  const [only] = filter.comps;
  const isSimple =
    componentType !== undefined &&
    only !== undefined &&
    filter.comps.length === 1 &&
    filter.props.length === 0 &&
    !filter.timeRange &&
    !only.isNotDefined &&
    only.props.length === 0 &&
    only.comps.length === 0 &&
    only.name !== 'VTODO';
  if (isSimple) {
    if (only.name !== componentType) return false;
    if (!only.timeRange) return true;
    const window = closedRange(only.timeRange);
    const expansion = expanderOf(text, options)(window, {
      maxInstances: 1,
      floatingTimeZone: options.floatingTimeZone,
    });
    return expansion.occurrences.length > 0;
  }
  // Read within the limits: a stored object with thousands of VALARMs is matched on the first few.
  const root = readVCalendar(text, { unknownTimeZones: 'floating' });
  return compMatches(root, filter, { ...options, expand: expanderOf(text, options) });
}

function expanderOf(text: string, options: MatchOptions): NonNullable<MatchOptions['expand']> {
  return options.expand ?? ((window, expandOptions) => expandOccurrences(text, window, expandOptions));
}

type Evaluation = MatchOptions & { expand: NonNullable<MatchOptions['expand']> };

function compFilterMatches(parent: ICAL.Component, filter: CompFilter, evaluation: Evaluation): boolean {
  const candidates = parent.getAllSubcomponents(filter.name.toLowerCase());
  if (filter.isNotDefined) return candidates.length === 0;
  return candidates.some((component) => compMatches(component, filter, evaluation));
}

function compMatches(component: ICAL.Component, filter: CompFilter, evaluation: Evaluation): boolean {
  if (filter.timeRange) {
    const inRange =
      component.name === 'valarm'
        ? alarmInRange(component, filter.timeRange, evaluation)
        : componentInRange(component, filter.timeRange, evaluation);
    if (!inRange) return false;
  }
  return (
    filter.props.every((prop) => propFilterMatches(component, prop, evaluation)) &&
    filter.comps.every((comp) => compFilterMatches(component, comp, evaluation))
  );
}

/**
 * RFC 4791 §9.9. Events and journals: any instance of the object's series overlaps (overrides
 * applied, EXDATEs skipped). A to-do that does not recur (or an override) by the VTODO table, which
 * also covers to-dos with only DUE, COMPLETED, CREATED or no date at all; a recurring one by its
 * instances, so an excluded or moved first instance does not match. Other components have no time.
 */
function componentInRange(component: ICAL.Component, range: TimeRange, evaluation: Evaluation): boolean {
  const window = closedRange(range);
  const name = component.name;
  if (name === 'vevent' || name === 'vjournal' || name === 'vtodo') {
    if (
      name === 'vtodo' &&
      !recursFromStart(component) &&
      todoOverlapsTimeRange(todoTiming(component, evaluation.floatingTimeZone), range)
    ) {
      return true;
    }
    const expansion = evaluation.expand(window, {
      maxInstances: 1,
      floatingTimeZone: evaluation.floatingTimeZone,
    });
    return expansion.occurrences.length > 0;
  }
  return true;
}

/** A master with DTSTART and RRULE or RDATE: its instances, not its own DTSTART, say when it happens. */
function recursFromStart(component: ICAL.Component): boolean {
  return (
    component.hasProperty('dtstart') &&
    !component.hasProperty('recurrence-id') &&
    (component.hasProperty('rrule') || component.hasProperty('rdate'))
  );
}

function todoTiming(component: ICAL.Component, floatingTimeZone: string) {
  const time = (name: string) => {
    const value = component.getFirstPropertyValue(name);
    return value instanceof ICAL.Time ? icalTimeToDate(value, floatingTimeZone) : null;
  };
  const duration = component.getFirstPropertyValue('duration');
  return {
    start: time('dtstart'),
    due: time('due'),
    completed: time('completed'),
    created: time('created'),
    durationMs: duration instanceof ICAL.Duration ? duration.toSeconds() * 1000 : null,
  };
}

function propFilterMatches(component: ICAL.Component, filter: PropFilter, evaluation: Evaluation): boolean {
  const properties = component.getAllProperties(filter.name.toLowerCase());
  if (filter.isNotDefined) return properties.length === 0;
  return properties.some((property) => {
    if (filter.timeRange && !propertyInRange(property, filter.timeRange, evaluation.floatingTimeZone))
      return false;
    if (filter.textMatch && !textMatches(valuesOf(property), filter.textMatch)) return false;
    return filter.params.every((param) => paramFilterMatches(property, param));
  });
}

function propertyInRange(property: ICAL.Property, range: TimeRange, floatingTimeZone: string): boolean {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Time)) return false;
  const instant = icalTimeToDate(value, floatingTimeZone).getTime();
  return (
    (range.start === undefined || instant >= range.start.getTime()) &&
    (range.end === undefined || instant < range.end.getTime())
  );
}

function valuesOf(property: ICAL.Property): string[] {
  return property.getValues().map((value) => String(value));
}

function paramFilterMatches(property: ICAL.Property, filter: ParamFilter): boolean {
  const value = property.getParameter(filter.name.toLowerCase());
  if (filter.isNotDefined) return value === undefined;
  if (value === undefined) return false;
  if (!filter.textMatch) return true;
  return textMatches(Array.isArray(value) ? value.map(String) : [String(value)], filter.textMatch);
}

function textMatches(values: readonly string[], match: TextMatch): boolean {
  const needle = match.caseless ? match.value.toLowerCase() : match.value;
  const found = values.some((value) => (match.caseless ? value.toLowerCase() : value).includes(needle));
  return found !== match.negate;
}

/**
 * RFC 4791 §9.9 VALARM: does any trigger (with its REPEATs) fall in the range? Relative triggers
 * are taken from every instance of the object's series (RFC 5545 §3.8.6.3, RELATED=START or END).
 */
function alarmInRange(alarm: ICAL.Component, range: TimeRange, evaluation: Evaluation): boolean {
  const trigger = alarm.getFirstProperty('trigger');
  if (!trigger) return false;
  const value = trigger.getFirstValue();
  const repeat = Math.min(Math.max(0, Number(alarm.getFirstPropertyValue('repeat')) || 0), 100);
  const interval = alarm.getFirstPropertyValue('duration');
  const intervalMs = interval instanceof ICAL.Duration ? interval.toSeconds() * 1000 : 0;
  const repeats = Array.from({ length: repeat + 1 }, (_, i) => i * intervalMs);
  const lastRepeatMs = repeats.at(-1) ?? 0;
  const isIn = (ms: number) =>
    (range.start === undefined || ms >= range.start.getTime()) &&
    (range.end === undefined || ms < range.end.getTime());
  if (value instanceof ICAL.Time) {
    const at = icalTimeToDate(value, evaluation.floatingTimeZone).getTime();
    return repeats.some((shift) => isIn(at + shift));
  }
  if (!(value instanceof ICAL.Duration)) return false;
  const offsetMs = value.toSeconds() * 1000;
  const relatedToEnd = trigger.getParameter('related') === 'END';
  const window = closedRange(range);
  // Instances whose anchor lies in the range shifted back by the offset overlap that window.
  const shifted = {
    start: new Date(window.start.getTime() - offsetMs - lastRepeatMs),
    end: new Date(window.end.getTime() - offsetMs),
  };
  const expansion = evaluation.expand(shifted, {
    maxInstances: evaluation.maxInstances,
    floatingTimeZone: evaluation.floatingTimeZone,
  });
  return expansion.occurrences.some((occurrence) => {
    const anchor = (relatedToEnd ? occurrence.end : occurrence.start).getTime();
    return repeats.some((shift) => isIn(anchor + offsetMs + shift));
  });
}
