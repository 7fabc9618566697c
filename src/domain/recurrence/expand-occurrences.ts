import ICAL from 'ical.js';
import { type ComponentTiming, eventTimingFor, instanceEnd, readTiming } from '../ical/component-timing.ts';
import { guardCalendarInput } from '../ical/guard-calendar-input.ts';
import { icalTimeToDate } from '../ical/ical-time.ts';
import { readVCalendar } from '../ical/read-vcalendar.ts';
import { type EventTiming, overlapsTimeRange } from '../time/time-range.ts';
import { type ExpansionBudget, recurrenceParts, recurrenceSet } from './recurrence-set.ts';

/** One instance of an event as a calendar shows it. */
export type Occurrence = {
  uid: string;
  /** The instance's RECURRENCE-ID as an instant; null for an event that does not recur. */
  recurrenceId: Date | null;
  start: Date;
  end: Date;
  allDay: boolean;
  summary: string | null;
  location: string | null;
  description: string | null;
  /** STATUS as written; a cancelled instance (STATUS:CANCELLED override) is returned, callers decide. */
  status: string | null;
  isOverride: boolean;
  /** TZID of the instance's DTSTART; null for UTC, floating and all-day times. */
  timeZone: string | null;
};

/** `truncated` is true when the cap or the work budget stopped expansion early; occurrences stay valid. */
export type Expansion = { occurrences: Occurrence[]; truncated: boolean };

/** An occurrence with the RFC 4791 §9.9 shape its window test used, so another window can be tested later. */
export type ShapedOccurrence = { occurrence: Occurrence; shape: EventTiming };

/** Like Expansion, with each occurrence's shape (see series-timeline.ts). */
export type ShapedExpansion = { items: ShapedOccurrence[]; truncated: boolean };

export type ExpandOptions = {
  /** Most occurrences returned (default 1000, never more than 10000). The earliest ones are kept. */
  maxInstances?: number;
  /** IANA zone for floating times and all-day dates (RFC 4791 §9.9: the calendar's time zone). */
  floatingTimeZone?: string;
  /**
   * Wall-clock bound of the recurrence walk, as a safety net for stored data whose steps are unusually
   * costly: past it the expansion ends with `truncated` set. Results then depend on the machine's
   * speed, so only doors serving requests set it.
   */
  timeLimitMs?: number;
};

const defaultMax = 1000;
const hardMax = 10_000;
// Iterator steps per expansion: with fast-forwarding (recurrence-set.ts) walks start near the window,
// so this bounds the instances examined inside it, and rules that rarely match their BYxxx parts.
const stepBudget = 100_000;

// Instances are produced in local-time order; this much slack covers zone offsets and RDATEs in other zones.
const slackMs = 2 * 86_400_000;

function textOf(component: ICAL.Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value : null;
}

function tzidOf(component: ICAL.Component, allDay: boolean): string | null {
  const tzid = component.getFirstProperty('dtstart')?.getParameter('tzid');
  return typeof tzid === 'string' && !allDay ? tzid : null;
}

function occurrenceFrom(
  component: ICAL.Component,
  uid: string,
  recurrenceId: Date | null,
  start: Date,
  end: Date,
  allDay: boolean,
): Occurrence {
  return {
    uid,
    recurrenceId,
    start,
    end,
    allDay,
    summary: textOf(component, 'summary'),
    location: textOf(component, 'location'),
    description: textOf(component, 'description'),
    status: textOf(component, 'status'),
    isOverride: component.hasProperty('recurrence-id'),
    timeZone: tzidOf(component, allDay),
  };
}

/**
 * The occurrences of the events in one calendar object that overlap `window` (RFC 4791 §9.9), sorted by
 * start. Applies RRULE, RDATE, EXDATE and RECURRENCE-ID overrides (RFC 5545 §3.8.4.4, §3.8.5), so an
 * override moved into the window appears and one moved out disappears. Never loops without bound: a
 * rule that yields nothing for centuries ends when the step budget is spent, with `truncated` set.
 * RANGE=THISANDFUTURE on a RECURRENCE-ID is treated as applying to that one instance only.
 * Unresolvable TZIDs are read as floating; unreadable data throws InvalidCalendarData.
 */
export function expandOccurrences(
  text: string,
  window: { start: Date; end: Date },
  options: ExpandOptions = {},
): Expansion {
  const { items, truncated } = expandShaped(text, window, options);
  return { occurrences: items.map((item) => item.occurrence), truncated };
}

/** The effective cap for `maxInstances` (the default, and never more than the hard maximum). */
export function instanceCap(maxInstances: number | undefined): number {
  return Math.max(0, Math.min(maxInstances ?? defaultMax, hardMax));
}

