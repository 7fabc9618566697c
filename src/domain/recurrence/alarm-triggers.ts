import ICAL from 'ical.js';
import { calendarLimits } from '../ical/calendar-limits.ts';
import { guardCalendarInput } from '../ical/guard-calendar-input.ts';
import { icalTimeToDate } from '../ical/ical-time.ts';
import { readVCalendar } from '../ical/read-vcalendar.ts';
import { utcToZoned, zonedToUtc } from '../time/time-zone.ts';
import { expandOccurrences, type Occurrence } from './expand-occurrences.ts';

/** One alarm of a component, reduced to what scheduling needs. */
export type AlarmSpec =
  | {
      id: string;
      action: string;
      kind: 'relative';
      related: 'start' | 'end';
      offsetMs: number;
      /** The user's default, not a VALARM: all-day occurrences get it at a waking hour. */
      isDefault?: boolean;
    }
  | { id: string; action: string; kind: 'absolute'; at: Date };

/** One reminder due inside the planning window: an occurrence and one of its triggers. */
export type PlannedAlarm = {
  occurrence: Occurrence;
  /** Stable identity of the trigger inside the event: 'start:-900', 'end:0', 'at:<iso>', 'default:-900'. */
  trigger: string;
  fireAt: Date;
  action: string;
};

export type AlarmPlanOptions = {
  /** Minutes before start for events without any VALARM; null plans nothing for them. */
  defaultMinutes: number | null;
  /** Zone of floating and all-day times (the user's zone). */
  floatingTimeZone: string;
  /** Most occurrences examined (default 500). */
  maxInstances?: number;
};

// RFC 5545 §3.6.6: DISPLAY and AUDIO alert the user where they are, which for Televent is the
// Telegram chat. EMAIL alarms name their own attendees and PROCEDURE is deprecated (RFC 5545
// Appendix A.3); neither is delivered.
const deliveredActions = new Set(['DISPLAY', 'AUDIO']);
const dayMs = 86_400_000;
// Slack around the expansion window so that an occurrence ending exactly at its edge still counts.
const slackMs = 60_000;

/**
 * Every reminder of the events in `text` that fires in [window.start, window.end), sorted by
 * fire time. Relative triggers (RFC 5545 §3.8.6.3) count from each occurrence's start, or its
 * end with RELATED=END; absolute ones (VALUE=DATE-TIME, UTC) fire once, on the first occurrence
 * at or after them. An override (RECURRENCE-ID) brings its own VALARMs, as it replaces the
 * instance (RFC 5545 §3.8.4.4). A component without any VALARM gets the user's default.
 * Cancelled events and instances have no reminders. REPEAT/DURATION are not expanded.
 */
export function planAlarms(
  text: string,
  window: { start: Date; end: Date },
  options: AlarmPlanOptions,
): { alarms: PlannedAlarm[]; truncated: boolean } {
  return guardCalendarInput(() => plan(text, window, options));
}

function plan(text: string, window: { start: Date; end: Date }, options: AlarmPlanOptions) {
  const root = readVCalendar(text, { unknownTimeZones: 'floating' });
  const components = root.getAllSubcomponents().filter((c) => c.name === 'vevent' || c.name === 'vtodo');
  const overrides = new Map<number, AlarmSpec[]>();
  let master: AlarmSpec[] = [];
  for (const component of components) {
    const specs = alarmSpecs(component, options.defaultMinutes);
    const recurrenceId = component.getFirstPropertyValue('recurrence-id');
    if (recurrenceId instanceof ICAL.Time) {
      overrides.set(icalTimeToDate(recurrenceId, options.floatingTimeZone).getTime(), specs);
    } else {
      master = specs;
    }
  }
  const all = [master, ...overrides.values()].flat();
  if (all.length === 0) return { alarms: [], truncated: false };

  // A trigger at start + offset fires in the window only if the occurrence starts within
  // [window.start - offset, window.end - offset); widen the expansion to cover every offset.
  const relative = all.flatMap((a) => (a.kind === 'relative' ? [a.offsetMs] : []));
  // A default reminder of an all-day occurrence fires up to a day later than its offset says.
  const defaultSlack = all.some((a) => a.kind === 'relative' && a.isDefault) ? dayMs : 0;
  const latestAfter = Math.max(0, ...relative) + defaultSlack;
  const earliestBefore = Math.max(0, ...relative.map((o) => -o)) + defaultSlack;
  const expansionWindow = {
    start: new Date(window.start.getTime() - latestAfter - slackMs),
    end: new Date(window.end.getTime() + earliestBefore + slackMs),
  };
  const expandOptions = {
    maxInstances: options.maxInstances ?? 500,
    floatingTimeZone: options.floatingTimeZone,
  };
  const expansion = expandOccurrences(text, expansionWindow, expandOptions);
  const alarms: PlannedAlarm[] = [];
  const inWindow = (t: number) => t >= window.start.getTime() && t < window.end.getTime();
  for (const occurrence of expansion.occurrences) {
    if (occurrence.status === 'CANCELLED') continue;
    const key = occurrence.recurrenceId?.getTime();
    const specs = (key !== undefined ? overrides.get(key) : undefined) ?? master;
    for (const spec of specs) {
      if (spec.kind !== 'relative') continue;
      const base = spec.related === 'end' ? occurrence.end : occurrence.start;
      const fireAt =
        spec.isDefault && occurrence.allDay
          ? allDayDefaultFireAt(occurrence.start, spec.offsetMs, options.floatingTimeZone)
          : base.getTime() + spec.offsetMs;
      if (inWindow(fireAt)) {
        alarms.push({ occurrence, trigger: spec.id, fireAt: new Date(fireAt), action: spec.action });
      }
    }
  }
  for (const spec of all) {
    if (spec.kind !== 'absolute' || !inWindow(spec.at.getTime())) continue;
    const following = expandOccurrences(
      text,
      { start: spec.at, end: new Date(spec.at.getTime() + 400 * dayMs) },
      { ...expandOptions, maxInstances: 1 },
    ).occurrences[0];
    if (following && following.status !== 'CANCELLED') {
      alarms.push({ occurrence: following, trigger: spec.id, fireAt: spec.at, action: spec.action });
    }
  }
  alarms.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.trigger.localeCompare(b.trigger));
  return { alarms, truncated: expansion.truncated };
}

