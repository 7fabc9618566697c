import type { Db } from '../storage/db-types.ts';
import { findCalendar, listCalendars } from '../storage/repositories/calendar-repository.ts';
import type { CacheInvalidation, CacheSubscriber } from './cache-invalidation.ts';
import { AppError } from './errors.ts';

/** A calendar of the user changed; `syncRevision` is its revision after the change (the sync token). */
export interface CalendarChange {
  calendarId: string;
  syncRevision: number;
}

/**
 * What a change stream is told: a change; that the user's list of calendars changed (one made,
 * deleted, renamed or recoloured, on any device); or that changes may have been missed and all
 * should be reread.
 */
export type ChangeNotice =
  | { kind: 'change'; change: CalendarChange }
  | { kind: 'calendars' }
  | { kind: 'resync' };

export interface ChangeFeedLimits {
  /** Open streams one user may hold (a few tabs and devices). */
  perUser: number;
  /** Open streams in this process. */
  total: number;
}

export const defaultChangeFeedLimits: ChangeFeedLimits = { perUser: 8, total: 2_000 };

interface Watcher {
  readonly calendars: Set<string>;
  readonly listeners: Set<(notice: ChangeNotice) => void>;
}

/**
 * Tells open change streams (GET /api/changes) that a user's calendar changed, from the same
 * notifications that keep the caches right (cache-invalidation.ts): this process's writes right after
 * commit, and on PostgreSQL every process's through LISTEN/NOTIFY. No stream reads the database on
 * its own: a change costs one revision read for the owner, shared by all their streams, and none at
 * all when nobody watches that calendar. When the user's list of calendars changes, the watched set
 * is reread (a calendar made on another device is watched from then on) and the streams are told.
 * When notifications stop or restart (`reset`), changes may have been missed, so every stream is
 * told to reread.
 */
export class CalendarChangeFeed implements CacheSubscriber {
  readonly #db: Db;
  readonly #limits: ChangeFeedLimits;
  readonly #watchers = new Map<number, Watcher>();
  readonly #owners = new Map<string, number>();
  readonly #reading = new Set<string>();
  readonly #again = new Set<string>();
  readonly #lastRevision = new Map<string, number>();
  #open = 0;

  constructor(deps: { db: Db; changes: CacheInvalidation; limits?: ChangeFeedLimits }) {
    this.#db = deps.db;
    this.#limits = deps.limits ?? defaultChangeFeedLimits;
    deps.changes.subscribe(this);
  }

  /** Open streams, for tests and metrics. */
  get openStreams(): number {
    return this.#open;
  }

  /**
   * Starts telling `listener` about the user's calendars; the returned function stops it. Refused
   * with `rate-limited` beyond the per-user or total bound.
   */
  async watch(userId: number, listener: (notice: ChangeNotice) => void): Promise<() => void> {
    const existing = this.#watchers.get(userId);
    if ((existing?.listeners.size ?? 0) >= this.#limits.perUser) {
      throw new AppError(
        'rate-limited',
        `At most ${this.#limits.perUser} change streams per user are open at once.`,
      );
    }
    if (this.#open >= this.#limits.total) {
      throw new AppError('rate-limited', 'The server has too many change streams open; try again later.');
    }
    // The slot is taken before the first await, so concurrent requests cannot pass the bounds together.
    const watcher = existing ?? { calendars: new Set<string>(), listeners: new Set() };
    this.#watchers.set(userId, watcher);
    watcher.listeners.add(listener);
    this.#open++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.#open--;
      watcher.listeners.delete(listener);
      if (watcher.listeners.size > 0 || this.#watchers.get(userId) !== watcher) return;
      this.#watchers.delete(userId);
      for (const calendarId of watcher.calendars) {
        this.#owners.delete(calendarId);
        this.#lastRevision.delete(calendarId);
      }
    };
    try {
      await this.#rereadCalendars(userId, watcher, () => closed);
    } catch (error) {
      close();
      throw error;
    }
    return close;
  }

  calendarListChanged(userId: number): void {
    const watcher = this.#watchers.get(userId);
    if (!watcher) return;
    void this.#rereadCalendars(userId, watcher, () => this.#watchers.get(userId) !== watcher).then(
      () => {
        for (const listener of watcher.listeners) listener({ kind: 'calendars' });
      },
      () => {
        for (const listener of watcher.listeners) listener({ kind: 'resync' });
      },
    );
  }

  /** Watches exactly the user's calendars as they are now; `stopped` ends it early (streams closed). */
  async #rereadCalendars(userId: number, watcher: Watcher, stopped: () => boolean): Promise<void> {
    const calendars = await listCalendars(this.#db, userId);
    if (stopped()) return;
    const now = new Set(calendars.map((calendar) => calendar.id));
    for (const calendarId of watcher.calendars) {
      if (now.has(calendarId)) continue;
      watcher.calendars.delete(calendarId);
      this.#owners.delete(calendarId);
      this.#lastRevision.delete(calendarId);
    }
    for (const calendarId of now) {
      watcher.calendars.add(calendarId);
      this.#owners.set(calendarId, userId);
    }
  }

  objectChanged(calendarId: string): void {
    this.#changed(calendarId);
  }

  calendarChanged(calendarId: string): void {
    this.#changed(calendarId);
  }

  reset(): void {
    this.#lastRevision.clear();
    for (const watcher of this.#watchers.values()) {
      for (const listener of watcher.listeners) listener({ kind: 'resync' });
    }
  }

  #changed(calendarId: string): void {
    const userId = this.#owners.get(calendarId);
    if (userId === undefined) return;
    // One read per calendar at a time; a change during the read gets one more read after it.
    if (this.#reading.has(calendarId)) {
      this.#again.add(calendarId);
      return;
    }
    this.#reading.add(calendarId);
    void this.#announce(userId, calendarId).finally(() => {
      this.#reading.delete(calendarId);
      if (this.#again.delete(calendarId)) this.#changed(calendarId);
    });
  }

  async #announce(userId: number, calendarId: string): Promise<void> {
    // Let the write that caused this finish committing before its revision is read.
    await new Promise((resolve) => setImmediate(resolve));
    let revision: number | undefined;
    try {
      revision = (await findCalendar(this.#db, userId, calendarId))?.sync_revision;
    } catch {
      revision = undefined;
    }
    const watcher = this.#watchers.get(userId);
    if (!watcher) return;
    if (revision === undefined) {
      // Gone, or unreadable for now: the streams reread rather than miss a change.
      for (const listener of watcher.listeners) listener({ kind: 'resync' });
      return;
    }
    // The same change arrives twice in this process (after commit, then by NOTIFY): announce it once.
    if ((this.#lastRevision.get(calendarId) ?? -1) >= revision) return;
    this.#lastRevision.set(calendarId, revision);
    for (const listener of watcher.listeners)
      listener({ kind: 'change', change: { calendarId, syncRevision: revision } });
  }
}
