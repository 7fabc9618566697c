import { randomUUID } from 'node:crypto';
import { buildEventCalendar, type EventFields } from '../domain/ical/build-event.ts';
import { type ParsedCalendarObject, parseCalendarObject } from '../domain/ical/parse-calendar.ts';
import { patchEvent } from '../domain/ical/patch-event.ts';
import { addAttendees, type CalendarUser } from '../domain/ical/scheduling.ts';
import type { Db } from '../storage/db-types.ts';
import {
  findObjectByHref,
  findVisibleObjectById,
} from '../storage/repositories/calendar-object-repository.ts';
import { findCalendar, listCalendars } from '../storage/repositories/calendar-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import { transact } from '../storage/transaction.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import { type CalendarView, calendarTitle, toCalendarView } from './caldav-views.ts';
import { withDomainErrors } from './calendar-data-error.ts';
import { UserWorkLimiter } from './cooperative-work.ts';
import { AppError } from './errors.ts';
import {
  type EventView,
  isUuid,
  type StoredObjectView,
  toEventView,
  toStoredObjectView,
} from './event-view.ts';
import {
  removeObject,
  replaceObjectInOneStatement,
  type WriteConditions,
  writeObject,
} from './object-writes.ts';
import { OccurrenceCache, processOccurrenceCache } from './occurrence-cache.ts';
import {
  type OccurrenceEditPlan,
  type OccurrenceSelector,
  planOccurrenceChange,
  planOccurrenceRemoval,
} from './occurrence-editing.ts';
import { listOccurrencesOf, type OccurrenceView } from './occurrence-listing.ts';

export type { EventView, StoredObjectView } from './event-view.ts';
export { isUuid } from './event-view.ts';
export type { WriteConditions } from './object-writes.ts';
export type { OccurrenceScope, OccurrenceSelector } from './occurrence-editing.ts';
export type { OccurrenceView } from './occurrence-listing.ts';

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

export interface PutOptions {
  /**
   * False where the one-statement replace cannot write this (the caller tried it already, or
   * the calendar is not the writer's own): the write goes straight to its transaction.
   */
  oneStatement?: boolean;
}

export interface PutResult {
  created: boolean;
  object: StoredObjectView;
}

