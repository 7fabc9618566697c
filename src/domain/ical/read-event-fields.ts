import ICAL from 'ical.js';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { readVCalendar } from './read-vcalendar.ts';

/** The editable fields of a stored event's master component, as the bot and the REST API show them. */
export type StoredEventFields = {
  description: string | null;
  location: string | null;
  /** Minutes before start of each VALARM with a relative trigger on the start (RFC 5545 §3.8.6.3). */
  reminders: number[];
  /** Alarms Televent cannot express as "minutes before" (absolute or end-related triggers). */
  otherAlarmCount: number;
};

function textOf(component: ICAL.Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value : null;
}

export function readEventFields(text: string): StoredEventFields {
  return guardCalendarInput(() => readFields(text));
}

function readFields(text: string): StoredEventFields {
  const root = readVCalendar(text, { unknownTimeZones: 'floating' });
  const components = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  const master = components.find((c) => !c.hasProperty('recurrence-id')) ?? components[0];
  if (!master) return { description: null, location: null, reminders: [], otherAlarmCount: 0 };
  const reminders: number[] = [];
  let otherAlarmCount = 0;
  for (const alarm of master.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    const related = trigger?.getParameter('related');
    if (value instanceof ICAL.Duration && related !== 'END' && value.toSeconds() <= 0) {
      // Math.abs, not negation: a trigger at the start (PT0S) is 0 minutes, not -0.
      reminders.push(Math.round(Math.abs(value.toSeconds()) / 60));
    } else {
      otherAlarmCount += 1;
    }
  }
  return {
    description: textOf(master, 'description'),
    location: textOf(master, 'location'),
    reminders: reminders.sort((a, b) => a - b),
    otherAlarmCount,
  };
}

/**
 * RFC 5545 §3.8.2.7: a TRANSPARENT master takes no time on a free-busy schedule (RFC 4791 §7.10).
 * Unreadable text counts as opaque.
 */
export function isTransparent(text: string): boolean {
  try {
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    const master = root.getAllSubcomponents('vevent').find((c) => !c.hasProperty('recurrence-id'));
    return master?.getFirstPropertyValue('transp') === 'TRANSPARENT';
  } catch {
    return false;
  }
}
