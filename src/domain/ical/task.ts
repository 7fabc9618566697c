import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import {
  dateStyleFor,
  ensureVtimezone,
  eventText,
  prodId,
  serializeCalendar,
  setOptionalText,
} from './build-event.ts';
import { setDateProperty, setUtcStamp } from './date-property.ts';
import { icalTimeToDate } from './ical-time.ts';

// Tasks are VTODO components (RFC 5545 §3.6.2); completion is STATUS, COMPLETED and
// PERCENT-COMPLETE (RFC 5545 §3.8.1.8, §3.8.1.11, §3.8.2.1).

export interface NewTaskFields {
  uid: string;
  summary: string;
  description?: string | null;
  /** When the task is due; a date when `dueAllDay`, read in `timeZone`. */
  due?: Date | null;
  dueAllDay?: boolean;
  /** IANA zone of a timed DUE (TZID + VTIMEZONE), and of the date of an all-day one. */
  timeZone: string;
  now?: Date;
}

/** What the REST API shows of a task. */
export interface TaskFields {
  summary: string | null;
  description: string | null;
  /** `YYYY-MM-DD` for a date DUE, else an ISO instant; null when there is none. */
  due: string | null;
  completed: Date | null;
  status: string | null;
  priority: number | null;
}

/** A new VCALENDAR with one VTODO: UID, DTSTAMP, SUMMARY, optional DUE and DESCRIPTION, STATUS:NEEDS-ACTION. */
export function buildTaskCalendar(input: NewTaskFields): string {
  const now = input.now ?? new Date();
  const style = dateStyleFor({ allDay: input.dueAllDay ?? false, timeZone: input.timeZone });
  const root = new ICAL.Component('vcalendar');
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('prodid', prodId);
  root.addPropertyWithValue('calscale', 'GREGORIAN');
  if (input.due) ensureVtimezone(root, style);

  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', input.uid);
  setUtcStamp(todo, 'dtstamp', now);
  setUtcStamp(todo, 'created', now);
  setUtcStamp(todo, 'last-modified', now);
  todo.addPropertyWithValue('sequence', 0);
  todo.addPropertyWithValue('summary', eventText(input.summary, 'summary'));
  setOptionalText(todo, 'description', input.description);
  if (input.due) setDateProperty(todo, 'due', input.due, style);
  todo.addPropertyWithValue('status', 'NEEDS-ACTION');
  root.addSubcomponent(todo);
  return serializeCalendar(root);
}

function parseTodos(text: string): { root: ICAL.Component; todos: ICAL.Component[] } {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new InvalidCalendarData('unparsable', error instanceof Error ? error.message : String(error));
  }
  const todos = root.getAllSubcomponents('vtodo');
  if (todos.length === 0) throw new InvalidCalendarData('no-component');
  return { root, todos };
}

/**
 * Marks a stored task done (STATUS:COMPLETED, COMPLETED:<now>, PERCENT-COMPLETE:100) or open again
 * (STATUS:NEEDS-ACTION, COMPLETED and PERCENT-COMPLETE removed). Every other property survives;
 * DTSTAMP and LAST-MODIFIED move to now.
 */
export function setTaskCompletion(text: string, done: boolean, now: Date): string {
  const { root, todos } = parseTodos(text);
  for (const todo of todos) {
    if (todo.hasProperty('recurrence-id')) continue; // overrides keep their own state
    todo.updatePropertyWithValue('status', done ? 'COMPLETED' : 'NEEDS-ACTION');
    if (done) {
      setUtcStamp(todo, 'completed', now);
      todo.updatePropertyWithValue('percent-complete', 100);
    } else {
      todo.removeAllProperties('completed');
      todo.removeAllProperties('percent-complete');
    }
    setUtcStamp(todo, 'dtstamp', now);
    setUtcStamp(todo, 'last-modified', now);
  }
  return serializeCalendar(root);
}

function textOf(component: ICAL.Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The fields of a stored task's master VTODO (the one without RECURRENCE-ID). A floating DUE (no Z,
 * no TZID) is the user's wall-clock time: `floatingTimeZone` is the user's zone, never the server's.
 */
export function readTaskFields(text: string, floatingTimeZone = 'UTC'): TaskFields {
  const { todos } = parseTodos(text);
  const master = todos.find((todo) => !todo.hasProperty('recurrence-id')) ?? (todos[0] as ICAL.Component);
  const due = master.getFirstPropertyValue('due');
  const completed = master.getFirstPropertyValue('completed');
  const priority = Number(master.getFirstPropertyValue('priority'));
  return {
    summary: textOf(master, 'summary'),
    description: textOf(master, 'description'),
    due: due instanceof ICAL.Time ? dueText(due, floatingTimeZone) : null,
    completed: completed instanceof ICAL.Time ? icalTimeToDate(completed, floatingTimeZone) : null,
    status: textOf(master, 'status')?.toUpperCase() ?? null,
    // RFC 5545 §3.8.1.9: 0 means undefined.
    priority: Number.isInteger(priority) && priority > 0 ? priority : null,
  };
}

function dueText(time: ICAL.Time, floatingTimeZone: string): string {
  if (time.isDate) return time.toString();
  return icalTimeToDate(time, floatingTimeZone).toISOString();
}
