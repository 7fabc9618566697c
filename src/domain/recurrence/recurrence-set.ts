import ICAL from 'ical.js';
import { calendarLimits } from '../ical/calendar-limits.ts';
import { icalTimeToDate, isFloating, unixMs } from '../ical/ical-time.ts';
import { daysInMonth } from '../time/calendar-date.ts';

/** One member of a recurrence set (RFC 5545 §3.8.5), before overrides are applied. */
export type RecurrenceInstance = {
  /** Start in the master's zone; also the instance's RECURRENCE-ID value (RFC 5545 §3.8.4.4). */
  start: ICAL.Time;
  startMs: number;
  /** RDATE;VALUE=PERIOD gives an instance its own end (RFC 5545 §3.8.5.2). */
  periodEnd: ICAL.Time | null;
};

/**
 * Work left for one expansion, counted in iterator steps. ical.js's RecurIterator loops inside next()
 * until a candidate passes the BYxxx filters, so a rule that never matches (FREQ=DAILY;BYMONTH=2;
 * BYMONTHDAY=30) would spin forever; the budget is checked on each of those inner steps.
 */
export type ExpansionBudget = {
  remaining: number;
  exhausted: boolean;
  /** performance.now() after which the walk stops as if the steps had run out: a safety net for
   * stored data whose steps are unusually costly. */
  deadline?: number;
  /** Set when a rule was cut off at `stopAfterMs`, so the set seen is not the whole series. */
  passedStop?: boolean;
};

export type RecurrenceSetOptions = {
  floatingTimeZone: string;
  budget: ExpansionBudget;
  /** Stop once the rule iterator's cursor passes this instant (the caller no longer needs instances). */
  stopAfterMs?: number;
  /**
   * The caller needs no instance starting before this instant: rules without COUNT may start their walk
   * close to it instead of at DTSTART. Instances before it may then be missing or spurious.
   */
  skipBeforeMs?: number;
};

// Rules whose instances repeat with a fixed wall-clock period of INTERVAL of these units, so moving
// DTSTART on by whole periods yields the same later instances (BYxxx parts filter within a period).
const periodSeconds: Record<string, number> = {
  SECONDLY: 1,
  MINUTELY: 60,
  HOURLY: 3_600,
  DAILY: 86_400,
  WEEKLY: 7 * 86_400,
};

/**
 * DTSTART moved on by whole periods to just before `skipBeforeMs`, or null when the rule must be walked
 * from its start (COUNT counts every instance; months and years vary in length but are few per year).
 * Without this, a daily rule from 2000 takes ~9,500 steps to reach this week, and a SECONDLY one
 * from last summer millions.
 */
function fastForward(recur: ICAL.Recur, dtstart: ICAL.Time, options: RecurrenceSetOptions): ICAL.Time | null {
  const unit = periodSeconds[String(recur.freq)];
  if (options.skipBeforeMs === undefined || unit === undefined || recur.count) return null;
  const interval = Math.max(recur.interval, 1);
  const periodMs = unit * 1000 * interval;
  const target = options.skipBeforeMs;
  const startMs = icalTimeToDate(dtstart, options.floatingTimeZone).getTime();
  let periods = Math.floor((target - startMs) / periodMs);
  // Whole periods are wall-clock time: a DST change in between moves the instant by the change, so
  // step back until the shifted start is really before the target (twice at most for real zones).
  for (let attempt = 0; attempt < 4 && periods >= 2; attempt++) {
    const shifted = dtstart.clone();
    const seconds = periods * interval * unit;
    if (unit % 86_400 === 0) shifted.adjust(seconds / 86_400, 0, 0, 0);
    else shifted.adjust(Math.floor(seconds / 86_400), 0, 0, seconds % 86_400);
    const late = icalTimeToDate(shifted, options.floatingTimeZone).getTime() - target;
    if (late <= 0) return shifted;
    periods -= Math.ceil(late / periodMs);
  }
  return null;
}

const budgetSpent = new Error('recurrence expansion budget spent');
const pastStop = new Error('recurrence expansion passed the stop instant');

