import type { CacheStats } from '../domain/bounded-cache.ts';
import type { Db } from '../storage/db-types.ts';
import {
  findMembersByHrefs,
  listMemberSummaries,
  listMembers,
  listMembersOverlapping,
} from '../storage/repositories/calendar-member-repository.ts';
import { findOwnObjectWithCalendar } from '../storage/repositories/calendar-object-summary-repository.ts';
import {
  findCalendarBySlug,
  listCalendars,
  updateCalendar,
} from '../storage/repositories/calendar-repository.ts';
import { membersChangedSince } from '../storage/repositories/change-log-repository.ts';
import { findPreferences, findUser } from '../storage/repositories/user-repository.ts';
import {
  type CalendarObjectSummaryView,
  type CalendarObjectView,
  type CalendarView,
  type MemberChangeView,
  type PrincipalView,
  toCalendarObjectView,
  toCalendarView,
  toPrincipalView,
} from './caldav-views.ts';
import { ownCalendar } from './calendar-access.ts';
import { checkCalendarProperties } from './calendar-collections.ts';
import type { CalendarMemberIndex } from './calendar-member-index.ts';
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
  changes: MemberChangeView[];
  /** The stored objects of the changed hrefs that still exist (one query for all of them). */
  objects: CalendarObjectView[];
}

/**
 * Reads and collection-level writes the CalDAV door needs beyond CalendarService. Every read is
 * scoped by owner first: another user's calendar is indistinguishable from a missing one.
 * Object writes still go through CalendarService (one transaction with the change log). The door
 * gets the views of caldav-views.ts, never storage rows (docs/architecture.md#dependency-rules).
 */
export class CaldavService {
  readonly #db: Db;

  readonly #members: CalendarMemberIndex;

  constructor(deps: { db: Db; members: CalendarMemberIndex }) {
    this.#db = deps.db;
    this.#members = deps.members;
  }

  /** The member index's counters (/metrics). */
  memberIndexStats(): CacheStats {
    return this.#members.stats();
  }

  async findUser(userId: number): Promise<PrincipalView | undefined> {
    const [user, preferences] = await Promise.all([
      findUser(this.#db, userId),
      findPreferences(this.#db, userId),
    ]);
    return user && { ...toPrincipalView(user), email: preferences?.email ?? null };
  }

  async listCalendars(userId: number): Promise<CalendarView[]> {
    return (await listCalendars(this.#db, userId)).map(toCalendarView);
  }

  async findCalendar(userId: number, slug: string): Promise<CalendarView | undefined> {
    const calendar = await findCalendarBySlug(this.#db, userId, slug);
    return calendar && toCalendarView(calendar);
  }

  async listObjects(calendar: CalendarView): Promise<CalendarObjectView[]> {
    return listMembers(this.#db, calendar.id);
  }

  /** The members without their text (PROPFIND Depth 1, ETag-only sync). */
  async listObjectSummaries(calendar: CalendarView): Promise<readonly CalendarObjectSummaryView[]> {
    return (
      (await this.#members.summaries(calendar, 'href_name')) ?? listMemberSummaries(this.#db, calendar.id)
    );
  }

  /** The ETag of one member, or undefined when there is none (a PUT's preconditions). */
  async currentEtag(calendar: CalendarView, hrefName: string): Promise<string | undefined> {
    const kept = await this.#members.etagOf(calendar, hrefName);
    if (kept) return kept.etag;
    return (await findMembersByHrefs(this.#db, calendar.id, [hrefName]))[0]?.etag;
  }

  /** One object and its calendar in one query (GET, HEAD, DELETE, PROPFIND on an object). */
  async findOwnObject(
    userId: number,
    slug: string,
    hrefName: string,
  ): Promise<{ calendar: CalendarView; object: CalendarObjectView } | undefined> {
    const found = await findOwnObjectWithCalendar(this.#db, userId, slug, hrefName);
    return found && { calendar: toCalendarView(found.calendar), object: toCalendarObjectView(found.object) };
  }

  /** calendar-multiget in one query (docs/caldav-client-quirks.md#multiget-in-one-query). */
  async findObjects(calendar: CalendarView, names: readonly string[]): Promise<CalendarObjectView[]> {
    return (await this.#members.objects(calendar, names)) ?? findMembersByHrefs(this.#db, calendar.id, names);
  }

  /** Objects whose series may touch [start, end); callers still check each occurrence. */
  async listObjectsInRange(
    calendar: CalendarView,
    range: { start: Date; end: Date },
  ): Promise<readonly CalendarObjectView[]> {
    const kept = await this.#members.overlapping(calendar, range);
    if (kept) return kept;
    return listMembersOverlapping(this.#db, {
      ownerId: calendar.ownerId,
      calendarId: calendar.id,
      ...range,
    });
  }

  /**
   * The members changed after `sinceRevision`, or null when the log cannot answer for that
   * revision (a token from the future, or older than the retained history): RFC 6578 §3.2 then
   * wants DAV:valid-sync-token. The current revision is the calendar's as the request read it,
   * before the changes: a change made in between is sent again next time, never missed.
   */
  async changesSince(calendar: CalendarView, sinceRevision: number): Promise<CalendarDelta | null> {
    const current = calendar.syncRevision;
    if (sinceRevision > current) return null;
    const { oldestRetainedRevision, changes } = await membersChangedSince(
      this.#db,
      calendar.id,
      sinceRevision,
    );
    if (sinceRevision < oldestRetainedRevision) return null;
    return {
      currentRevision: current,
      changes: changes.map(({ hrefName, operation, revision }) => ({ hrefName, operation, revision })),
      objects: changes.flatMap((change) => (change.object ? [change.object] : [])),
    };
  }

  /**
   * RFC 6578 initial sync: the revision the request read with the calendar, before the members,
   * so no change can be missed. Oldest write first, so a truncated answer ends at a revision that
   * covers everything before it.
   */
  async snapshot(
    calendar: CalendarView,
    options: { withText: true },
  ): Promise<{ revision: number; objects: CalendarObjectView[] }>;
  async snapshot(
    calendar: CalendarView,
    options: { withText: false },
  ): Promise<{ revision: number; objects: readonly CalendarObjectSummaryView[] }>;
  async snapshot(
    calendar: CalendarView,
    options: { withText: boolean },
  ): Promise<{ revision: number; objects: readonly (CalendarObjectView | CalendarObjectSummaryView)[] }> {
    const objects = options.withText
      ? await listMembers(this.#db, calendar.id, 'revision')
      : ((await this.#members.summaries(calendar, 'revision')) ??
        (await listMemberSummaries(this.#db, calendar.id, 'revision')));
    return { revision: calendar.syncRevision, objects };
  }

  async updateCalendarProperties(
    userId: number,
    calendarId: string,
    patch: CalendarPropertyPatch,
  ): Promise<CalendarView> {
    checkCalendarProperties(patch);
    const changes = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.color !== undefined ? { color: patch.color } : {}),
      ...(patch.order !== undefined ? { calendar_order: patch.order } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
    };
    // Only the owner changes what every sharee sees; reading back a calendar shared with you is fine.
    if (Object.keys(changes).length > 0) await ownCalendar(this.#db, userId, calendarId);
    const row =
      Object.keys(changes).length > 0
        ? await updateCalendar(this.#db, userId, calendarId, changes)
        : (await listCalendars(this.#db, userId)).find((c) => c.id === calendarId);
    if (!row) throw new AppError('calendar-not-found');
    return toCalendarView(row);
  }
}
