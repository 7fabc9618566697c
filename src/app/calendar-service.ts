import { randomUUID } from 'node:crypto';
import { strongEtag } from '../domain/etag.ts';
import { buildEventCalendar, type EventFields } from '../domain/ical/build-event.ts';
import { type ParsedCalendarObject, parseCalendarObject } from '../domain/ical/parse-calendar.ts';
import { patchEvent } from '../domain/ical/patch-event.ts';
import { readEventFields } from '../domain/ical/read-event-fields.ts';
import type { Occurrence } from '../domain/recurrence/expand-occurrences.ts';
import type { Db, DbTransaction } from '../storage/db-types.ts';
import {
  deleteObjectIfEtag,
  findObjectByHref,
  findObjectById,
  findObjectByUid,
  insertObject,
  listObjectsOverlapping,
  updateObjectIfEtag,
} from '../storage/repositories/calendar-object-repository.ts';
import {
  bumpSyncRevision,
  findCalendar,
  listCalendars,
} from '../storage/repositories/calendar-repository.ts';
import { appendChange } from '../storage/repositories/change-log-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { CalendarObjectRow, ChangeOperation } from '../storage/schema.ts';
import { transact } from '../storage/transaction.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import { withDomainErrors } from './calendar-data-error.ts';
import { eachCooperatively, UserWorkLimiter } from './cooperative-work.ts';
import { AppError } from './errors.ts';
import { enqueueJobs } from './jobs.ts';
import { OccurrenceCache, processOccurrenceCache } from './occurrence-cache.ts';

/** A stored event as the REST API and the bot show it. */
export interface EventView {
  id: string;
  calendarId: string;
  uid: string;
  href: string;
  etag: string;
  componentType: string;
  summary: string | null;
  start: Date | null;
  end: Date | null;
  allDay: boolean;
  timeZone: string | null;
  description: string | null;
  location: string | null;
  rrule: string | null;
  reminders: number[];
  status: string | null;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One occurrence in a range listing; `eventId` points at the stored object it came from. */
export interface OccurrenceView extends Occurrence {
  eventId: string;
  calendarId: string;
  etag: string;
  isRecurring: boolean;
}

export interface NewEvent {
  summary: string;
  start: Date;
  end: Date;
  allDay?: boolean;
  timeZone?: string | undefined;
  description?: string | null | undefined;
  location?: string | null | undefined;
  rrule?: string | null | undefined;
  reminders?: number[] | undefined;
}

export type EventPatch = Partial<EventFields>;

export interface WriteConditions {
  /** RFC 9110 §13.1.1: the write applies only if the stored ETag is this one. */
  ifMatch?: string | undefined;
  /** RFC 9110 §13.1.2 with `*`: the write applies only if nothing is stored there yet. */
  ifNoneMatch?: '*' | undefined;
}

export interface PutResult {
  created: boolean;
  object: CalendarObjectRow;
}

/** The most occurrences one range listing returns (expansion cap: docs/architecture.md#bounded-reading). */
const maxOccurrencesPerListing = 5000;

/**
 * Every change to calendar data, from any door, goes through here. Each mutation is one
 * transaction: object row, revision bump, change-log row and outbox message commit together.
 */
export class CalendarService {
  readonly #db: Db;
  readonly #now: () => Date;
  readonly #changes: CacheInvalidation | undefined;
  readonly #work: UserWorkLimiter;
  readonly #occurrences: OccurrenceCache;

  constructor(deps: {
    db: Db;
    now?: () => Date;
    changes?: CacheInvalidation;
    work?: UserWorkLimiter;
    occurrences?: OccurrenceCache;
  }) {
    this.#db = deps.db;
    this.#work = deps.work ?? new UserWorkLimiter();
    this.#occurrences = deps.occurrences ?? new OccurrenceCache(processOccurrenceCache);
    this.#changes = deps.changes;
    this.#now = deps.now ?? (() => new Date());
  }