/**
 * ical.js normalises impossible dates instead of skipping them (BYMONTHDAY=30 in February becomes
 * 2 March; a yearly 29 February becomes 1 March). RFC 5545 §3.3.10 says such instances are ignored.
 */
function matchesRule(time: ICAL.Time, recur: ICAL.Recur, dtstart: ICAL.Time): boolean {
  const parts = recur.parts as Record<string, unknown[] | undefined>;
  const byMonth = parts.BYMONTH;
  const byMonthDay = parts.BYMONTHDAY;
  if (byMonth && !byMonth.includes(time.month)) return false;
  if (byMonthDay) {
    const last = daysInMonth(time.year, time.month);
    return byMonthDay.some(
      (d) => typeof d === 'number' && (d > 0 ? d === time.day : last + d + 1 === time.day),
    );
  }
  const dayChosenByRule = parts.BYDAY || parts.BYYEARDAY || parts.BYWEEKNO;
  if (recur.freq === 'MONTHLY' && !dayChosenByRule) return time.day === dtstart.day;
  if (recur.freq === 'YEARLY' && !dayChosenByRule) {
    return time.day === dtstart.day && (byMonth !== undefined || time.month === dtstart.month);
  }
  return true;
}

function ruleStream(
  recur: ICAL.Recur,
  dtstart: ICAL.Time,
  options: RecurrenceSetOptions,
): () => ICAL.Time | null {
  const { budget } = options;
  let iterator: ICAL.RecurIterator;
  try {
    iterator = recur.iterator(fastForward(recur, dtstart, options) ?? dtstart);
  } catch {
    // ical.js refuses some rules (e.g. BYDAY=1MO with BYMONTHDAY in MONTHLY); DTSTART still stands.
    return () => null;
  }
  const check = iterator.check_contracting_rules.bind(iterator);
  iterator.check_contracting_rules = () => {
    if (--budget.remaining < 0) throw budgetSpent;
    if (
      budget.deadline !== undefined &&
      (budget.remaining & 255) === 0 &&
      performance.now() > budget.deadline
    ) {
      throw budgetSpent;
    }
    if (options.stopAfterMs !== undefined && unixMs(iterator.last) > options.stopAfterMs) {
      budget.passedStop = true;
      throw pastStop;
    }
    return check();
  };
  let done = false;
  return () => {
    while (!done) {
      let next: ICAL.Time | null;
      try {
        next = iterator.next();
      } catch (error) {
        if (error === budgetSpent) budget.exhausted = true;
        next = null;
      }
      if (!next) {
        done = true;
        return null;
      }
      // RecurIterator hands out its own cursor object and mutates it on the next call.
      const time = next.clone();
      if (matchesRule(time, recur, dtstart)) return time;
    }
    return null;
  };
}

/**
 * How many instances `recur` has from `dtstart` up to the end of `untilYear`, counting no further than
 * `max`; null when the rule needs more than `steps` iterator steps to tell (a rule that rarely or
 * never matches its BYxxx parts). For VTIMEZONE observances, whose changes ical.js expands the same way.
 */
export function countRuleInstances(
  recur: ICAL.Recur,
  dtstart: ICAL.Time,
  bounds: { untilYear: number; max: number; steps: number },
): number | null {
  const budget: ExpansionBudget = { remaining: bounds.steps, exhausted: false };
  const untilMs = Date.UTC(bounds.untilYear + 1, 0, 1);
  const next = ruleStream(recur, dtstart, { floatingTimeZone: 'UTC', budget, stopAfterMs: untilMs });
  let count = 0;
  for (let time = next(); time && count <= bounds.max; time = next()) count++;
  return budget.exhausted ? null : count;
}

function localDateKey(time: ICAL.Time): string {
  return `${time.year}-${time.month}-${time.day}`;
}

function instance(
  start: ICAL.Time,
  periodEnd: ICAL.Time | null,
  floatingTimeZone: string,
): RecurrenceInstance {
  return { start, startMs: icalTimeToDate(start, floatingTimeZone).getTime(), periodEnd };
}

