import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/db-types.ts';
import {
  deleteCalendarFeed,
  findCalendarByFeedHash,
  listCalendarObjectsOfKind,
  replaceCalendarFeed,
} from '../storage/repositories/calendar-feed-repository.ts';
import type { CalendarRow } from '../storage/schema.ts';
import { transact } from '../storage/transaction.ts';
import { ownCalendar } from './calendar-access.ts';
import { combineStoredObjects } from './combine-objects.ts';
import { UserWorkLimiter } from './cooperative-work.ts';
import { AppError } from './errors.ts';
import { hashSecret } from './secret-hash.ts';

/** 32 random bytes in base64url: 43 characters, the only shape a feed secret ever has. */
const secretPattern = /^[A-Za-z0-9_-]{43}$/;

/** A feed just made: the secret is shown once and never stored (only its SHA-256 is). */
export interface NewCalendarFeed {
  calendarId: string;
  secret: string;
}

/** What a feed request needs before deciding between 304 and a body. */
export interface CalendarFeedVersion {
  /** A strong validator: changes with every write to the calendar, its properties and each rotation. */
  etag: string;
  /** Whole seconds, as HTTP dates carry them (RFC 9110 §5.6.7). */
  lastModified: Date;
  /** The calendar's events as one iCalendar text, built only when asked. */
  render(): Promise<string>;
}

/**
 * Secret read-only feed URLs (issue 13 item 4): one per calendar, made and rotated by its owner,
 * followed by any ICS subscriber without signing in. A feed carries the calendar's own events and
 * nothing else of the user: no tasks, no other calendars, no account data.
 */
export class CalendarFeedService {
  readonly #db: Db;
  readonly #work: UserWorkLimiter;

  constructor(deps: { db: Db; work?: UserWorkLimiter }) {
    this.#db = deps.db;
    this.#work = deps.work ?? new UserWorkLimiter();
  }

  /** Makes a new secret for the user's calendar, replacing any earlier one (whose URL stops working). */
  async createFeed(userId: number, calendarId: string): Promise<NewCalendarFeed> {
    const secret = randomBytes(32).toString('base64url');
    await transact(this.#db, async (trx) => {
      await ownCalendar(trx, userId, calendarId);
      await replaceCalendarFeed(trx, calendarId, hashSecret(secret));
    });
    return { calendarId, secret };
  }

  /** Revokes the calendar's feed; revoking a calendar without one is not an error. */
  async revokeFeed(userId: number, calendarId: string): Promise<void> {
    await transact(this.#db, async (trx) => {
      await ownCalendar(trx, userId, calendarId);
      await deleteCalendarFeed(trx, calendarId);
    });
  }

  /** The feed a secret names; an unknown, rotated or revoked secret is `calendar-not-found`. */
  async resolve(secret: string): Promise<CalendarFeedVersion> {
    const found = secretPattern.test(secret)
      ? await findCalendarByFeedHash(this.#db, hashSecret(secret))
      : undefined;
    if (!found) throw new AppError('calendar-not-found');
    const { feed, calendar } = found;
    const changedAt = Math.max(calendar.updated_at.getTime(), feed.createdAt.getTime());
    return {
      // The feed part tells rotations apart; updated_at covers property changes (a rename) that
      // leave the sync revision alone.
      etag: `"${feed.tokenHash.slice(0, 16)}-${calendar.sync_revision}-${calendar.updated_at.getTime().toString(36)}"`,
      lastModified: new Date(Math.floor(changedAt / 1000) * 1000),
      render: () => this.#work.run(calendar.owner_id, () => this.#render(calendar)),
    };
  }

  async #render(calendar: CalendarRow): Promise<string> {
    const objects = await listCalendarObjectsOfKind(this.#db, calendar.id, 'VEVENT');
    // As GET /api/export.ics builds it (AccountService.exportData).
    return combineStoredObjects(calendar.name, objects);
  }
}