  async listCalendars(userId: number) {
    return listCalendars(this.#db, userId);
  }

  async defaultCalendar(userId: number) {
    const [calendar] = await listCalendars(this.#db, userId);
    if (!calendar) throw new AppError('calendar-not-found', 'This user has no calendar yet.');
    return calendar;
  }

  async getEvent(userId: number, eventId: string): Promise<EventView> {
    return toEventView(await this.#findOwnEvent(this.#db, userId, eventId));
  }

  /** Creates an event written by Televent (TZID + VTIMEZONE, one VALARM per reminder). */
  async createEvent(userId: number, input: NewEvent, calendarId?: string): Promise<EventView> {
    const timeZone = input.timeZone ?? (await this.#userTimeZone(userId));
    const uid = `${randomUUID()}@televent`;
    const text = withDomainErrors(() =>
      buildEventCalendar({
        uid,
        summary: input.summary,
        start: input.start,
        end: input.end,
        allDay: input.allDay ?? false,
        timeZone,
        description: input.description ?? null,
        location: input.location ?? null,
        rrule: input.rrule ?? null,
        reminders: input.reminders ?? [],
        now: this.#now(),
      }),
    );
    const calendar = calendarId ? { id: calendarId } : await this.defaultCalendar(userId);
    const { object } = await this.putObject(userId, calendar.id, `${uid}.ics`, text, { ifNoneMatch: '*' });
    return toEventView(object);
  }

  /** Edits an event in place: its other properties, alarms and overrides survive (docs/caldav-client-quirks.md#round-trip-fidelity). */
  async updateEvent(userId: number, eventId: string, patch: EventPatch, conditions: WriteConditions = {}) {
    const existing = await this.#findOwnEvent(this.#db, userId, eventId);
    if (conditions.ifMatch !== undefined && conditions.ifMatch !== existing.etag) {
      throw new AppError('etag-mismatch');
    }
    const text = withDomainErrors(() => patchEvent(existing.ical, patch, this.#now()));
    const { object } = await this.putObject(userId, existing.calendar_id, existing.href_name, text, {
      ifMatch: existing.etag,
    });
    return toEventView(object);
  }

  async deleteEvent(userId: number, eventId: string, conditions: WriteConditions = {}): Promise<void> {
    const existing = await this.#findOwnEvent(this.#db, userId, eventId);
    await this.deleteObject(userId, existing.calendar_id, existing.href_name, {
      ifMatch: conditions.ifMatch ?? existing.etag,
    });
  }

  /**
   * Stores a calendar object resource exactly as given (CalDAV PUT, import). The text is the
   * truth; the indexed columns are derived from it in the same transaction.
   */
  async putObject(
    userId: number,
    calendarId: string,
    hrefName: string,
    text: string,
    conditions: WriteConditions = {},
  ): Promise<PutResult> {
    const parsed = withDomainErrors(() => parseCalendarObject(text));
    return transact(this.#db, async (trx) => {
      const calendar = await findCalendar(trx, userId, calendarId);
      if (!calendar) throw new AppError('calendar-not-found');
      // The revision bump locks the calendar row: the checks below cannot race another writer.
      const revision = await bumpSyncRevision(trx, calendarId);
      const existing = await findObjectByHref(trx, calendarId, hrefName);
      checkConditions(existing, conditions);
      // RFC 4791 §5.3.2.1 no-uid-conflict: one UID per calendar, and a resource keeps its UID.
      if (existing && existing.uid !== parsed.uid) {
        throw new AppError(
          'uid-conflict',
          'A stored event cannot change its UID; create a new one instead.',
          {
            details: { href: existing.href_name },
          },
        );
      }
      if (!existing) {
        const sameUid = await findObjectByUid(trx, calendarId, parsed.uid);
        if (sameUid) throw new AppError('uid-conflict', undefined, { details: { href: sameUid.href_name } });
      }
      const columns = derivedColumns(text, parsed, revision);
      const object = existing
        ? await updateObjectIfEtag(trx, existing.id, existing.etag, columns)
        : await insertObject(trx, {
            ...columns,
            calendar_id: calendarId,
            owner_id: userId,
            href_name: hrefName,
          });
      if (!object) throw new AppError('etag-mismatch');
      await this.#recordChange(trx, {
        userId,
        calendarId,
        revision,
        hrefName,
        objectId: object.id,
        operation: existing ? 'modified' : 'created',
      });
      return { created: !existing, object };
    }).finally(() => this.#changes?.objectChanged(calendarId, hrefName)); // before the caller answers
  }

  async deleteObject(
    userId: number,
    calendarId: string,
    hrefName: string,
    conditions: WriteConditions = {},
  ): Promise<void> {
    await transact(this.#db, async (trx) => {
      const calendar = await findCalendar(trx, userId, calendarId);
      if (!calendar) throw new AppError('calendar-not-found');
      const revision = await bumpSyncRevision(trx, calendarId);
      const existing = await findObjectByHref(trx, calendarId, hrefName);
      if (!existing) throw new AppError('event-not-found');
      checkConditions(existing, conditions);
      if (!(await deleteObjectIfEtag(trx, existing.id, existing.etag))) throw new AppError('etag-mismatch');
      await this.#recordChange(trx, {
        userId,
        calendarId,
        revision,
        hrefName,
        objectId: existing.id,
        operation: 'deleted',
      });
    }).finally(() => this.#changes?.objectChanged(calendarId, hrefName)); // before the caller answers
  }

  async getObject(userId: number, calendarId: string, hrefName: string): Promise<CalendarObjectRow> {
    const calendar = await findCalendar(this.#db, userId, calendarId);
    const object = calendar ? await findObjectByHref(this.#db, calendarId, hrefName) : undefined;
    if (!object) throw new AppError('event-not-found');
    return object;
  }

  /**
   * Every occurrence overlapping [start, end) across the user's calendars, recurring events
   * expanded (overrides applied, EXDATEs skipped, cancelled instances left out), sorted by start.
   */
  async listOccurrences(
    userId: number,
    range: { start: Date; end: Date },
    options: { userTimeZone?: string | null } = {},
  ): Promise<{ occurrences: OccurrenceView[]; truncated: boolean }> {
    if (!(range.end > range.start))
      throw new AppError('invalid-field', 'The range end must be after its start.');
    // A caller that already holds the user (the bot) passes their zone and saves a round trip.
    const floatingTimeZone =
      options.userTimeZone !== undefined ? (options.userTimeZone ?? 'UTC') : await this.#userTimeZone(userId);
    return this.#work.run(userId, () => this.#listOccurrences(userId, range, floatingTimeZone));
  }

  async #listOccurrences(
    userId: number,
    range: { start: Date; end: Date },
    floatingTimeZone: string,
  ): Promise<{ occurrences: OccurrenceView[]; truncated: boolean }> {
    const rows = await listObjectsOverlapping(this.#db, { ownerId: userId, ...range });
    const occurrences: OccurrenceView[] = [];
    let truncated = false;
    // Between objects the loop lets other requests run; a request out of budget answers with what it has.
    const { complete } = await eachCooperatively(rows, (row) => {
      let expansion: ReturnType<OccurrenceCache['expand']>;
      try {
        expansion = this.#occurrences.expand(row, range, {
          maxInstances: maxOccurrencesPerListing,
          floatingTimeZone,
        });
      } catch {
        // Stored data that can no longer be read is left out of listings, never a failure for all.
        truncated = true;
        return;
      }
      truncated ||= expansion.truncated;
      for (const occurrence of expansion.occurrences) {
        if (occurrence.status === 'CANCELLED' && occurrence.isOverride) continue;
        occurrences.push({
          ...occurrence,
          eventId: row.id,
          calendarId: row.calendar_id,
          etag: row.etag,
          isRecurring: row.rrule !== null || occurrence.recurrenceId !== null,
        });
      }
    });
    truncated ||= !complete;
    occurrences.sort((a, b) => a.start.getTime() - b.start.getTime() || a.eventId.localeCompare(b.eventId));
    if (occurrences.length > maxOccurrencesPerListing) {
      return { occurrences: occurrences.slice(0, maxOccurrencesPerListing), truncated: true };
    }
    return { occurrences, truncated };
  }

  async #findOwnEvent(db: Db, userId: number, eventId: string): Promise<CalendarObjectRow> {
    // Another user's event is "not found": its existence is never revealed.
    const object = isUuid(eventId) ? await findObjectById(db, userId, eventId) : undefined;
    if (!object) throw new AppError('event-not-found');
    return object;
  }

  async #userTimeZone(userId: number): Promise<string> {
    const user = await findUser(this.#db, userId);
    if (!user) throw new AppError('user-not-found');
    return user.time_zone ?? 'UTC';
  }

  async #recordChange(
    trx: DbTransaction,
    change: {
      userId: number;
      calendarId: string;
      revision: number;
      hrefName: string;
      objectId: string;
      operation: ChangeOperation;
    },
  ): Promise<void> {
    await appendChange(trx, change);
    // The worker reschedules this event's reminders from it (docs/worker-delivery.md#the-outbox).
    await enqueueJobs(trx, [
      {
        kind: 'calendar.object-changed',
        payload: change,
        dedupeKey: `calendar.object-changed:${change.calendarId}:${change.revision}`,
        userId: change.userId,
      },
    ]);
  }
}

function checkConditions(existing: CalendarObjectRow | undefined, conditions: WriteConditions): void {
  if (conditions.ifNoneMatch === '*' && existing) throw new AppError('object-exists');
  if (conditions.ifMatch !== undefined && (!existing || existing.etag !== conditions.ifMatch)) {
    throw new AppError('etag-mismatch');
  }
}

function derivedColumns(text: string, parsed: ParsedCalendarObject, revision: number) {
  return {
    uid: parsed.uid,
    ical: text,
    etag: strongEtag(text),
    component_type: parsed.componentType,
    summary: parsed.summary,
    start_at: parsed.start,
    end_at: parsed.end,
    all_day: parsed.allDay,
    time_zone: parsed.timezone,
    rrule: parsed.rrule,
    series_first_start: parsed.seriesFirstStart,
    series_last_end: parsed.seriesLastEnd,
    status: parsed.status,
    sequence: parsed.sequence,
    revision,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export function toEventView(row: CalendarObjectRow): EventView {
  const fields = readEventFields(row.ical);
  return {
    id: row.id,
    calendarId: row.calendar_id,
    uid: row.uid,
    href: row.href_name,
    etag: row.etag,
    componentType: row.component_type,
    summary: row.summary,
    start: row.start_at,
    end: row.end_at,
    allDay: row.all_day,
    timeZone: row.time_zone,
    description: fields.description,
    location: fields.location,
    rrule: row.rrule,
    reminders: fields.reminders,
    status: row.status,
    sequence: row.sequence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
