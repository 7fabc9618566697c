import { createHash, randomBytes } from 'node:crypto';
import { type ParsedCalendarObject, parseCalendarObject } from '../domain/ical/parse-calendar.ts';
import type { Db } from '../storage/db-types.ts';
import { updateCalendar } from '../storage/repositories/calendar-repository.ts';
import {
  findSubscription,
  insertCalendarSubscription,
  listDueSubscriptions,
  listObjectsForFeed,
  listUserSubscriptions,
  updateSubscription,
} from '../storage/repositories/calendar-subscription-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { CalendarSubscriptionRow } from '../storage/schema.ts';
import { transact } from '../storage/transaction.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import type { CalendarView } from './caldav-views.ts';
import { ownCalendar } from './calendar-access.ts';
import type { CalendarCollectionService } from './calendar-collections.ts';
import { withDomainErrors } from './calendar-data-error.ts';
import { AppError, isAppError } from './errors.ts';
import { checkFeedHost, parseFeedUrl } from './feed-address.ts';
import { readFeedSettings } from './feed-settings.ts';
import { hrefFor, readIcsDocument, sameObjectText } from './ics-import.ts';
import { enqueueJobs, type Job } from './jobs.ts';
import { removeObject, writeObject } from './object-writes.ts';

const hourMs = 3_600_000;
/** How often a feed is fetched when it does not say (README "Calendar subscriptions"). */
export const defaultFeedRefreshMs = 6 * hourMs;
/** After failures: 1 h, 2 h, 4 h, … at most a day; never retried hot. */
export const maxFeedBackoffMs = 24 * hourMs;
/** A person may ask for a refresh once a minute per calendar. */
export const feedRefreshCooldownMs = 60_000;
/** What a followed calendar holds; other components of a feed are skipped. */
const feedComponents = ['VEVENT', 'VTODO'];

/** Why a fetch failed, as shown to the user (REST `subscription.error.reason`). */
export type FeedFailureReason =
  | 'feed-address-refused'
  | 'feed-unreachable'
  | 'feed-timeout'
  | 'feed-too-large'
  | 'feed-too-many-redirects'
  | 'feed-http-error'
  | 'feed-invalid';

/** A failed fetch or apply: a stable reason and a sentence for people. */
export class FeedFailure extends Error {
  readonly reason: FeedFailureReason;
  constructor(reason: FeedFailureReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'FeedFailure';
    this.reason = reason;
  }
}

/** A calendar's feed as REST shows it. */
export interface SubscriptionView {
  url: string;
  lastFetchedAt: Date | null;
  lastSuccessAt: Date | null;
  nextFetchAt: Date;
  error: { reason: string; message: string } | null;
}

/** What the fetcher needs to revalidate a feed. */
export interface FeedRequest {
  calendarId: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/** A feed's body and validators, as fetched. */
export interface FetchedFeed {
  text: string;
  etag: string | null;
  lastModified: string | null;
}

/** How a fetched feed changed its calendar. */
export interface FeedApplyReport {
  created: number;
  modified: number;
  deleted: number;
  unchanged: number;
  skipped: number;
}

/** Told once when a feed starts failing (the bot message). */
export interface FeedFailureNotice {
  userId: number;
  calendarName: string;
  url: string;
  reason: FeedFailureReason;
  message: string;
  language: string | null;
  locale: string | null;
}

/**
 * Calendars that follow an external ICS feed (issue 13 item 5). The worker fetches (it does the
 * I/O, worker/feed-fetcher.ts); this service decides when, and replaces the calendar's contents by
 * the feed's in one transaction through the object-write path every door uses, diffing by UID so
 * unchanged objects keep their ETag and href. Such a calendar is read-only for everyone else.
 */
export class CalendarSubscriptionService {
  readonly #db: Db;
  readonly #collections: CalendarCollectionService;
  readonly #changes: CacheInvalidation | undefined;
  readonly #now: () => Date;

