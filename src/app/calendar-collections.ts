import { isValidTimeZone } from '../domain/time/time-zone.ts';
import type { Db, DbTransaction } from '../storage/db-types.ts';
import {
  countCalendars,
  deleteCalendarWithContents,
  findCalendarBySlug,
  insertCalendar,
  listCalendars,
  lockOwnerCalendars,
} from '../storage/repositories/calendar-repository.ts';
import type { CalendarRow } from '../storage/schema.ts';
import { transact } from '../storage/transaction.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import type { CalendarPropertyPatch } from './caldav-service.ts';
import { type CalendarView, toCalendarView } from './caldav-views.ts';
import { ownCalendar } from './calendar-access.ts';
import { AppError } from './errors.ts';

/**
 * Most calendars one user may have (README "Limits"). Apple Calendar, Thunderbird and DAVx5 list
 * every calendar on each sync, so the home's PROPFIND cost grows with it; 50 leaves room for a
 * calendar per project or person and is what a person can still tell apart in a client's list.
 */
export const maxCalendarsPerUser = 50;

/** The components a calendar may accept (RFC 4791 §5.2.3); new calendars take both by default. */
export const calendarComponents = ['VEVENT', 'VTODO', 'VJOURNAL'] as const;
export const defaultNewCalendarComponents = ['VEVENT', 'VTODO'];

export interface NewCalendar extends CalendarPropertyPatch {
  /** The last URL segment of the calendar (chosen by the client in MKCALENDAR). */
  slug: string;
  components?: readonly string[];
}

const slugPattern = /^[A-Za-z0-9._~@:+-]{1,128}$/;

/**
 * Creating and deleting calendar collections (MKCALENDAR, DELETE; issue 13). Each change is one
 * transaction; the user's first calendar is their default (CalendarService.defaultCalendar) and
 * cannot be deleted, so every door always has a calendar to write into.
 */
export class CalendarCollectionService {
  readonly #db: Db;
  readonly #changes: CacheInvalidation | undefined;

  constructor(deps: { db: Db; changes?: CacheInvalidation }) {
    this.#db = deps.db;
    this.#changes = deps.changes;
  }

  /** `alsoInTransaction` commits with the new calendar (a followed feed's row: calendar-subscriptions.ts). */
  async createCalendar(
    userId: number,
    input: NewCalendar,
    alsoInTransaction?: (trx: DbTransaction, calendar: CalendarRow) => Promise<void>,
  ): Promise<CalendarView> {
    if (!slugPattern.test(input.slug)) {
      throw new AppError(
        'invalid-field',
        'A calendar address is 1 to 128 letters, digits or . _ ~ @ : + - characters.',
      );
    }
    checkCalendarProperties(input);
    const components = [...new Set(input.components ?? defaultNewCalendarComponents)];
    if (
      components.length === 0 ||
      components.some((c) => !(calendarComponents as readonly string[]).includes(c))
    ) {
      throw new AppError('unsupported-component', 'A calendar holds events (VEVENT), tasks (VTODO) or both.');
    }
    return transact(this.#db, async (trx) => {
      await lockOwnerCalendars(trx, userId);
      if (await findCalendarBySlug(trx, userId, input.slug)) throw new AppError('object-exists');
      if ((await countCalendars(trx, userId)) >= maxCalendarsPerUser) {
        throw new AppError('calendar-limit-reached');
      }
      const row = await insertCalendar(trx, {
        owner_id: userId,
        slug: input.slug,
        name: input.name ?? input.slug,
        color: input.color ?? null,
        description: input.description ?? null,
        calendar_order: input.order ?? null,
        time_zone: input.timeZone ?? null,
        supported_components: components,
      });
      await alsoInTransaction?.(trx, row);
      return toCalendarView(row);
    });
  }

  /**
   * Deletes a calendar with its objects, change log and pending jobs in one transaction. The
   * default (oldest) calendar is refused: the bot, REST and imports write into it.
   */
  async deleteCalendar(userId: number, calendarId: string): Promise<void> {
    await transact(this.#db, async (trx) => {
      await ownCalendar(trx, userId, calendarId);
      await lockOwnerCalendars(trx, userId);
      const [first] = await listCalendars(trx, userId);
      if (first?.id === calendarId) throw new AppError('default-calendar-undeletable');
      if (!(await deleteCalendarWithContents(trx, userId, calendarId)))
        throw new AppError('calendar-not-found');
    });
    // Caches keyed by this calendar (GET answers, occurrence timelines) drop it after the commit.
    this.#changes?.calendarChanged(calendarId);
  }
}

/** Bounds of the writable collection properties, shared by MKCALENDAR and PROPPATCH. */
export function checkCalendarProperties(patch: CalendarPropertyPatch): void {
  if (patch.name !== undefined && (patch.name.trim() === '' || patch.name.length > 200)) {
    throw new AppError('invalid-field', 'A calendar name has 1 to 200 characters.');
  }
  if (patch.description != null && patch.description.length > 2000) {
    throw new AppError('invalid-field', 'A calendar description has at most 2000 characters.');
  }
  if (patch.color != null && !/^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/.test(patch.color)) {
    throw new AppError('invalid-field', 'A calendar colour is #RRGGBB or #RRGGBBAA.');
  }
  if (patch.order != null && !Number.isSafeInteger(patch.order)) {
    throw new AppError('invalid-field', 'calendar-order is a whole number.');
  }
  if (patch.timeZone != null && !isValidTimeZone(patch.timeZone)) {
    throw new AppError('invalid-time-zone');
  }
}
