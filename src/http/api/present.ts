import type { z } from 'zod';
import type { UserView } from '../../app/account-service.ts';
import type { CalendarView } from '../../app/caldav-views.ts';
import type { EventView, OccurrenceView } from '../../app/calendar-service.ts';
import type { SubscriptionView } from '../../app/calendar-subscriptions.ts';
import type { DeviceView } from '../../app/device-service.ts';
import type { PreferencesView } from '../../app/preference-service.ts';
import type { calendarOutput } from './contract.ts';

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

/**
 * An all-day occurrence shows the dates it was written with (`occurrence.dates`): its start and end
 * are midnights in the user's zone, and their UTC date is the day before east of UTC.
 */
export function presentOccurrence(occurrence: OccurrenceView) {
  const dates = occurrence.allDay ? occurrence.dates : null;
  return {
    eventId: occurrence.eventId,
    calendarId: occurrence.calendarId,
    uid: occurrence.uid,
    recurrenceId: dates?.recurrenceId ?? occurrence.recurrenceId?.toISOString() ?? null,
    start: dates?.start ?? occurrence.start.toISOString(),
    end: dates?.end ?? occurrence.end.toISOString(),
    allDay: occurrence.allDay,
    timezone: occurrence.timeZone,
    summary: occurrence.summary,
    location: occurrence.location,
    description: occurrence.description,
    rrule: occurrence.rrule,
    reminders: occurrence.reminders,
    status: occurrence.status,
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

/** Preferences as REST shows them: no default reminder is `null`, so 0 can mean "at the start". */
export function presentPreferences(preferences: PreferencesView) {
  const { defaultReminderEnabled, ...rest } = preferences;
  return {
    ...rest,
    defaultReminderMinutes: defaultReminderEnabled ? preferences.defaultReminderMinutes : null,
  };
}

/** A calendar as REST shows it, with the collection URL a calendar app would add. */
export function presentCalendar(
  calendar: CalendarView,
  publicBaseUrl: string,
  subscription: SubscriptionView | null = null,
  isDefault = false,
): z.infer<typeof calendarOutput> {
  return {
    id: calendar.id,
    name: calendar.name,
    color: calendar.color,
    description: calendar.description,
    timezone: calendar.timeZone,
    syncRevision: calendar.syncRevision,
    caldavUrl: `${publicBaseUrl}/calendars/${calendar.homeUserId}/${calendar.slug}/`,
    access: calendar.access,
    readOnly: calendar.readOnly,
    isDefault,
    subscription: subscription && {
      url: subscription.url,
      lastFetchedAt: subscription.lastFetchedAt?.toISOString() ?? null,
      lastSuccessAt: subscription.lastSuccessAt?.toISOString() ?? null,
      nextFetchAt: subscription.nextFetchAt.toISOString(),
      error: subscription.error,
    },
  };
}