  constructor(deps: {
    db: Db;
    collections: CalendarCollectionService;
    changes?: CacheInvalidation;
    now?: () => Date;
  }) {
    this.#db = deps.db;
    this.#collections = deps.collections;
    this.#changes = deps.changes;
    this.#now = deps.now ?? (() => new Date());
  }

  /**
   * Makes a calendar that follows `url` and queues its first fetch. Without a name it is called
   * after the URL's host until the first fetch names it with the feed's X-WR-CALNAME.
   */
  async subscribe(
    userId: number,
    input: { url: string; name?: string | undefined; color?: string | null | undefined },
    options: { allowPrivateAddresses: boolean },
  ): Promise<CalendarView> {
    const url = parseFeedUrl(input.url);
    checkFeedHost(url, options.allowPrivateAddresses);
    const now = this.#now();
    const calendar = await this.#collections.createCalendar(
      userId,
      {
        slug: randomBytes(9).toString('base64url'),
        name: input.name ?? placeholderName(url),
        ...(input.color !== undefined ? { color: input.color } : {}),
        components: feedComponents,
      },
      async (trx, row) => {
        await insertCalendarSubscription(trx, {
          calendar_id: row.id,
          url: url.href,
          next_fetch_at: now,
          name_from_feed: input.name === undefined,
        });
        await enqueueJobs(trx, [fetchJob(row.id, userId, now)]);
      },
    );
    return { ...calendar, readOnly: true };
  }

