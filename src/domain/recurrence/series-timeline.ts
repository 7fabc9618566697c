import { overlapsTimeRange } from '../time/time-range.ts';
import {
  type ExpandOptions,
  type Expansion,
  expandShaped,
  instanceCap,
  type ShapedOccurrence,
} from './expand-occurrences.ts';

/**
 * Every occurrence of one calendar object that starts before `coveredUntilMs`, each with its RFC 4791
 * §9.9 shape. Expanding a window [s, e) with e <= coveredUntilMs gives exactly the occurrences of the
 * timeline whose shape overlaps [s, e): expansion always walks the series from DTSTART, so the
 * timeline costs about as much as one expansion, and later windows are answered without ical.js.
 */
export type SeriesTimeline = {
  /** Windows starting before this are not covered (occurrences before it were never looked for). */
  coveredFromMs: number;
  coveredUntilMs: number;
  floatingTimeZone: string;
  items: readonly ShapedOccurrence[];
};

// Earlier and later than any instant ical.js can represent, so the timeline holds the whole series.
const beginningOfTime = new Date(-8_640_000_000_000_000);
const endOfTime = new Date(8_640_000_000_000_000);
// RFC 5545 §3.8.5: only these properties add instances (RECURRENCE-ID: an override, even without a
// rule). A content line starts with its property name (folded continuations start with a space),
// so text without such a line holds one instance, and its timeline can cover all time.
const addsInstances = /^(?:RRULE|RDATE|EXRULE|RECURRENCE-ID)[;:]/im;
const timeZoneBlocks = /^BEGIN:VTIMEZONE\b[\s\S]*?^END:VTIMEZONE\b/gim;
// The most a timeline holds: a series with more instances before its horizon is not cached.
const timelineMax = 1_500;

/**
 * The timeline of `text` up to `coverUntil` (of all time for an object with one instance), or null when the expansion was cut short (instance cap or
 * work budget): then a window must be expanded on its own, exactly as before.
 */
export function seriesTimeline(
  text: string,
  coverUntil: Date,
  floatingTimeZone: string,
  options: { coverFrom?: Date; timeLimitMs?: number } = {},
): SeriesTimeline | null {
  // Starting later than the series lets a long-running rule begin its walk near the window
  // (recurrence-set.ts fast-forwards): a daily event from 2000 costs a year of steps, not 26.
  // A VTIMEZONE's own rules (STANDARD, DAYLIGHT) add no instances of the object.
  const single = !addsInstances.test(text.replace(timeZoneBlocks, ''));
  const coverFrom = single ? beginningOfTime : (options.coverFrom ?? beginningOfTime);
  const until = single ? endOfTime : coverUntil;
  const { items, truncated } = expandShaped(
    text,
    { start: coverFrom, end: until },
    {
      maxInstances: timelineMax,
      floatingTimeZone,
      ...(options.timeLimitMs === undefined ? {} : { timeLimitMs: options.timeLimitMs }),
    },
  );
  if (truncated) return null;
  // Shared by every later answer: nobody may change an occurrence another request also sees.
  for (const item of items) Object.freeze(Object.freeze(item).occurrence);
  return {
    coveredFromMs: coverFrom.getTime(),
    coveredUntilMs: until.getTime(),
    floatingTimeZone,
    items,
  };
}

/**
 * expandOccurrences(text, window, options) answered from a timeline of the same text, or null when the
 * timeline does not reach the window's end or was read in another floating zone.
 *
 * Why this is identical: an occurrence overlapping [s, e) also overlaps (-inf, coveredUntil) when
 * e <= coveredUntil (every §9.9 row is monotone in the window), so the timeline holds all of them, in
 * the same stable start order; a budget the longer walk did not exhaust the shorter one cannot either,
 * and the cap keeps the earliest `max`, which is what a direct expansion keeps too.
 */
export function expansionFromTimeline(
  timeline: SeriesTimeline,
  window: { start: Date; end: Date },
  options: ExpandOptions = {},
): Expansion | null {
  if ((options.floatingTimeZone ?? 'UTC') !== timeline.floatingTimeZone) return null;
  if (window.end.getTime() > timeline.coveredUntilMs) return null;
  // [start, end) inside [coveredFrom, coveredUntil): every occurrence overlapping it overlaps the
  // cover too, since each §9.9 row is monotone in the window.
  if (window.start.getTime() < timeline.coveredFromMs) return null;
  const max = instanceCap(options.maxInstances);
  const occurrences = [];
  const endMs = window.end.getTime();
  for (const item of timeline.items) {
    // Every §9.9 row needs the instance to start before the window ends, and items are in start order.
    if (item.shape.start.getTime() >= endMs) break;
    if (!overlapsTimeRange(item.shape, window)) continue;
    if (occurrences.length === max) return { occurrences, truncated: true };
    occurrences.push(item.occurrence);
  }
  return { occurrences, truncated: false };
}
