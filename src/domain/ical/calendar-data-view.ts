import ICAL from 'ical.js';
import type { Occurrence } from '../recurrence/expand-occurrences.ts';
import { utcToZoned } from '../time/time-zone.ts';
import { icalTimeToDate } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';

/** RFC 4791 §9.6.1–9.6.4: which properties and subcomponents of a component to return. */
export type ComponentSelection = {
  /** Lower-case property names to keep; null keeps all (CALDAV:allprop). */
  properties: ReadonlySet<string> | null;
  /** Lower-case subcomponent names with their own selection; null keeps all (CALDAV:allcomp). */
  components: ReadonlyMap<string, ComponentSelection> | null;
};

/** A CALDAV:calendar-data request, read from XML by the CalDAV door. */
export type CalendarDataRequest = {
  expand?: { start: Date; end: Date };
  limitRecurrenceSet?: { start: Date; end: Date };
  select?: ComponentSelection;
};

export type CalendarDataOptions = {
  floatingTimeZone: string;
  maxInstances: number;
  /** The object's occurrences in a range (the door passes its cache; equal to expandOccurrences). */
  occurrences: (range: { start: Date; end: Date }, maxInstances: number) => readonly Occurrence[];
};

/**
 * RFC 4791 §9.6 calendar-data of one stored object. Without modifiers it is the stored text, byte
 * for byte. `expand` turns a series into its instances in UTC (§9.6.5); `limitRecurrenceSet` keeps
 * the master and the overrides that touch the range (§9.6.6); `select` keeps parts (§9.6.1).
 */
export function calendarDataView(
  text: string,
  request: CalendarDataRequest,
  options: CalendarDataOptions,
): string {
  const { expand, limitRecurrenceSet: limit, select } = request;
  if (!expand && !limit && !select) return text;
  // Read within the limits (calendar-limits.ts): stored data may predate them, and each expanded
  // instance copies its master, VALARMs included.
  let root = readVCalendar(text, { unknownTimeZones: 'floating' });
  if (expand) {
    // Every instance repeats the master's text: the answer for one object stays within a few MB.
    const maxInstances = Math.max(
      1,
      Math.min(options.maxInstances, Math.floor(maxExpandedBytes / Math.max(text.length, 1))),
    );
    const instances = expandedInstances(root, options.occurrences(expand, maxInstances), options);
    // Without a selection the answer is written as text directly: building (and serialising) one
    // ical.js component per instance cost ~0.1 ms each, a third of a second for 3,000.
    if (!select) return expandedText(root, instances);
    root = expandedCalendar(root, instances);
  } else if (limit) {
    limitRecurrenceSet(root, limit, options.occurrences(limit, options.maxInstances), options);
  }
  if (select) prune(root, select);
  return `${root.toString()}\r\n`;
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
  options: { floatingTimeZone: string },
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
  options: { floatingTimeZone: string },
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

/** RFC 4791 §9.6.1–9.6.4: keep only the selected components and properties. */
function prune(component: ICAL.Component, selection: ComponentSelection): void {
  const { properties, components } = selection;
  if (properties) {
    // Copies: removing while iterating ical.js's own arrays would skip elements.
    for (const property of [...component.getAllProperties()]) {
      if (!properties.has(property.name)) component.removeProperty(property);
    }
  }
  if (!components) return;
  for (const sub of [...component.getAllSubcomponents()]) {
    const subSelection = components.get(sub.name);
    if (subSelection) prune(sub, subSelection);
    else component.removeSubcomponent(sub);
  }
}