/** Local hours at which a default reminder of an all-day event fires (README, "Reminders"). */
export const allDayReminderHours = { sameDay: 9, dayBefore: 18 } as const;

/**
 * A default reminder of an all-day occurrence: a lead under a day fires at 09:00 on the day, a
 * lead of whole days at 18:00 the evening that many days before, in the user's zone, rather than
 * at 23:45 the night before as "15 minutes before local midnight" would.
 */
export function allDayDefaultFireAt(dayStart: Date, offsetMs: number, timeZone: string): number {
  const day = utcToZoned(dayStart, timeZone);
  const daysBefore = Math.floor(-offsetMs / dayMs);
  if (daysBefore <= 0) {
    return zonedToUtc(
      { ...day, hour: allDayReminderHours.sameDay, minute: 0, second: 0 },
      timeZone,
    ).getTime();
  }
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day - daysBefore));
  return zonedToUtc(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: allDayReminderHours.dayBefore,
      minute: 0,
      second: 0,
    },
    timeZone,
  ).getTime();
}

/**
 * The delivered alarms of one VEVENT or VTODO (DISPLAY, AUDIO), one per trigger; without any
 * VALARM, the user's default (`defaultMinutes` before, null for none).
 */
export function alarmSpecs(component: ICAL.Component, defaultMinutes: number | null): AlarmSpec[] {
  const valarms = component.getAllSubcomponents('valarm');
  if (valarms.length === 0) {
    return defaultMinutes === null
      ? []
      : [
          {
            id: `default:${-defaultMinutes * 60}`,
            action: 'DISPLAY',
            kind: 'relative',
            related: 'start',
            offsetMs: -defaultMinutes * 60_000,
            isDefault: true,
          },
        ];
  }
  const specs: AlarmSpec[] = [];
  for (const alarm of valarms) {
    const action = String(alarm.getFirstPropertyValue('action') ?? '').toUpperCase();
    if (!deliveredActions.has(action)) continue;
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    if (value instanceof ICAL.Duration) {
      const related = trigger?.getParameter('related') === 'END' ? 'end' : 'start';
      const seconds = value.toSeconds();
      // Stored before the TRIGGER limit: an alarm years away is not one anybody waits for.
      if (Math.abs(seconds) > calendarLimits.triggerSeconds) continue;
      specs.push({
        id: `${related}:${seconds}`,
        action,
        kind: 'relative',
        related,
        offsetMs: seconds * 1000,
      });
    } else if (value instanceof ICAL.Time) {
      // RFC 5545 §3.8.6.3: an absolute trigger MUST be in UTC; read a floating one as UTC too.
      const at = icalTimeToDate(value, 'UTC');
      specs.push({ id: `at:${at.toISOString()}`, action, kind: 'absolute', at });
    }
  }
  // Two alarms with one trigger would remind twice at the same moment: keep one.
  return specs.filter((s, i) => specs.findIndex((o) => o.id === s.id) === i);
}
