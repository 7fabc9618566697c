import { removeInstance } from '../domain/ical/remove-instance.ts';
import { withDomainErrors } from './calendar-data-error.ts';
import type { CalendarService } from './calendar-service.ts';

/**
 * Removes one instance of a recurring event and keeps the rest of the series (domain/ical/remove-instance.ts).
 * The write is conditional on the ETag read, so a concurrent change is reported, not overwritten.
 * The bot's cancel button names the instance by its start and is not checked against the series;
 * CalendarService.removeOccurrence is the checked form with scopes (REST), which the bot can move to.
 */
export async function removeOccurrence(
  calendars: CalendarService,
  userId: number,
  eventId: string,
  recurrenceId: Date,
  floatingTimeZone: string,
): Promise<void> {
  const event = await calendars.getEvent(userId, eventId);
  const object = await calendars.getObject(userId, event.calendarId, event.href);
  const text = withDomainErrors(() =>
    removeInstance(object.ical, event.componentType, recurrenceId, floatingTimeZone),
  );
  if (text === null) {
    await calendars.deleteEvent(userId, eventId, { ifMatch: object.etag });
    return;
  }
  await calendars.putObject(userId, event.calendarId, event.href, text, { ifMatch: object.etag });
}
