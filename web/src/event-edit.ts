import type { EventInput, Occurrence, Scope } from './api.ts';
import type { EventFormValues } from './EventForm.tsx';
import { reminderOf } from './ReminderFields.tsx';
import { fromRrule, noRepeat } from './recurrence.ts';
import { addDays, localDateTime } from './zoned-time.ts';

// From a listed occurrence to the form, and from the form back to the smallest PATCH body: only
// what the person changed is sent, so a rule or reminder another app wrote is left as it was.

/** The form's values for one occurrence, times read in the event's zone (else the user's). */
export function formValuesOf(occurrence: Occurrence, userTimeZone: string): EventFormValues {
  const timeZone = occurrence.timezone ?? userTimeZone;
  const repeat = fromRrule(occurrence.rrule);
  return {
    summary: occurrence.summary ?? '',
    allDay: occurrence.allDay,
    start: occurrence.allDay ? occurrence.start : localDateTime(new Date(occurrence.start), timeZone),
    // All-day ends are exclusive in the API (RFC 5545 §3.6.1); the form shows the last day.
    end: occurrence.allDay ? addDays(occurrence.end, -1) : localDateTime(new Date(occurrence.end), timeZone),
    timeZone,
    location: occurrence.location ?? '',
    description: occurrence.description ?? '',
    repeat: repeat ?? noRepeat,
    customRrule: repeat === undefined && occurrence.rrule ? occurrence.rrule : undefined,
    reminders: occurrence.reminders.map(reminderOf),
    calendarId: occurrence.calendarId,
  };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields that differ between what the form started with and what it holds now. Times travel
 * together (start, end, all-day and the zone they are read in), so the server never reads a new
 * start against an old zone.
 */
export function changedFields(before: EventInput, after: EventInput): Partial<EventInput> {
  const change: Partial<EventInput> = {};
  const timing = ['start', 'end', 'allDay', 'timezone'] as const;
  if (timing.some((key) => !sameValue(before[key], after[key]))) {
    for (const key of timing) Object.assign(change, { [key]: after[key] });
  }
  for (const key of ['summary', 'location', 'description', 'rrule', 'reminders', 'calendarId'] as const) {
    if (!sameValue(before[key], after[key])) Object.assign(change, { [key]: after[key] });
  }
  return change;
}

/** The scopes a change may take: one occurrence cannot get a repeat rule of its own. */
export function scopesFor(change: Partial<EventInput> | undefined): Scope[] {
  return change && 'rrule' in change ? ['following', 'all'] : ['this', 'following', 'all'];
}

/** Does this occurrence belong to a series (so a change asks how far it reaches)? */
export function isSeriesOccurrence(occurrence: Occurrence): boolean {
  return occurrence.recurrenceId !== null;
}
