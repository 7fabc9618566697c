import ICAL from 'ical.js';
import { readTiming } from '../ical/component-timing.ts';
import { guardCalendarInput } from '../ical/guard-calendar-input.ts';
import { icalTimeToDate } from '../ical/ical-time.ts';
import { readVCalendar } from '../ical/read-vcalendar.ts';
import {
  type AlarmPlanOptions,
  type AlarmSpec,
  alarmSpecs,
  allDayDefaultFireAt,
  type PlannedAlarm,
} from './alarm-triggers.ts';
import type { Occurrence } from './expand-occurrences.ts';

// Reminders of tasks (VTODO, RFC 5545 §3.6.2). A task's reminder is about when it is due, so a
// task is reminded of only while it is open and has a due time.

/** When an open task is due, as its reminder shows it; null for a done task or one without a due time. */
export type TaskDue = {
  due: Date;
  /** DUE is a DATE: the task is due on a day, not at a time. */
  allDay: boolean;
  summary: string | null;
};

/**
 * The due time of the task in `text` (its master VTODO), or null when it is done (STATUS
 * COMPLETED or CANCELLED, or a COMPLETED date: RFC 5545 §3.8.1.11, §3.8.2.1) or has no due time.
 * The due time is DUE, or DTSTART + DURATION, the other way RFC 5545 §3.6.2 lets a to-do end.
 * Floating times and dates are read in `floatingTimeZone`.
 */
export function readTaskDue(text: string, floatingTimeZone: string): TaskDue | null {
  return guardCalendarInput(() => {
    const master = masterTodo(text);
    return master ? openTaskDue(master, floatingTimeZone) : null;
  });
}

/**
 * Every reminder of the task in `text` that fires in [window.start, window.end), sorted by fire
 * time; each one's occurrence starts (and ends) at the due time, which its message shows and its
 * job is named by.
 *
 * - Its own VALARMs, per RFC 5545 §3.8.6.3: a relative TRIGGER counts from DTSTART, or from the
 *   end of the to-do (DUE, or DTSTART + DURATION) with RELATED=END. A START-related trigger needs
 *   DTSTART (the RFC's MUST); a task written without one is read relative to DUE, its only time,
 *   rather than losing the alarm. An absolute TRIGGER fires at its time.
 * - Without any VALARM, the user's default: that many minutes before DUE; a date-only DUE follows
 *   the all-day rule of events (09:00 on the day, 18:00 the evening before for a lead of days).
 * - No extra reminder at the due time itself. Apple Reminders and tasks.org alert at the due time
 *   because they write that alarm into the task (an absolute TRIGGER at DUE, or RELATED=END:PT0S),
 *   which is honoured above; adding one would remind twice. A task that has no alarm of its own
 *   gets the user's default lead, exactly as an event does.
 * - A done task, or one without a due time, has no reminders.
 * - A recurring task (RRULE) is reminded of its next due time only, the DUE stored on it: these
 *   clients advance DUE on the task itself when a repetition is completed, and that write plans
 *   the next reminder. Overrides (RECURRENCE-ID) are not planned.
 */
export function planTaskAlarms(
  text: string,
  window: { start: Date; end: Date },
  options: Omit<AlarmPlanOptions, 'maxInstances'>,
): PlannedAlarm[] {
  return guardCalendarInput(() => plan(text, window, options));
}

function plan(
  text: string,
  window: { start: Date; end: Date },
  options: Omit<AlarmPlanOptions, 'maxInstances'>,
): PlannedAlarm[] {
  const master = masterTodo(text);
  const due = master ? openTaskDue(master, options.floatingTimeZone) : null;
  if (!master || !due) return [];
  const dtstart = master.getFirstPropertyValue('dtstart');
  const start = dtstart instanceof ICAL.Time ? icalTimeToDate(dtstart, options.floatingTimeZone) : null;
  const occurrence = taskOccurrence(master, due);
  const alarms: PlannedAlarm[] = [];
  for (const spec of alarmSpecs(master, options.defaultMinutes)) {
    const fireAt = fireTime(spec, { due, start }, options.floatingTimeZone);
    if (fireAt >= window.start.getTime() && fireAt < window.end.getTime()) {
      alarms.push({ occurrence, trigger: spec.id, fireAt: new Date(fireAt), action: spec.action });
    }
  }
  return alarms.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.trigger.localeCompare(b.trigger));
}

function fireTime(spec: AlarmSpec, times: { due: TaskDue; start: Date | null }, timeZone: string): number {
  if (spec.kind === 'absolute') return spec.at.getTime();
  if (spec.isDefault && times.due.allDay) return allDayDefaultFireAt(times.due.due, spec.offsetMs, timeZone);
  const base = spec.related === 'start' && !spec.isDefault && times.start ? times.start : times.due.due;
  return base.getTime() + spec.offsetMs;
}

function masterTodo(text: string): ICAL.Component | undefined {
  const todos = readVCalendar(text, { unknownTimeZones: 'floating' }).getAllSubcomponents('vtodo');
  return todos.find((todo) => !todo.hasProperty('recurrence-id')) ?? todos[0];
}

const doneStatuses = new Set(['COMPLETED', 'CANCELLED']);

function openTaskDue(todo: ICAL.Component, floatingTimeZone: string): TaskDue | null {
  const status = String(todo.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (doneStatuses.has(status) || todo.hasProperty('completed')) return null;
  const summary = todo.getFirstPropertyValue('summary');
  const shown = { summary: typeof summary === 'string' && summary !== '' ? summary : null };
  const due = todo.getFirstPropertyValue('due');
  if (due instanceof ICAL.Time) {
    return { due: icalTimeToDate(due, floatingTimeZone), allDay: due.isDate, ...shown };
  }
  const timing = readTiming(todo, floatingTimeZone);
  return timing?.endSource === 'duration' ? { due: timing.end, allDay: timing.allDay, ...shown } : null;
}

function taskOccurrence(todo: ICAL.Component, due: TaskDue): Occurrence {
  const text = (name: string) => {
    const value = todo.getFirstPropertyValue(name);
    return typeof value === 'string' ? value : null;
  };
  const tzid = todo.getFirstProperty('due')?.getParameter('tzid');
  return {
    uid: text('uid') ?? '',
    recurrenceId: null,
    start: due.due,
    end: due.due,
    allDay: due.allDay,
    summary: due.summary,
    location: text('location'),
    description: text('description'),
    status: text('status'),
    isOverride: false,
    timeZone: typeof tzid === 'string' && !due.allDay ? tzid : null,
  };
}
