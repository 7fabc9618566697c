import ICAL from 'ical.js';
import { occurrenceCache } from '../../app/occurrence-cache.ts';
import { icalTimeToDate } from '../../domain/ical/ical-time.ts';
import type { Occurrence } from '../../domain/recurrence/expand-occurrences.ts';
import { utcToZoned } from '../../domain/time/time-zone.ts';
import type { DynamicProperty } from '../core/property-request.ts';
import { CALDAV } from '../xml/names.ts';
import { childNamed, childrenNamed, type XmlElement } from '../xml/parse-xml.ts';
import { readTimeRange } from './time-range-attribute.ts';

export interface CalendarDataOptions {
  /** The calendar's zone for floating times (RFC 4791 §9.6.5 / FIELD-NOTES §2 #6). */
  floatingTimeZone: string;
  maxInstances: number;
}

/**
 * RFC 4791 §9.6 calendar-data in a report. Without modifiers it is the stored text, byte for byte.
 * `expand` turns a series into its instances in UTC (§9.6.5); `limit-recurrence-set` keeps the master
 * and the overrides that touch the range (§9.6.6); `comp`/`prop` select parts (§9.6.1).
 */
export function calendarDataProperty(options: CalendarDataOptions): DynamicProperty {
  return (resource, request) => {
    if (resource.kind !== 'object') return null;
    const text = resource.object.ical;
    if (text === undefined) return null;
    const expand = childNamed(request, CALDAV.expand);
    const limit = childNamed(request, CALDAV.limitRecurrenceSet);
    const comp = childNamed(request, CALDAV.comp);
    if (!expand && !limit && !comp) return text;
    const stored = { ical: text, etag: resource.object.etag };
    let root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    if (expand) {
      const range = readTimeRange(expand, { requireBoth: true }) as { start: Date; end: Date };
      root = expandedCalendar(
        root,
        occurrenceCache.expand(stored, range, expansionOptions(options)).occurrences,
        options,
      );
    } else if (limit) {
      const range = readTimeRange(limit, { requireBoth: true }) as { start: Date; end: Date };
      limitRecurrenceSet(
        root,
        range,
        occurrenceCache.expand(stored, range, expansionOptions(options)).occurrences,
        options,
      );
    }
    if (comp) prune(root, comp);
    return `${root.toString()}\r\n`;
  };
}

function expansionOptions(options: CalendarDataOptions) {
  return { maxInstances: options.maxInstances, floatingTimeZone: options.floatingTimeZone };
}

const itemNames = new Set(['vevent', 'vtodo', 'vjournal']);
const timingProperties = [
  'dtstart',
  'dtend',
  'due',
  'duration',
  'recurrence-id',
  'rrule',
  'rdate',
  'exdate',
  'exrule',
];

function recurrenceMs(component: ICAL.Component, floatingTimeZone: string): number | null {
  const value = component.getFirstPropertyValue('recurrence-id');
  return value instanceof ICAL.Time ? icalTimeToDate(value, floatingTimeZone).getTime() : null;
}

function expandedCalendar(
  root: ICAL.Component,
  occurrences: readonly Occurrence[],
  options: CalendarDataOptions,
): ICAL.Component {
  const items = root.getAllSubcomponents().filter((c) => itemNames.has(c.name));
  const overrides = new Map<number, ICAL.Component>();
  let master: ICAL.Component | undefined;
  for (const item of items) {
    const ms = recurrenceMs(item, options.floatingTimeZone);
    if (ms === null) master ??= item;
    else overrides.set(ms, item);
  }
  const recurring = master !== undefined && (master.hasProperty('rrule') || master.hasProperty('rdate'));
  const expanded = new ICAL.Component('vcalendar');
  for (const property of root.getAllProperties()) expanded.addProperty(cloneProperty(property));
  for (const occurrence of occurrences) {
    const id = occurrence.recurrenceId?.getTime();
    const source = (id !== undefined ? overrides.get(id) : undefined) ?? master;
    if (!source) continue;
    const instance = new ICAL.Component(structuredClone(source.toJSON()) as unknown[]);
    for (const name of timingProperties) instance.removeAllProperties(name);
    const toTime = (date: Date) => timeValue(date, occurrence.allDay, options.floatingTimeZone);
    instance.addPropertyWithValue('dtstart', toTime(occurrence.start));
    if (occurrence.end.getTime() !== occurrence.start.getTime() || occurrence.allDay) {
      instance.addPropertyWithValue(source.name === 'vtodo' ? 'due' : 'dtend', toTime(occurrence.end));
    }
    if (occurrence.recurrenceId && (recurring || overrides.size > 0)) {
      instance.addPropertyWithValue('recurrence-id', toTime(occurrence.recurrenceId));
    }
    expanded.addSubcomponent(instance);
  }
  return expanded;
}

/** RFC 4791 §9.6.5: instances are written in UTC; all-day ones keep their DATE (their local day). */
function timeValue(date: Date, allDay: boolean, floatingTimeZone: string): ICAL.Time {
  if (allDay) {
    const local = utcToZoned(date, floatingTimeZone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return ICAL.Time.fromDateString(`${local.year}-${pad(local.month)}-${pad(local.day)}`);
  }
  return ICAL.Time.fromJSDate(date, true);
}

function limitRecurrenceSet(
  root: ICAL.Component,
  range: { start: Date; end: Date },
  occurrences: readonly Occurrence[],
  options: CalendarDataOptions,
): void {
  const touched = new Set(occurrences.filter((o) => o.isOverride).map((o) => o.recurrenceId?.getTime()));
  for (const item of [...root.getAllSubcomponents()].filter((c) => itemNames.has(c.name))) {
    const ms = recurrenceMs(item, options.floatingTimeZone);
    if (ms === null) continue;
    const inRange = ms >= range.start.getTime() && ms < range.end.getTime();
    if (!inRange && !touched.has(ms)) root.removeSubcomponent(item);
  }
}

function cloneProperty(property: ICAL.Property): ICAL.Property {
  return new ICAL.Property(structuredClone(property.toJSON()) as unknown[]);
}

/** RFC 4791 §9.6.1–9.6.4: keep only the named components and properties. */
function prune(component: ICAL.Component, spec: XmlElement): void {
  if (!childNamed(spec, CALDAV.allprop)) {
    const wanted = new Set(
      childrenNamed(spec, CALDAV.prop).map((p) => (p.attributes.name ?? '').toLowerCase()),
    );
    // Copies: removing while iterating ical.js's own arrays would skip elements.
    for (const property of [...component.getAllProperties()]) {
      if (!wanted.has(property.name)) component.removeProperty(property);
    }
  }
  if (childNamed(spec, CALDAV.allcomp)) return;
  const comps = new Map(
    childrenNamed(spec, CALDAV.comp).map((c) => [(c.attributes.name ?? '').toLowerCase(), c]),
  );
  for (const sub of [...component.getAllSubcomponents()]) {
    const subSpec = comps.get(sub.name);
    if (subSpec) prune(sub, subSpec);
    else component.removeSubcomponent(sub);
  }
}
