import type { UserView } from '../../app/account-service.ts';
import type { EventView, OccurrenceView } from '../../app/calendar-service.ts';
import type { DeviceView } from '../../app/device-service.ts';

// Domain values → JSON: instants as ISO strings, all-day bounds as their dates.

function dateOrInstant(value: Date | null, allDay: boolean): string | null {
  if (!value) return null;
  return allDay ? value.toISOString().slice(0, 10) : value.toISOString();
}

export function presentEvent(event: EventView) {
  return {
    id: event.id,
    calendarId: event.calendarId,
    uid: event.uid,
    etag: event.etag,
    summary: event.summary,
    start: dateOrInstant(event.start, event.allDay),
    end: dateOrInstant(event.end, event.allDay),
    allDay: event.allDay,
    timezone: event.timeZone,
    description: event.description,
    location: event.location,
    rrule: event.rrule,
    reminders: event.reminders,
    status: event.status,
    sequence: event.sequence,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
  };
}

export function presentOccurrence(occurrence: OccurrenceView) {
  return {
    eventId: occurrence.eventId,
    calendarId: occurrence.calendarId,
    uid: occurrence.uid,
    recurrenceId: occurrence.recurrenceId?.toISOString() ?? null,
    start: dateOrInstant(occurrence.start, occurrence.allDay) ?? '',
    end: dateOrInstant(occurrence.end, occurrence.allDay) ?? '',
    allDay: occurrence.allDay,
    summary: occurrence.summary,
    location: occurrence.location,
    description: occurrence.description,
    status: occurrence.status,
    timezone: occurrence.timeZone,
    isRecurring: occurrence.isRecurring,
    etag: occurrence.etag,
  };
}

export function presentUser(user: UserView) {
  return {
    telegramId: user.telegramId,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    timezone: user.timeZone,
    locale: user.locale,
    deletionRequestedAt: user.deletionRequestedAt?.toISOString() ?? null,
    deletionScheduledFor: user.deletionScheduledFor?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function presentDevice(device: DeviceView) {
  return {
    id: device.id,
    name: device.name,
    createdAt: device.createdAt.toISOString(),
    lastUsedAt: device.lastUsedAt?.toISOString() ?? null,
  };
}
