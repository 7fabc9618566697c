import ICAL from 'ical.js';
import { occurrenceCache } from '../../app/occurrence-cache.ts';
import { icalTimeToDate } from '../../domain/ical/ical-time.ts';
import { readVCalendar } from '../../domain/ical/read-vcalendar.ts';
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
    // Read within the limits (calendar-limits.ts): stored data may predate them, and each expanded
    // instance copies its master, VALARMs included.
    let root = readVCalendar(text, { unknownTimeZones: 'floating' });
    if (expand) {
      const range = readTimeRange(expand, { requireBoth: true }) as { start: Date; end: Date };
      // Every instance repeats the master's text: the answer for one object stays within a few MB.
      const maxInstances = Math.max(
        1,
        Math.min(options.maxInstances, Math.floor(maxExpandedBytes / Math.max(text.length, 1))),
      );
      const instances = expandedInstances(
        root,
        occurrenceCache.expand(stored, range, { ...expansionOptions(options), maxInstances }).occurrences,
        options,
      );
      // Without a comp selection the answer is written as text directly: building (and serialising)
      // one ical.js component per instance cost ~0.1 ms each, a third of a second for 3,000.
      if (!comp) return expandedText(root, instances);
      root = expandedCalendar(root, instances);
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
const maxExpandedBytes = 4 * 1024 * 1024;
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

type ExpandedInstance = { template: ICAL.Component; timing: ICAL.Property[] };

/** RFC 4791 §9.6.5: one component per instance, the source's properties with the instance's times. */
function expandedInstances(
  root: ICAL.Component,
  occurrences: readonly Occurrence[],
  options: CalendarDataOptions,
): ExpandedInstance[] {
  const items = root.getAllSubcomponents().filter((c) => itemNames.has(c.name));
  const overrides = new Map<number, ICAL.Component>();
  let master: ICAL.Component | undefined;
  for (const item of items) {
    const ms = recurrenceMs(item, options.floatingTimeZone);
    if (ms === null) master ??= item;
    else overrides.set(ms, item);
  }
  const recurring = master !== undefined && (master.hasProperty('rrule') || master.hasProperty('rdate'));
  // Each source is copied once without its timing; an instance is that copy plus its own times.
  const templates = new Map<ICAL.Component, ICAL.Component>();
  const instances: ExpandedInstance[] = [];
  for (const occurrence of occurrences) {
    const id = occurrence.recurrenceId?.getTime();
    const source = (id !== undefined ? overrides.get(id) : undefined) ?? master;
    if (!source) continue;
    let template = templates.get(source);
    if (!template) {
      template = new ICAL.Component(structuredClone(source.toJSON()) as unknown[]);
      for (const name of timingProperties) template.removeAllProperties(name);
      templates.set(source, template);
    }
    const timing: ICAL.Property[] = [];
    const toTime = (date: Date) => timeValue(date, occurrence.allDay, options.floatingTimeZone);
    timing.push(timedProperty('dtstart', toTime(occurrence.start)));
    if (occurrence.end.getTime() !== occurrence.start.getTime() || occurrence.allDay) {
      timing.push(timedProperty(source.name === 'vtodo' ? 'due' : 'dtend', toTime(occurrence.end)));
    }
    if (occurrence.recurrenceId && (recurring || overrides.size > 0)) {
      timing.push(timedProperty('recurrence-id', toTime(occurrence.recurrenceId)));
    }
    instances.push({ template, timing });
  }
  return instances;
}

function headerOf(root: ICAL.Component): ICAL.Component {
  const expanded = new ICAL.Component('vcalendar');
  for (const property of root.getAllProperties()) expanded.addProperty(cloneProperty(property));
  return expanded;
}

/** The expanded calendar as components, for a comp/prop selection to prune. */
function expandedCalendar(root: ICAL.Component, instances: readonly ExpandedInstance[]): ICAL.Component {
  const expanded = headerOf(root);
  for (const { template, timing } of instances) {
    // The template's values and subcomponents are shared, not copied: pruning removes the same parts
    // from every instance, so sharing changes nothing, and the tree is thrown away once serialised.
    const [name, properties, components] = template.jCal as [string, unknown[], unknown[]];
    expanded.addSubcomponent(
      new ICAL.Component([name, [...timing.map((p) => p.toJSON()), ...properties], components]),
    );
  }
  return expanded;
}

/** The expanded calendar written as text: each template is serialised once, each instance adds its times. */
function expandedText(root: ICAL.Component, instances: readonly ExpandedInstance[]): string {
  const head = headerOf(root).toString().split('\r\n');
  const bodies = new Map<ICAL.Component, { begin: string; rest: string }>();
  const parts = head.slice(0, -1);
  for (const { template, timing } of instances) {
    let body = bodies.get(template);
    if (!body) {
      const lines = template.toString().split('\r\n');
      body = { begin: lines[0] ?? '', rest: lines.slice(1).join('\r\n') };
      bodies.set(template, body);
    }
    parts.push(body.begin, ...timing.map((p) => p.toICALString()), body.rest);
  }
  parts.push(head.at(-1) ?? 'END:VCALENDAR');
  return `${parts.join('\r\n')}\r\n`;
}

function timedProperty(name: string, value: ICAL.Time): ICAL.Property {
  const property = new ICAL.Property(name);
  property.setValue(value);
  return property;
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
