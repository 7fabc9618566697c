import { type CalendarView, calendarTitle } from '../app/caldav-views.ts';
import { truncate, userText } from '../telegram/html.ts';
import { type BotContext, userIdOf } from './context.ts';

/** The calendars a new event may go into, and the one it goes into unless the user picks. */
export interface EventCalendarChoice {
  /** Writable calendars that hold events, oldest first. */
  calendars: CalendarView[];
  /** The default calendar's id (PreferenceService.calendarChoice); null when none takes events. */
  defaultId: string | null;
}

/**
 * What /create, quick add and /settings offer. A choice is only shown with more than one
 * calendar (`offersChoice`), so a one-calendar user sees the bot exactly as before.
 */
export async function eventCalendarChoice(ctx: BotContext): Promise<EventCalendarChoice> {
  return ctx.deps.services.preferences.calendarChoice(userIdOf(ctx), 'VEVENT');
}

export function offersChoice(choice: EventCalendarChoice): boolean {
  return choice.calendars.length > 1;
}

/** The calendar an event with `calendarId` (absent: the default) goes into, if it is still writable. */
export function chosenCalendar(
  choice: EventCalendarChoice,
  calendarId: string | undefined,
): CalendarView | undefined {
  const id = calendarId ?? choice.defaultId;
  return choice.calendars.find((c) => c.id === id);
}

/** A calendar's name for a button or a line (HTML-escaped, bounded). */
export function calendarName(calendar: Pick<CalendarView, 'name' | 'sharedBy'>): string {
  return userText(calendarTitle(calendar), 40);
}

/** The same name for a button label, which Telegram shows as plain text (not HTML). */
export function calendarButtonName(calendar: Pick<CalendarView, 'name' | 'sharedBy'>): string {
  return truncate(calendarTitle(calendar).replace(/\s+/g, ' ').trim(), 30);
}
