import { z } from 'zod';
import type { EventPatch } from '../../app/calendar-service.ts';
import { AppError } from '../../app/errors.ts';
import { resolveEventTime } from '../../app/event-time.ts';
import type { EventInput } from './contract.ts';

// Request fields of /api/events turned into app values: times in the right zone, If-Match, RECURRENCE-IDs.

export const ifMatchHeaders = z.object({ 'if-match': z.string().optional() }).passthrough();

/** RFC 9110 §13.1.1: `If-Match: *` matches any stored version; otherwise one strong ETag. */
export function ifMatchOf(headers: { 'if-match'?: string | undefined }): string | undefined {
  const value = headers['if-match']?.trim();
  return value === undefined || value === '*' ? undefined : value;
}

export function fieldError(field: string, message: string): AppError {
  return new AppError('invalid-field', message, { details: { field } });
}

/** What the stored event says when a field is left out. */
export interface CurrentEvent {
  allDay: boolean;
  timeZone: string | null;
  start: Date | null;
  end: Date | null;
}

/**
 * The changed fields as an EventPatch. Times are read in the given zone, else the event's, else the
 * user's. An all-day date is a midnight in that zone, so the zone goes into the patch too: the
 * stored dates are then written as given, never the UTC date of that midnight (a day early east of UTC).
 */
export function toEventPatch(
  input: Partial<EventInput>,
  userTimeZone: string | null,
  current?: CurrentEvent,
): { patch: EventPatch; timeZone: string } {
  const timeZone = input.timezone ?? current?.timeZone ?? userTimeZone ?? 'UTC';
  const allDay = input.allDay ?? current?.allDay ?? false;
  const patch: EventPatch = {};
  if (input.summary !== undefined) patch.summary = input.summary;
  if (input.start !== undefined)
    patch.start = resolveEventTime(input.start, { allDay, timeZone, field: 'start' });
  if (input.end !== undefined) patch.end = resolveEventTime(input.end, { allDay, timeZone, field: 'end' });
  if (input.allDay !== undefined) patch.allDay = input.allDay;
  if (input.timezone !== undefined) patch.timeZone = input.timezone;
  else if (allDay && (patch.start || patch.end)) patch.timeZone = timeZone;
  if (input.description !== undefined) patch.description = input.description;
  if (input.location !== undefined) patch.location = input.location;
  if (input.rrule !== undefined) patch.rrule = input.rrule;
  if (input.reminders !== undefined) patch.reminders = input.reminders;
  // A PATCH that moves one end is checked against the other end as stored.
  const start = patch.start ?? current?.start;
  const end = patch.end ?? current?.end;
  if (start && end && !(end > start))
    throw fieldError(patch.end ? 'end' : 'start', 'end must be after start.');
  return { patch, timeZone };
}

/**
 * An occurrence's recurrenceId as GET /api/events lists it: an ISO instant, or for all-day events a
 * date, which names midnight in the user's zone like the listing's dates do.
 */
export function resolveRecurrenceId(text: string, userTimeZone: string | null): Date {
  const allDay = /^\d{4}-\d{2}-\d{2}$/.test(text);
  return resolveEventTime(text, { allDay, timeZone: userTimeZone ?? 'UTC', field: 'recurrenceId' });
}