  /** The followed feeds of the user's calendars, by calendar id. */
  async subscriptionsOf(userId: number): Promise<Map<string, SubscriptionView>> {
    const rows = await listUserSubscriptions(this.#db, userId);
    return new Map(rows.map((row) => [row.calendar_id, toSubscriptionView(row)]));
  }

  /** The feed one of the user's calendars follows, or null. */
  async subscriptionOf(userId: number, calendarId: string): Promise<SubscriptionView | null> {
    return (await this.subscriptionsOf(userId)).get(calendarId) ?? null;
  }

  /** Queues a fetch now (POST /api/calendars/:id/refresh); at most one a minute per calendar. */
  async requestRefresh(userId: number, calendarId: string): Promise<void> {
    const now = this.#now();
    await transact(this.#db, async (trx) => {
      await ownCalendar(trx, userId, calendarId);
      const subscription = await findSubscription(trx, calendarId, { forUpdate: true });
      if (!subscription) {
        throw new AppError(
          'invalid-field',
          'This calendar does not follow a feed, so there is nothing to refresh.',
        );
      }
      const last = subscription.refresh_requested_at?.getTime();
      if (last !== undefined && now.getTime() - last < feedRefreshCooldownMs) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((last + feedRefreshCooldownMs - now.getTime()) / 1000),
        );
        throw new AppError(
          'rate-limited',
          'This feed was refreshed less than a minute ago; try again shortly.',
          {
            details: { retryAfterSeconds },
          },
        );
      }
      await updateSubscription(trx, calendarId, { refresh_requested_at: now, next_fetch_at: now });
      await enqueueJobs(trx, [fetchJob(calendarId, userId, now)]);
    });
  }

  /** Queues a fetch of every feed that is due (the periodic 'subscriptions.fetch-due'). */
  async enqueueDueFetches(now: Date, limit = 500): Promise<number> {
    const due = await listDueSubscriptions(this.#db, now, limit);
    if (due.length > 0) {
      await enqueueJobs(
        this.#db,
        due.map((row) => fetchJob(row.calendarId, row.ownerId, row.nextFetchAt)),
      );
    }
    return due.length;
  }

  /** The request for a due feed, its attempt recorded; null when it is gone or not due (a duplicate job). */
  async startFetch(calendarId: string, now: Date): Promise<FeedRequest | null> {
    return transact(this.#db, async (trx) => {
      const subscription = await findSubscription(trx, calendarId, { forUpdate: true });
      if (!subscription || subscription.next_fetch_at.getTime() > now.getTime() + 1000) return null;
      // Provisional: should this attempt die without an outcome, the scan tries again in an hour.
      const retryAt = new Date(now.getTime() + hourMs);
      await updateSubscription(trx, calendarId, { last_attempt_at: now, next_fetch_at: retryAt });
      return {
        calendarId,
        url: subscription.url,
        etag: subscription.etag,
        lastModified: subscription.last_modified,
      };
    });
  }

  /** A 304: nothing changes but the times. */
  async recordNotModified(calendarId: string, now: Date): Promise<void> {
    await transact(this.#db, async (trx) => {
      const subscription = await findSubscription(trx, calendarId, { forUpdate: true });
      if (!subscription) return;
      await updateSubscription(trx, calendarId, {
        ...succeeded(now),
        next_fetch_at: nextFetchAfterSuccess(now, subscription.refresh_interval_seconds),
      });
    });
  }

  /**
   * Replaces the calendar's contents by the feed's in one transaction: new UIDs created, changed
   * ones modified in place (same href), vanished ones deleted, identical ones left alone. A feed
   * that is not iCalendar within the import limits throws FeedFailure('feed-invalid') and changes nothing.
   */
  async applyFeed(calendarId: string, feed: FetchedFeed, now: Date): Promise<FeedApplyReport> {
    const document = await readIcsDocument(feed.text).catch((error: unknown) => {
      if (isAppError(error)) throw new FeedFailure('feed-invalid', error.message, { cause: error });
      throw error;
    });
    const report: FeedApplyReport = { created: 0, modified: 0, deleted: 0, unchanged: 0, skipped: 0 };
    const incoming = new Map<string, { text: string; parsed: ParsedCalendarObject }>();
    for (const object of document.objects()) {
      const parsed = readFeedObject(object.text);
      if (parsed && feedComponents.includes(parsed.componentType))
        incoming.set(object.uid, { text: object.text, parsed });
      else report.skipped += 1;
    }
    report.skipped += document.refusals.length;
    const settings = readFeedSettings(document.calendarProperties);
    const touched: string[] = [];
    await this.#replaceContents(calendarId, incoming, { feed, settings, now, report, touched });
    for (const hrefName of touched) this.#changes?.objectChanged(calendarId, hrefName);
    return report;
  }

  /** The diff and the bookkeeping of applyFeed, in one transaction; a refused item refuses the feed. */
  async #replaceContents(
    calendarId: string,
    incoming: ReadonlyMap<string, { text: string; parsed: ParsedCalendarObject }>,
    apply: {
      feed: FetchedFeed;
      settings: ReturnType<typeof readFeedSettings>;
      now: Date;
      report: FeedApplyReport;
      touched: string[];
    },
  ): Promise<void> {
    const { feed, settings, now, report, touched } = apply;
    await transact(this.#db, async (trx) => {
      const subscription = await findSubscription(trx, calendarId, { forUpdate: true });
      if (!subscription) return;
      const userId = subscription.owner_id;
      const base = { userId, calendarId, byFeed: true, now: this.#now() };
      const stored = await listObjectsForFeed(trx, calendarId);
      const byUid = new Map(stored.map((row) => [row.uid, row]));
      const takenHrefs = new Set(stored.map((row) => row.href_name));
      for (const [uid, { text, parsed }] of incoming) {
        const existing = byUid.get(uid);
        if (existing && sameObjectText(existing.ical, text)) {
          report.unchanged += 1;
          continue;
        }
        const hrefName = existing?.href_name ?? freeHref(uid, takenHrefs);
        const conditions = existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' as const };
        await writeObject(trx, { ...base, hrefName, text, parsed, conditions });
        takenHrefs.add(hrefName);
        touched.push(hrefName);
        if (existing) report.modified += 1;
        else report.created += 1;
      }
      for (const row of stored) {
        if (incoming.has(row.uid)) continue;
        await removeObject(trx, { ...base, hrefName: row.href_name, conditions: { ifMatch: row.etag } });
        touched.push(row.href_name);
        report.deleted += 1;
      }
      // The feed names the calendar once, unless its owner renamed it meanwhile.
      const unnamed = subscription.calendar_name === placeholderName(new URL(subscription.url));
      const decided = subscription.name_from_feed && (settings.name !== null || !unnamed);
      if (decided && unnamed && settings.name !== null) {
        await updateCalendar(trx, userId, calendarId, { name: settings.name });
      }
      await updateSubscription(trx, calendarId, {
        ...succeeded(now),
        etag: feed.etag,
        last_modified: feed.lastModified,
        refresh_interval_seconds: settings.refreshSeconds,
        next_fetch_at: nextFetchAfterSuccess(now, settings.refreshSeconds),
        ...(decided ? { name_from_feed: false } : {}),
      });
    }).catch((error: unknown) => {
      // E.g. two feed UIDs that one stored object cannot both be: nothing was changed.
      if (isAppError(error)) throw new FeedFailure('feed-invalid', error.message, { cause: error });
      throw error;
    });
  }

  /**
   * Records a failed fetch and backs off (1 h, 2 h, … a day). Answers a notice only for the first
   * failure of a run, so the user hears once that a feed started failing, not on every attempt.
   */
  async recordFailure(
    calendarId: string,
    failure: FeedFailure,
    now: Date,
  ): Promise<FeedFailureNotice | null> {
    return transact(this.#db, async (trx) => {
      const subscription = await findSubscription(trx, calendarId, { forUpdate: true });
      if (!subscription) return null;
      const failures = subscription.failure_count + 1;
      const backoffMs = Math.min(hourMs * 2 ** Math.min(failures - 1, 16), maxFeedBackoffMs);
      await updateSubscription(trx, calendarId, {
        failure_count: failures,
        last_error: `${failure.reason}: ${failure.message}`.slice(0, 500),
        last_attempt_at: now,
        next_fetch_at: new Date(now.getTime() + backoffMs),
      });
      if (failures !== 1) return null;
      const user = await findUser(trx, subscription.owner_id);
      return {
        userId: subscription.owner_id,
        calendarName: subscription.calendar_name,
        url: subscription.url,
        reason: failure.reason,
        message: failure.message,
        language: user?.language ?? null,
        locale: user?.locale ?? null,
      };
    });
  }
}

