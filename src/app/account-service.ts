import { isValidTimeZone } from '../domain/time/time-zone.ts';
import type { Db } from '../storage/db-types.ts';
import { listObjectsOfOwner } from '../storage/repositories/calendar-object-repository.ts';
import { insertCalendar, listCalendars } from '../storage/repositories/calendar-repository.ts';
import { listDevices } from '../storage/repositories/device-repository.ts';
import { cancelPendingMessages } from '../storage/repositories/outbox-repository.ts';
import {
  findPreferences,
  findUser,
  insertDefaultPreferences,
  insertUserIfAbsent,
  updateUser,
} from '../storage/repositories/user-repository.ts';
import type { UserRow } from '../storage/schema.ts';
import { transact } from '../storage/transaction.ts';
import { combineStoredObjects } from './combine-objects.ts';
import { AppError } from './errors.ts';
import { enqueueJobs, type Job } from './jobs.ts';

export interface TelegramProfile {
  telegramId: number;
  username?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  locale?: string | null | undefined;
  timeZone?: string | null | undefined;
}

export interface UserView {
  telegramId: number;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  timeZone: string | null;
  /** Telegram's language_code as last seen. */
  locale: string | null;
  /** The bot language the user chose ('en' | 'ru'); null follows `locale`. */
  language: string | null;
  deletionRequestedAt: Date | null;
  /** When the account will be erased, if a deletion is pending. */
  deletionScheduledFor: Date | null;
  createdAt: Date;
}

/** RFC-free product rule: an account is erased 30 days after its deletion request. */
export const deletionGraceDays = 30;
const dayMs = 86_400_000;

/** Users and their account: first contact, time zone, data export, deletion and its undoing. */
export class AccountService {
  readonly #db: Db;
  readonly #now: () => Date;

  constructor(deps: { db: Db; now?: () => Date }) {
    this.#db = deps.db;
    this.#now = deps.now ?? (() => new Date());
  }

