import { z } from 'zod';
import type { Db } from '../storage/db-types.ts';
import { findCalendar, listCalendars } from '../storage/repositories/calendar-repository.ts';
import { findPreferences, updatePreferences } from '../storage/repositories/user-repository.ts';
import type { PreferencesRow } from '../storage/schema.ts';
import { type CalendarView, toCalendarView } from './caldav-views.ts';
import { AppError } from './errors.ts';
import { isUuid } from './event-view.ts';

export interface PreferencesView {
  defaultReminderMinutes: number;
  /** False: events without reminders of their own get none (the bot's "None"). */
  defaultReminderEnabled: boolean;
  digestEnabled: boolean;
  /** Local 'HH:MM' of the morning digest. */
  digestTime: string;
  /** Optional; where the data export and account notices are emailed (null: no email). */
  email: string | null;
}

export type PreferencesPatch = Partial<PreferencesView>;

/** What a calendar is chosen to hold: events (VEVENT) or tasks (VTODO). */
export type CalendarComponent = 'VEVENT' | 'VTODO';

/** A calendar the user can write `component`s into: it accepts them and follows no external feed. */
export function acceptsWrites(calendar: CalendarView, component: CalendarComponent): boolean {
  return calendar.components.includes(component) && !calendar.readOnly;
}

/** RFC 5321 caps a path at 256 octets, so an address at 254; zod checks the usual shape. */
const emailAddress = z.email().max(254);

export class PreferenceService {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  async getPreferences(userId: number): Promise<PreferencesView> {
    const row = await findPreferences(this.#db, userId);
    if (!row) throw new AppError('user-not-found');
    return toPreferencesView(row);
  }

  async updatePreferences(userId: number, patch: PreferencesPatch): Promise<PreferencesView> {
    const minutes = patch.defaultReminderMinutes;
    if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0 || minutes > 40_320)) {
      throw new AppError(
        'invalid-field',
        'The default reminder is whole minutes from 0 to 40320 (four weeks).',
        {
          details: { field: 'defaultReminderMinutes' },
        },
      );
    }
    if (patch.digestTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(patch.digestTime)) {
      throw new AppError('invalid-field', 'The digest time is a 24-hour HH:MM time such as 08:00.', {
        details: { field: 'digestTime' },
      });
    }
    let email = patch.email;
    if (typeof email === 'string') {
      const parsed = emailAddress.safeParse(email.trim());
      if (!parsed.success) {
        throw new AppError('invalid-field', 'That is not an email address I can use, e.g. you@example.com.', {
          details: { field: 'email' },
        });
      }
      email = parsed.data;
    }
    const changes = {
      ...(minutes !== undefined ? { default_reminder_minutes: minutes } : {}),
      ...(patch.defaultReminderEnabled !== undefined
        ? { default_reminder_enabled: patch.defaultReminderEnabled }
        : {}),
      ...(email !== undefined ? { email } : {}),
      ...(patch.digestEnabled !== undefined ? { digest_enabled: patch.digestEnabled } : {}),
      ...(patch.digestTime !== undefined ? { digest_time: patch.digestTime } : {}),
    };
    if (Object.keys(changes).length === 0) return this.getPreferences(userId);
    const row = await updatePreferences(this.#db, userId, changes);
    if (!row) throw new AppError('user-not-found');
    return toPreferencesView(row);
  }

  /**
   * The calendars the user can put `component`s in, oldest first: what the bot offers in /create,
   * quick add and /settings (calendars that follow a feed are read-only and left out).
   */
  async writableCalendars(userId: number, component: CalendarComponent): Promise<CalendarView[]> {
    const calendars = (await listCalendars(this.#db, userId)).map(toCalendarView);
    return calendars.filter((calendar) => acceptsWrites(calendar, component));
  }

  /** The chosen default calendar's id, or null for "the first (oldest) calendar". */
  async getDefaultCalendarId(userId: number): Promise<string | null> {
    const row = await findPreferences(this.#db, userId);
    if (!row) throw new AppError('user-not-found');
    return row.default_calendar_id;
  }

  /**
   * Where new `component`s go when the user does not pick: the default calendar when it takes them,
   * else the first writable calendar that does; null when none does.
   */
  async calendarFor(userId: number, component: CalendarComponent): Promise<CalendarView | null> {
    const { calendars, defaultId } = await this.calendarChoice(userId, component);
    return calendars.find((calendar) => calendar.id === defaultId) ?? null;
  }

  /** The writable calendars for `component` and, of them, the one calendarFor picks (null: none). */
  async calendarChoice(
    userId: number,
    component: CalendarComponent,
  ): Promise<{ calendars: CalendarView[]; defaultId: string | null }> {
    const [chosen, calendars] = await Promise.all([
      this.getDefaultCalendarId(userId),
      this.writableCalendars(userId, component),
    ]);
    const calendar = calendars.find((c) => c.id === chosen) ?? calendars[0];
    return { calendars, defaultId: calendar?.id ?? null };
  }

  /**
   * Chooses the calendar new events go into (null: back to the first one). Another user's
   * calendar is "not found"; one that holds no events or follows a feed is refused.
   */
  async setDefaultCalendar(userId: number, calendarId: string | null): Promise<void> {
    if (calendarId !== null) {
      const row = isUuid(calendarId) ? await findCalendar(this.#db, userId, calendarId) : undefined;
      if (!row) throw new AppError('calendar-not-found');
      const calendar = toCalendarView(row);
      if (calendar.readOnly) throw new AppError('calendar-read-only');
      if (!acceptsWrites(calendar, 'VEVENT')) {
        throw new AppError('unsupported-component', 'This calendar does not hold events (VEVENT).');
      }
    }
    const row = await updatePreferences(this.#db, userId, { default_calendar_id: calendarId });
    if (!row) throw new AppError('user-not-found');
  }
}

function toPreferencesView(row: PreferencesRow): PreferencesView {
  return {
    defaultReminderMinutes: row.default_reminder_minutes,
    defaultReminderEnabled: row.default_reminder_enabled,
    digestEnabled: row.digest_enabled,
    digestTime: row.digest_time.slice(0, 5),
    email: row.email,
  };
}
