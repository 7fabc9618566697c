import { z } from 'zod';
import type { Db } from '../storage/db-types.ts';
import { findPreferences, updatePreferences } from '../storage/repositories/user-repository.ts';
import type { PreferencesRow } from '../storage/schema.ts';
import { AppError } from './errors.ts';

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