/** A calendar's name until its feed names it: the feed's host. */
function placeholderName(url: URL): string {
  return url.hostname.slice(0, 200);
}

function fetchJob(calendarId: string, userId: number, due: Date): Job<'calendar.fetch-subscription'> {
  return {
    kind: 'calendar.fetch-subscription',
    payload: { calendarId },
    // One job per due time: the periodic scan and a refresh never queue the same fetch twice.
    dedupeKey: `calendar.fetch-subscription:${calendarId}:${due.toISOString()}`,
    userId,
    runAt: due,
    maxAttempts: 3,
  };
}

function succeeded(now: Date) {
  return { last_attempt_at: now, last_success_at: now, failure_count: 0, last_error: null };
}

function nextFetchAfterSuccess(now: Date, refreshSeconds: number | null): Date {
  return new Date(now.getTime() + (refreshSeconds === null ? defaultFeedRefreshMs : refreshSeconds * 1000));
}

function toSubscriptionView(row: CalendarSubscriptionRow): SubscriptionView {
  const error = row.last_error;
  const split = error?.indexOf(': ') ?? -1;
  return {
    url: row.url,
    lastFetchedAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    nextFetchAt: row.next_fetch_at,
    error:
      error == null
        ? null
        : { reason: split > 0 ? error.slice(0, split) : 'feed-error', message: error.slice(split + 2) },
  };
}

/** An object of the feed parsed and validated, or null when it cannot be stored (it is skipped). */
function readFeedObject(text: string): ParsedCalendarObject | null {
  try {
    return withDomainErrors(() => parseCalendarObject(text));
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
}

/** A resource name for a new UID that no other object of the calendar has. */
function freeHref(uid: string, taken: ReadonlySet<string>): string {
  const plain = hrefFor(uid);
  if (!taken.has(plain)) return plain;
  return `${createHash('sha256').update(uid).digest('hex').slice(0, 32)}.ics`;
}
