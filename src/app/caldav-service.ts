import type { Db } from '../storage/db-types.ts';
import {
  findObjectsByHrefs,
  listObjects,
  listObjectsOverlapping,
} from '../storage/repositories/calendar-object-repository.ts';
import {
  type CalendarObjectSummary,
  findOwnObjectWithCalendar,
  listObjectSummaries,
} from '../storage/repositories/calendar-object-summary-repository.ts';
import {
  findCalendarBySlug,
  listCalendars,
  updateCalendar,
} from '../storage/repositories/calendar-repository.ts';
import {
  changesSince,
  type HrefChange,
  oldestRetainedRevision,
} from '../storage/repositories/change-log-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { CalendarObjectRow, CalendarRow, UserRow } from '../storage/schema.ts';
import { AppError } from './errors.ts';

/** Collection properties a CalDAV client may change with PROPPATCH; null clears a property. */
export interface CalendarPropertyPatch {
  name?: string;
  description?: string | null;
  color?: string | null;
  order?: number | null;
  timeZone?: string | null;
}

/** What changed in a calendar since a sync revision (RFC 6578 §3.2). */
export interface CalendarDelta {
  /** The calendar's revision when the delta was read; the next sync token names it. */
  currentRevision: number;
  changes: HrefChange[];
  /** The stored objects of the changed hrefs that still exist (one query for all of them). */
  objects: CalendarObjectRow[];
}

/**
 * Reads and collection-level writes the CalDAV door needs beyond CalendarService. Every read is
 * scoped by owner first: another user's calendar is indistinguishable from a missing one.
 * Object writes still go through CalendarService (one transaction with the change log).
 */
export class CaldavService {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  async findUser(userId: number): Promise<UserRow | undefined> {
    return findUser(this.#db, userId);
  }

  async listCalendars(userId: number): Promise<CalendarRow[]> {
    return listCalendars(this.#db, userId);
  }

  async findCalendar(userId: number, slug: string): Promise<CalendarRow | undefined> {
    return findCalendarBySlug(this.#db, userId, slug);
  }

  async listObjects(calendar: CalendarRow): Promise<CalendarObjectRow[]> {
    return listObjects(this.#db, calendar.id);
  }

  /** The members without their text (PROPFIND Depth 1, ETag-only sync). */
  async listObjectSummaries(calendar: CalendarRow): Promise<CalendarObjectSummary[]> {
    return listObjectSummaries(this.#db, calendar.id);
  }

  /** One object and its calendar in one query (GET, HEAD, DELETE, PROPFIND on an object). */
  async findOwnObject(userId: number, slug: string, hrefName: string) {
    return findOwnObjectWithCalendar(this.#db, userId, slug, hrefName);
  }

  /** calendar-multiget in one query (docs/caldav-client-quirks.md#multiget-in-one-query). */
  async findObjects(calendar: CalendarRow, names: readonly string[]): Promise<CalendarObjectRow[]> {
    return findObjectsByHrefs(this.#db, calendar.id, names);
  }

  /** Objects whose series may touch [start, end); callers still check each occurrence. */
  async listObjectsInRange(calendar: CalendarRow, range: { start: Date; end: Date }) {
    return listObjectsOverlapping(this.#db, {
      ownerId: calendar.owner_id,
      calendarId: calendar.id,
      ...range,
    });
  }

  /**
   * The members changed after `sinceRevision`, or null when the log cannot answer for that
   * revision (a token from the future, or older than the retained history): RFC 6578 §3.2 then
   * wants DAV:valid-sync-token.
   */
  async changesSince(calendar: CalendarRow, sinceRevision: number): Promise<CalendarDelta | null> {
    const current = await this.#currentRevision(calendar);
    if (sinceRevision > current) return null;
    if (sinceRevision < (await oldestRetainedRevision(this.#db, calendar.id))) return null;
    const changes = await changesSince(this.#db, calendar.id, sinceRevision);
    const alive = changes.filter((change) => change.operation !== 'deleted').map((c) => c.hrefName);
    const objects = await findObjectsByHrefs(this.#db, calendar.id, alive);
    return { currentRevision: current, changes, objects };
  }

  /** RFC 6578 initial sync: the revision first, then the members, so no change can be missed. */
  async snapshot(
    calendar: CalendarRow,
    options: { withText: true },
  ): Promise<{ revision: number; objects: CalendarObjectRow[] }>;
  async snapshot(
    calendar: CalendarRow,
    options: { withText: false },
  ): Promise<{ revision: number; objects: CalendarObjectSummary[] }>;
  async snapshot(calendar: CalendarRow, options: { withText: boolean }) {
    const revision = await this.#currentRevision(calendar);
    const objects = options.withText
      ? await listObjects(this.#db, calendar.id)
      : await listObjectSummaries(this.#db, calendar.id);
    return { revision, objects };
  }

  async updateCalendarProperties(
    userId: number,
    calendarId: string,
    patch: CalendarPropertyPatch,
  ): Promise<CalendarRow> {
    const changes = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.color !== undefined ? { color: patch.color } : {}),
      ...(patch.order !== undefined ? { calendar_order: patch.order } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
    };
    const row =
      Object.keys(changes).length > 0
        ? await updateCalendar(this.#db, userId, calendarId, changes)
        : (await listCalendars(this.#db, userId)).find((c) => c.id === calendarId);
    if (!row) throw new AppError('calendar-not-found');
    return row;
  }

  async #currentRevision(calendar: CalendarRow): Promise<number> {
    const fresh = await findCalendarBySlug(this.#db, calendar.owner_id, calendar.slug);
    if (!fresh) throw new AppError('calendar-not-found');
    return fresh.sync_revision;
  }
}
