import ICAL from 'ical.js';
import { type ComponentTiming, instanceEnd, readTiming } from '../ical/component-timing.ts';
import { icalTimeToDate, isFloating } from '../ical/ical-time.ts';
import { type ExpansionBudget, recurrenceParts, recurrenceSet } from './recurrence-set.ts';

/** Null on a side means open: the series has no bound there. */
export type SeriesBounds = { firstStart: Date | null; lastEnd: Date | null };

// Floating times and DATEs are read as UTC here but may be shown in any zone from UTC-12 to UTC+14.
const floatingSlackMs = 14 * 3_600_000;
// Past this many instances a COUNT rule is treated as unbounded rather than walked.
const countWalkLimit = 5_000;
// Iterator steps allowed for that walk; a rule that rarely matches gives up early and counts as unbounded.
const walkBudget = 50_000;

const minStoredMs = Date.parse('0001-01-01T00:00:00Z');
const maxStoredMs = Date.parse('9999-12-31T23:59:59Z');

/**
 * Earliest start and latest end over every instance of a calendar object's series: DTSTART, RRULE
 * (COUNT or UNTIL), RDATE and every override, wherever it was moved. Meant as an index prefilter for
 * RFC 4791 §9.9 time-range queries, so it errs wide: compare inclusively
 * (firstStart <= range.end AND lastEnd >= range.start) and never miss an object.
 */
export function seriesBounds(components: readonly ICAL.Component[]): SeriesBounds {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let open = false;
  let floating = false;

  const include = (timing: ComponentTiming) => {
    first = Math.min(first, timing.start.getTime());
    last = Math.max(last, timing.end.getTime());
    if (isFloating(timing.dtstart)) floating = true;
  };

  for (const component of components) {
    const timing = readTiming(component, 'UTC');
    if (component.name === 'vtodo') {
      const due = component.getFirstPropertyValue('due');
      if (!timing && !(due instanceof ICAL.Time)) return { firstStart: null, lastEnd: null };
      if (due instanceof ICAL.Time) {
        const dueMs = icalTimeToDate(due, 'UTC').getTime();
        first = Math.min(first, dueMs);
        last = Math.max(last, dueMs);
        if (isFloating(due)) floating = true;
      }
    }
    if (!timing) continue;
    include(timing);
    if (component.hasProperty('recurrence-id')) continue;

    const { rules, rdates } = recurrenceParts(component);
    for (const rdate of rdates) {
      const startMs = icalTimeToDate(rdate.start, 'UTC').getTime();
      const end = rdate.end ? icalTimeToDate(rdate.end, 'UTC') : instanceEnd(rdate.start, timing, 'UTC');
      first = Math.min(first, startMs);
      last = Math.max(last, end.getTime());
      if (isFloating(rdate.start)) floating = true;
    }
    for (const rule of rules) {
      const lastRuleEnd = ruleLastEnd(component, rule, timing);
      if (lastRuleEnd === null) open = true;
      else last = Math.max(last, lastRuleEnd);
    }
  }

  if (first === Number.POSITIVE_INFINITY) return { firstStart: null, lastEnd: null };
  const slack = floating ? floatingSlackMs : 0;
  const firstStart = first - slack;
  const lastEnd = last + slack;
  // A bound outside years 1–9999 cannot be written as a timestamp by every driver: read it as open.
  return {
    firstStart: Number.isFinite(firstStart) && firstStart >= minStoredMs ? new Date(firstStart) : null,
    lastEnd: open || !Number.isFinite(lastEnd) || lastEnd > maxStoredMs ? null : new Date(lastEnd),
  };
}

function ruleLastEnd(master: ICAL.Component, rule: ICAL.Recur, timing: ComponentTiming): number | null {
  const lengthMs = timing.end.getTime() - timing.start.getTime();
  if (rule.until) {
    // RFC 5545 §3.3.10: UNTIL bounds the starts, inclusively; a DATE UNTIL covers its whole day.
    const untilMs = icalTimeToDate(rule.until, 'UTC').getTime() + (rule.until.isDate ? 86_400_000 : 0);
    // The nominal-day part of a length can grow by an hour across a DST change.
    return untilMs + lengthMs + 3_600_000;
  }
  if (!rule.count || rule.count > countWalkLimit) return null;
  const budget: ExpansionBudget = { remaining: walkBudget, exhausted: false };
  // A COUNT rule still running two centuries on is as good as unbounded for an index.
  const stopAfterMs = timing.start.getTime() + 200 * 365 * 86_400_000;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const instance of recurrenceSet(master, timing.dtstart, {
    floatingTimeZone: 'UTC',
    budget,
    stopAfterMs,
  })) {
    const end = instance.periodEnd
      ? icalTimeToDate(instance.periodEnd, 'UTC')
      : instanceEnd(instance.start, timing, 'UTC');
    lastEnd = Math.max(lastEnd, end.getTime());
  }
  return budget.exhausted || budget.passedStop ? null : lastEnd;
}