  /**
   * Creates the user with preferences and a calendar on first contact (one transaction); later
   * calls refresh the Telegram names. Returns the user and whether it was just created.
   */
  async ensureUser(profile: TelegramProfile): Promise<{ user: UserView; created: boolean }> {
    if (!Number.isSafeInteger(profile.telegramId) || profile.telegramId <= 0) {
      throw new AppError('invalid-field', 'A Telegram id is a positive whole number.', {
        details: { field: 'telegramId' },
      });
    }
    if (profile.timeZone && !isValidTimeZone(profile.timeZone)) {
      throw new AppError('invalid-time-zone', `"${profile.timeZone}" is not a known IANA time zone.`);
    }
    return transact(this.#db, async (trx) => {
      const created = await insertUserIfAbsent(trx, {
        telegram_id: profile.telegramId,
        username: profile.username ?? null,
        first_name: profile.firstName ?? null,
        last_name: profile.lastName ?? null,
        locale: profile.locale ?? null,
        time_zone: profile.timeZone ?? null,
      });
      if (created) {
        await insertDefaultPreferences(trx, profile.telegramId);
        await insertCalendar(trx, {
          owner_id: profile.telegramId,
          slug: 'default',
          name: 'Televent',
          time_zone: profile.timeZone ?? null,
        });
        const user = await findUser(trx, profile.telegramId);
        if (!user) throw new AppError('user-not-found');
        return { user: toUserView(user), created };
      }
      const existing = await findUser(trx, profile.telegramId);
      if (!existing) throw new AppError('user-not-found');
      // Only what differs is written: a returning user with the same names costs no write (and no audit row).
      const changes = {
        ...(profile.username !== undefined && profile.username !== existing.username
          ? { username: profile.username }
          : {}),
        ...(profile.firstName !== undefined && profile.firstName !== existing.first_name
          ? { first_name: profile.firstName }
          : {}),
        ...(profile.lastName !== undefined && profile.lastName !== existing.last_name
          ? { last_name: profile.lastName }
          : {}),
        ...(profile.locale !== undefined && profile.locale !== existing.locale
          ? { locale: profile.locale }
          : {}),
      };
      const user =
        Object.keys(changes).length > 0 ? await updateUser(trx, profile.telegramId, changes) : existing;
      if (!user) throw new AppError('user-not-found');
      return { user: toUserView(user), created };
    });
  }

  async getUser(userId: number): Promise<UserView> {
    const user = await findUser(this.#db, userId);
    if (!user) throw new AppError('user-not-found');
    return toUserView(user);
  }

  async setTimeZone(userId: number, timeZone: string): Promise<UserView> {
    if (!isValidTimeZone(timeZone)) {
      throw new AppError(
        'invalid-time-zone',
        `"${timeZone}" is not a known IANA time zone, e.g. Europe/Berlin.`,
      );
    }
    const user = await updateUser(this.#db, userId, { time_zone: timeZone });
    if (!user) throw new AppError('user-not-found');
    return toUserView(user);
  }

  /** The bot language the user chose in /settings; null goes back to following Telegram's. */
  async setLanguage(userId: number, language: 'en' | 'ru' | null): Promise<UserView> {
    const user = await updateUser(this.#db, userId, { language });
    if (!user) throw new AppError('user-not-found');
    return toUserView(user);
  }

  /** Schedules erasure 30 days ahead (idempotent: a second request keeps the first date). */
  async requestDeletion(userId: number): Promise<UserView> {
    return transact(this.#db, async (trx) => {
      const user = await findUser(trx, userId);
      if (!user) throw new AppError('user-not-found');
      if (user.deletion_requested_at) return toUserView(user);
      const requestedAt = this.#now();
      const updated = await updateUser(trx, userId, { deletion_requested_at: requestedAt });
      if (!updated) throw new AppError('user-not-found');
      const view = toUserView(updated);
      const preferences = await findPreferences(trx, userId);
      const request = { userId, requestedAt: requestedAt.toISOString() };
      await enqueueJobs(trx, [
        {
          kind: 'account.erase',
          payload: request,
          dedupeKey: `account.erase:${userId}:${request.requestedAt}`,
          runAt: view.deletionScheduledFor ?? undefined,
          userId,
        },
        // Where the user gave an address, a notice with the erase date and how to undo it
        // (sent only if the worker has SMTP_URL and the request still stands by then).
        ...(preferences?.email
          ? [
              {
                kind: 'account.deletion-notice',
                payload: request,
                dedupeKey: `account.deletion-notice:${userId}:${request.requestedAt}`,
                userId,
              } satisfies Job<'account.deletion-notice'>,
            ]
          : []),
      ]);
      return view;
    });
  }

  /** Undoes a pending deletion request; pending erasure jobs are cancelled in the same transaction. */
  async cancelDeletion(userId: number): Promise<UserView> {
    return transact(this.#db, async (trx) => {
      const user = await updateUser(trx, userId, { deletion_requested_at: null });
      if (!user) throw new AppError('user-not-found');
      await cancelPendingMessages(trx, userId, 'account.erase');
      return toUserView(user);
    });
  }

  /**
   * Everything the user owns, as JSON plus the calendar as one .ics (GDPR Art. 20). Unless
   * `emailCopy` is false, a user with an email address also gets it mailed (by the worker, when
   * SMTP_URL is set); at most one such email per user and minute, however often they ask.
   */
  async exportData(userId: number, options: { emailCopy?: boolean } = {}) {
    const user = await findUser(this.#db, userId);
    if (!user) throw new AppError('user-not-found');
    const [preferences, calendars, objects, devices] = await Promise.all([
      findPreferences(this.#db, userId),
      listCalendars(this.#db, userId),
      listObjectsOfOwner(this.#db, userId),
      listDevices(this.#db, userId),
    ]);
    const exportedAt = this.#now();
    if (preferences?.email && options.emailCopy !== false) {
      await enqueueJobs(this.#db, [
        {
          kind: 'account.export-email',
          payload: { userId, requestedAt: exportedAt.toISOString() },
          dedupeKey: `account.export-email:${userId}:${exportedAt.toISOString().slice(0, 16)}`,
          userId,
        },
      ]);
    }
    // The JSON export still carries the stored text of an object the .ics leaves out as unreadable.
    const ics = await combineStoredObjects(calendars[0]?.name, objects);
    return {
      exportedAt,
      user: toUserView(user),
      preferences: preferences
        ? {
            defaultReminderMinutes: preferences.default_reminder_minutes,
            defaultReminderEnabled: preferences.default_reminder_enabled,
            digestEnabled: preferences.digest_enabled,
            digestTime: preferences.digest_time.slice(0, 5),
            email: preferences.email,
          }
        : null,
      calendars: calendars.map((c) => ({
        id: c.id,
        name: c.name,
        color: c.color,
        description: c.description,
        timeZone: c.time_zone,
        createdAt: c.created_at,
      })),
      events: objects.map((o) => ({
        id: o.id,
        calendarId: o.calendar_id,
        href: o.href_name,
        uid: o.uid,
        etag: o.etag,
        summary: o.summary,
        start: o.start_at,
        end: o.end_at,
        allDay: o.all_day,
        ical: o.ical,
      })),
      devices: devices.map((d) => ({
        id: d.id,
        name: d.name,
        createdAt: d.created_at,
        lastUsedAt: d.last_used_at,
      })),
      ics,
    };
  }
}

export function toUserView(user: UserRow): UserView {
  return {
    telegramId: user.telegram_id,
    username: user.username,
    firstName: user.first_name,
    lastName: user.last_name,
    timeZone: user.time_zone,
    locale: user.locale,
    language: user.language,
    deletionRequestedAt: user.deletion_requested_at,
    deletionScheduledFor: user.deletion_requested_at
      ? new Date(user.deletion_requested_at.getTime() + deletionGraceDays * dayMs)
      : null,
    createdAt: user.created_at,
  };
}