/**
 * Every change to calendar data, from any door, goes through here. Each mutation is one
 * transaction: object row, revision bump, change-log row and outbox message commit together
 * (the steps are in object-writes.ts).
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

  async listCalendars(userId: number): Promise<CalendarView[]> {
    return (await listCalendars(this.#db, userId)).map(toCalendarView);
  }

  /**
   * Calendar id → name, for agenda and digest lines, when the user has more than one calendar of
   * events; undefined otherwise, so a one-calendar user's lines carry no calendar at all.
   */
  async eventCalendarNames(userId: number): Promise<Map<string, string> | undefined> {
    const calendars = (await this.listCalendars(userId)).filter((c) => c.components.includes('VEVENT'));
    return calendars.length > 1 ? new Map(calendars.map((c) => [c.id, calendarTitle(c)])) : undefined;
  }

  async defaultCalendar(userId: number): Promise<CalendarView> {
    const [calendar] = await listCalendars(this.#db, userId);
    if (!calendar) throw new AppError('calendar-not-found', 'This user has no calendar yet.');
    return toCalendarView(calendar);
  }

  async getEvent(userId: number, eventId: string): Promise<EventView> {
    return toEventView(await this.#findOwnEvent(userId, eventId));
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
    if (calendarId !== undefined && !isUuid(calendarId)) throw new AppError('calendar-not-found');
    const calendar = calendarId ? { id: calendarId } : await this.defaultCalendar(userId);
    const { object } = await this.#put(userId, calendar.id, `${uid}.ics`, text, { ifNoneMatch: '*' });
    return toEventView(object);
  }

  /** Edits an event in place: its other properties, alarms and overrides survive (docs/caldav-client-quirks.md#round-trip-fidelity). */
  async updateEvent(userId: number, eventId: string, patch: EventPatch, conditions: WriteConditions = {}) {
    const existing = await this.#findOwnEvent(userId, eventId);
    if (conditions.ifMatch !== undefined && conditions.ifMatch !== existing.etag) {
      throw new AppError('etag-mismatch');
    }
    const text = withDomainErrors(() => patchEvent(existing.ical, patch, this.#now()));
    const { object } = await this.#put(userId, existing.calendar_id, existing.href_name, text, {
      ifMatch: existing.etag,
    });
    return toEventView(object);
  }

  /**
   * Moves an event into another of the user's calendars, with the patch applied on the way: removed
   * from one collection and added to the other in one transaction, so both sync tokens advance and
   * a syncing client sees a deletion there and an addition here (RFC 6578 §3.5), as after a client's
   * own DELETE and PUT. The moved event is a new resource with a new id.
   */
  async moveEvent(
    userId: number,
    eventId: string,
    calendarId: string,
    patch: EventPatch = {},
    conditions: WriteConditions = {},
  ): Promise<EventView> {
    const existing = await this.#findOwnEvent(userId, eventId);
    if (existing.calendar_id === calendarId) return this.updateEvent(userId, eventId, patch, conditions);
    if (!isUuid(calendarId)) throw new AppError('calendar-not-found');
    if (conditions.ifMatch !== undefined && conditions.ifMatch !== existing.etag) {
      throw new AppError('etag-mismatch');
    }
    const text =
      Object.keys(patch).length > 0
        ? withDomainErrors(() => patchEvent(existing.ical, patch, this.#now()))
        : existing.ical;
    const parsed = withDomainErrors(() => parseCalendarObject(text));
    const hrefName = existing.href_name;
    const moved = await transact(this.#db, async (trx) => {
      const from = {
        userId,
        calendarId: existing.calendar_id,
        hrefName,
        conditions: { ifMatch: existing.etag },
        now: this.#now(),
      };
      await removeObject(trx, from);
      const into = { ...from, calendarId, text, parsed, conditions: { ifNoneMatch: '*' as const } };
      return (await writeObject(trx, into)).object;
    }).finally(() => {
      // Both calendars' caches drop the resource before the caller answers.
      this.#changes?.objectChanged(existing.calendar_id, hrefName);
      this.#changes?.objectChanged(calendarId, hrefName);
    });
    return toEventView(moved);
  }

  /**
   * Invites people to one of the user's events (issue 14 item 3): ORGANIZER and ATTENDEE lines
   * added to the stored event, everything else kept; the scheduler then invites them as it does
   * for a calendar app's ATTENDEE (invitations.ts). Only the organizer may, and only in a calendar
   * of their own: an event in a calendar shared with them is its owner's to organise.
   */
  async inviteToEvent(
    userId: number,
    eventId: string,
    organizer: CalendarUser,
    people: readonly CalendarUser[],
  ): Promise<EventView> {
    const existing = await this.#findOwnEvent(userId, eventId);
    const calendar = await findCalendar(this.#db, userId, existing.calendar_id);
    if (calendar?.access !== 'owner') {
      throw new AppError('not-calendar-owner', 'Only events in your own calendars can invite people.');
    }
    if (existing.component_type !== 'VEVENT')
      throw new AppError('invalid-field', 'Only events can invite people.');
    const text = withDomainErrors(() => addAttendees(existing.ical, organizer, people, this.#now()));
    const { object } = await this.#put(userId, existing.calendar_id, existing.href_name, text, {
      ifMatch: existing.etag,
    });
    return toEventView(object);
  }

  async deleteEvent(userId: number, eventId: string, conditions: WriteConditions = {}): Promise<void> {
    const existing = await this.#findOwnEvent(userId, eventId);
    await this.deleteObject(userId, existing.calendar_id, existing.href_name, {
      ifMatch: conditions.ifMatch ?? existing.etag,
    });
  }

  /**
   * Changes one occurrence of a recurring event, the occurrences from it on, or the whole series
   * (occurrence-editing.ts). Answers the event that holds the change: the new series when
   * "following" split one off.
   */
  async changeOccurrence(
    userId: number,
    eventId: string,
    selector: OccurrenceSelector,
    patch: EventPatch,
    conditions: WriteConditions = {},
  ): Promise<EventView> {
    const { existing, context } = await this.#prepareOccurrenceEdit(userId, eventId, conditions);
    const plan = planOccurrenceChange(existing, selector, patch, context);
    const written = await this.#writePlan(userId, existing, plan);
    if (!written) throw new AppError('event-not-found');
    return toEventView(written);
  }

  /** Removes one occurrence (EXDATE), the occurrences from it on (UNTIL), or the whole series. */
  async removeOccurrence(
    userId: number,
    eventId: string,
    selector: OccurrenceSelector,
    conditions: WriteConditions = {},
    options: { floatingTimeZone?: string } = {},
  ): Promise<void> {
    const { existing, context } = await this.#prepareOccurrenceEdit(userId, eventId, conditions, options);
    await this.#writePlan(userId, existing, planOccurrenceRemoval(existing, selector, context));
  }

  async #prepareOccurrenceEdit(
    userId: number,
    eventId: string,
    conditions: WriteConditions,
    options: { floatingTimeZone?: string } = {},
  ) {
    const existing = await this.#findOwnEvent(userId, eventId);
    if (conditions.ifMatch !== undefined && conditions.ifMatch !== existing.etag) {
      throw new AppError('etag-mismatch');
    }
    const floatingTimeZone = options.floatingTimeZone ?? (await this.#userTimeZone(userId));
    const context = { floatingTimeZone, now: this.#now(), newUid: `${randomUUID()}@televent` };
    return { existing, context };
  }

  /**
   * Stores an occurrence edit in one transaction, conditional on the ETag that was read: the edited
   * object, and a split-off series as a new object. Answers the new series, else the edited object.
   */
  async #writePlan(
    userId: number,
    existing: CalendarObjectRow,
    plan: OccurrenceEditPlan,
  ): Promise<CalendarObjectRow | null> {
    const calendarId = existing.calendar_id;
    const parsed =
      plan.text === null ? null : withDomainErrors(() => parseCalendarObject(plan.text as string));
    const newSeries = plan.newSeries && {
      hrefName: `${plan.newSeries.uid}.ics`,
      text: plan.newSeries.text,
      parsed: withDomainErrors(() => parseCalendarObject(plan.newSeries?.text ?? '')),
    };
    const hrefs = [existing.href_name, ...(newSeries ? [newSeries.hrefName] : [])];
    return transact(this.#db, async (trx) => {
      const conditions = { ifMatch: existing.etag };
      const now = this.#now();
      let written: CalendarObjectRow | null = null;
      if (plan.text === null || parsed === null) {
        await removeObject(trx, { userId, calendarId, hrefName: existing.href_name, conditions, now });
      } else {
        const base = { userId, calendarId, hrefName: existing.href_name, conditions, now };
        written = (await writeObject(trx, { ...base, text: plan.text, parsed })).object;
      }
      if (newSeries) {
        const insert = { ...newSeries, userId, calendarId, conditions: { ifNoneMatch: '*' as const }, now };
        written = (await writeObject(trx, insert)).object;
      }
      return written;
    }).finally(() => {
      for (const href of hrefs) this.#changes?.objectChanged(calendarId, href); // before the caller answers
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
    options: PutOptions = {},
  ): Promise<PutResult> {
    const { created, object } = await this.#put(userId, calendarId, hrefName, text, conditions, options);
    return { created, object: toStoredObjectView(object) };
  }

  /**
   * CalDAV's common replace — one exact If-Match ETag, in the writer's own calendar named by its
   * slug — in one round trip, without looking the calendar up first (replaceObjectInOneStatement).
   * Undefined when it does not apply: the text does not parse, the calendar is not
   * theirs, a check fails. Nothing is then written, and `putObject` writes it or says why not.
   */
  async replaceOwnObject(
    userId: number,
    calendarSlug: string,
    hrefName: string,
    text: string,
    etag: string,
  ): Promise<StoredObjectView | undefined> {
    let parsed: ParsedCalendarObject;
    try {
      parsed = parseCalendarObject(text);
    } catch {
      return undefined; // putObject names what is wrong, after what comes first (the calendar)
    }
    const write = { userId, hrefName, text, parsed, conditions: { ifMatch: etag }, now: this.#now() };
    const replaced = await replaceObjectInOneStatement(this.#db, {
      ...write,
      calendar: { slug: calendarSlug },
    });
    if (!replaced) return undefined;
    this.#changes?.objectChanged(replaced.calendar_id, hrefName); // before the caller answers
    return toStoredObjectView(replaced);
  }

  async #put(
    userId: number,
    calendarId: string,
    hrefName: string,
    text: string,
    conditions: WriteConditions,
    options: PutOptions = {},
  ): Promise<{ created: boolean; object: CalendarObjectRow }> {
    const parsed = withDomainErrors(() => parseCalendarObject(text));
    const write = { userId, calendarId, hrefName, text, parsed, conditions, now: this.#now() };
    try {
      const replaced =
        options.oneStatement === false
          ? undefined
          : await replaceObjectInOneStatement(this.#db, { ...write, calendar: { id: calendarId } });
      if (replaced) return { created: false, object: replaced };
      return await transact(this.#db, (trx) => writeObject(trx, write));
    } finally {
      this.#changes?.objectChanged(calendarId, hrefName); // before the caller answers
    }
  }

  async deleteObject(
    userId: number,
    calendarId: string,
    hrefName: string,
    conditions: WriteConditions = {},
  ): Promise<void> {
    await transact(this.#db, (trx) =>
      removeObject(trx, { userId, calendarId, hrefName, conditions, now: this.#now() }),
    ).finally(
      () => this.#changes?.objectChanged(calendarId, hrefName), // before the caller answers
    );
  }

  async getObject(userId: number, calendarId: string, hrefName: string): Promise<StoredObjectView> {
    const calendar = await findCalendar(this.#db, userId, calendarId);
    const object = calendar ? await findObjectByHref(this.#db, calendarId, hrefName) : undefined;
    if (!object) throw new AppError('event-not-found');
    return toStoredObjectView(object);
  }

  /**
   * Every occurrence overlapping [start, end) across the user's calendars, recurring events
   * expanded (overrides applied, EXDATEs skipped, cancelled instances left out), sorted by start.
   */
  async listOccurrences(
    userId: number,
    range: { start: Date; end: Date },
    options: { userTimeZone?: string | null; calendarId?: string | undefined } = {},
  ): Promise<{ occurrences: OccurrenceView[]; truncated: boolean }> {
    if (!(range.end > range.start))
      throw new AppError('invalid-field', 'The range end must be after its start.');
    const { calendarId } = options;
    // Another user's calendar is "not found", like a calendar that does not exist.
    if (
      calendarId !== undefined &&
      !(isUuid(calendarId) && (await findCalendar(this.#db, userId, calendarId)))
    )
      throw new AppError('calendar-not-found');
    // A caller that already holds the user (the bot) passes their zone and saves a round trip.
    const floatingTimeZone =
      options.userTimeZone !== undefined ? (options.userTimeZone ?? 'UTC') : await this.#userTimeZone(userId);
    const deps = { db: this.#db, occurrences: this.#occurrences };
    return this.#work.run(userId, () =>
      listOccurrencesOf(deps, userId, { ...range, calendarId }, floatingTimeZone),
    );
  }

  async #findOwnEvent(userId: number, eventId: string): Promise<CalendarObjectRow> {
    // Another user's event is "not found": its existence is never revealed.
    const object = isUuid(eventId) ? await findVisibleObjectById(this.#db, userId, eventId) : undefined;
    if (!object) throw new AppError('event-not-found');
    return object;
  }

  async #userTimeZone(userId: number): Promise<string> {
    const user = await findUser(this.#db, userId);
    if (!user) throw new AppError('user-not-found');
    return user.time_zone ?? 'UTC';
  }
}