/** A period's end; a stored length past the DURATION limit is read as that limit (see component-timing). */
function periodEnd(period: ICAL.Period): ICAL.Time {
  const length = period.duration;
  if (length && Math.abs(length.toSeconds()) > calendarLimits.durationSeconds) {
    const end = period.start.clone();
    end.adjust(Math.floor(calendarLimits.durationSeconds / 86_400), 0, 0, 0);
    return end;
  }
  return period.getEnd();
}

/** The DTSTART, RRULE, RDATE and EXDATE of a master component, as ical.js values. */
export function recurrenceParts(master: ICAL.Component): {
  rules: ICAL.Recur[];
  rdates: Array<{ start: ICAL.Time; end: ICAL.Time | null }>;
  exdates: ICAL.Time[];
} {
  const rules: ICAL.Recur[] = [];
  for (const property of master.getAllProperties('rrule')) {
    const value = property.getFirstValue();
    if (value instanceof ICAL.Recur) rules.push(value);
  }
  const rdates: Array<{ start: ICAL.Time; end: ICAL.Time | null }> = [];
  for (const property of master.getAllProperties('rdate')) {
    for (const value of property.getValues()) {
      if (value instanceof ICAL.Time) rdates.push({ start: value, end: null });
      else if (value instanceof ICAL.Period) rdates.push({ start: value.start, end: periodEnd(value) });
    }
  }
  const exdates: ICAL.Time[] = [];
  for (const property of master.getAllProperties('exdate')) {
    for (const value of property.getValues()) if (value instanceof ICAL.Time) exdates.push(value);
  }
  return { rules, rdates, exdates };
}

/**
 * The recurrence set of a master component in start order (RFC 5545 §3.8.5): DTSTART, every RRULE and
 * RDATE instance, minus EXDATEs, without duplicates. Lazy, so callers stop as soon as they have enough;
 * when the budget runs out the set simply ends and `budget.exhausted` is set.
 */
export function* recurrenceSet(
  master: ICAL.Component,
  dtstart: ICAL.Time,
  options: RecurrenceSetOptions,
): Generator<RecurrenceInstance, void, void> {
  const { floatingTimeZone } = options;
  const { rules, rdates, exdates } = recurrenceParts(master);

  const excludedInstants = new Set<number>();
  const excludedDates = new Set<string>();
  const excludedWallClocks = new Set<string>();
  for (const exdate of exdates) {
    if (exdate.isDate && !dtstart.isDate) excludedDates.add(localDateKey(exdate));
    else excludedInstants.add(icalTimeToDate(exdate, floatingTimeZone).getTime());
    // Some clients write EXDATE without the TZID their DTSTART has; match those on the wall clock too.
    if (!exdate.isDate && isFloating(exdate) && !isFloating(dtstart))
      excludedWallClocks.add(exdate.toString());
  }

  const fixed = [
    instance(dtstart, null, floatingTimeZone),
    ...rdates.map((r) => instance(r.start, r.end, floatingTimeZone)),
  ].sort((a, b) => a.startMs - b.startMs);
  let fixedIndex = 0;

  const streams = rules.map((rule) => {
    const next = ruleStream(rule, dtstart, options);
    return { next, head: null as RecurrenceInstance | null, started: false };
  });

  let lastMs = Number.NEGATIVE_INFINITY;
  for (;;) {
    let best: RecurrenceInstance | null = fixed[fixedIndex] ?? null;
    let bestStream = -1;
    for (const [index, stream] of streams.entries()) {
      if (!stream.started) {
        const time = stream.next();
        stream.head = time ? instance(time, null, floatingTimeZone) : null;
        stream.started = true;
      }
      if (stream.head && (!best || stream.head.startMs < best.startMs)) {
        best = stream.head;
        bestStream = index;
      }
    }
    if (!best) return;
    const source = streams[bestStream];
    if (source) {
      const time = source.next();
      source.head = time ? instance(time, null, floatingTimeZone) : null;
    } else {
      fixedIndex++;
    }
    if (best.startMs === lastMs) continue;
    lastMs = best.startMs;
    if (excludedInstants.has(best.startMs) || excludedDates.has(localDateKey(best.start))) continue;
    if (excludedWallClocks.size > 0 && excludedWallClocks.has(best.start.toString())) continue;
    yield best;
  }
}