/** expandOccurrences, keeping each occurrence's §9.9 shape. */
export function expandShaped(
  text: string,
  window: { start: Date; end: Date },
  options: ExpandOptions = {},
): ShapedExpansion {
  return guardCalendarInput(() => expand(text, window, options));
}

function expand(text: string, window: { start: Date; end: Date }, options: ExpandOptions): ShapedExpansion {
  const max = instanceCap(options.maxInstances);
  const floatingTimeZone = options.floatingTimeZone ?? 'UTC';
  const root = readVCalendar(text, { unknownTimeZones: 'floating' });
  const components = root
    .getAllSubcomponents()
    .filter((c) => c.name === 'vevent' || c.name === 'vtodo' || c.name === 'vjournal');

  const occurrences: ShapedOccurrence[] = [];
  let truncated = false;
  const overrides = new Map<number, ICAL.Component>();
  let master: ICAL.Component | null = null;
  for (const component of components) {
    const recurrenceId = component.getFirstPropertyValue('recurrence-id');
    if (recurrenceId instanceof ICAL.Time) {
      overrides.set(icalTimeToDate(recurrenceId, floatingTimeZone).getTime(), component);
    } else if (!master) {
      master = component;
    }
  }

  for (const [recurrenceMs, override] of overrides) {
    const timing = readTiming(override, floatingTimeZone);
    if (!timing) continue;
    const shape = eventTimingFor(timing, timing.start, timing.end);
    if (overlapsTimeRange(shape, window)) {
      const uid = textOf(override, 'uid') ?? '';
      const occurrence = occurrenceFrom(
        override,
        uid,
        new Date(recurrenceMs),
        timing.start,
        timing.end,
        timing.allDay,
      );
      occurrences.push({ occurrence, shape });
    }
  }

  const masterTiming = master ? readTiming(master, floatingTimeZone) : null;
  if (master && masterTiming) {
    const { rules, rdates } = recurrenceParts(master);
    if (rules.length === 0 && rdates.length === 0) {
      const shape = eventTimingFor(masterTiming, masterTiming.start, masterTiming.end);
      if (overlapsTimeRange(shape, window) && !overrides.has(masterTiming.start.getTime())) {
        const { start, end, allDay } = masterTiming;
        const occurrence = occurrenceFrom(master, textOf(master, 'uid') ?? '', null, start, end, allDay);
        occurrences.push({ occurrence, shape });
      }
    } else {
      const budget: ExpansionBudget = {
        remaining: stepBudget,
        exhausted: false,
        ...(options.timeLimitMs === undefined ? {} : { deadline: performance.now() + options.timeLimitMs }),
      };
      truncated = expandMaster(
        master,
        masterTiming,
        window,
        max,
        overrides,
        budget,
        floatingTimeZone,
        occurrences,
      );
    }
  }

  occurrences.sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
  if (occurrences.length > max) {
    occurrences.length = max;
    truncated = true;
  }
  return { items: occurrences, truncated };
}

function expandMaster(
  master: ICAL.Component,
  timing: ComponentTiming,
  window: { start: Date; end: Date },
  max: number,
  overrides: ReadonlyMap<number, ICAL.Component>,
  budget: ExpansionBudget,
  floatingTimeZone: string,
  into: ShapedOccurrence[],
): boolean {
  const uid = textOf(master, 'uid') ?? '';
  const stopAfterMs = window.end.getTime() + slackMs;
  // An instance overlapping the window starts at most one length (plus an hour of DST) before it.
  const skipBeforeMs = window.start.getTime() - (timing.end.getTime() - timing.start.getTime()) - 3_600_000;
  let found = 0;
  const walk = { floatingTimeZone, budget, stopAfterMs, skipBeforeMs };
  for (const instance of recurrenceSet(master, timing.dtstart, walk)) {
    if (instance.startMs > stopAfterMs) break;
    if (overrides.has(instance.startMs)) continue;
    const start = new Date(instance.startMs);
    const end = instance.periodEnd
      ? icalTimeToDate(instance.periodEnd, floatingTimeZone)
      : instanceEnd(instance.start, timing, floatingTimeZone);
    const shape = instance.periodEnd
      ? { start, end, allDay: timing.allDay }
      : eventTimingFor(timing, start, end);
    if (!overlapsTimeRange(shape, window)) continue;
    if (found === max) return true;
    found++;
    into.push({ occurrence: occurrenceFrom(master, uid, start, start, end, timing.allDay), shape });
  }
  return budget.exhausted;
}
