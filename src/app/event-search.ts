import { readEventFields } from '../domain/ical/read-event-fields.ts';
import type { Db } from '../storage/db-types.ts';
import { findObjectsContaining } from '../storage/repositories/event-search-repository.ts';
import { AppError } from './errors.ts';

/** One event found by its words; a series is found once, named by its first occurrence. */
export interface FoundEvent {
  eventId: string;
  summary: string | null;
  location: string | null;
  start: Date | null;
  end: Date | null;
  allDay: boolean;
  isRecurring: boolean;
}

export interface EventSearchPage {
  events: FoundEvent[];
  page: number;
  pages: number;
  /** More events matched than are looked at (`maxMatches`); refine the words to see them. */
  truncated: boolean;
}

/** Events looked at per search: a bounded amount of work whatever the words. */
export const maxMatches = 200;
export const maxSearchPageSize = 20;
const maxWordsLength = 100;

/**
 * Finding events by words in their title, place or notes, past and future (the bot's /search
 * and the /cancel search). The database narrows by title or stored text; the parsed fields decide,
 * so words that only appear in a UID or a time zone name do not count.
 */
export class EventSearch {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  async searchEvents(
    userId: number,
    words: string,
    paging: { page: number; pageSize: number },
  ): Promise<EventSearchPage> {
    const needle = words.replace(/\s+/g, ' ').trim();
    if (needle === '' || [...needle].length > maxWordsLength) {
      throw new AppError('invalid-field', `Search words have 1 to ${maxWordsLength} characters.`, {
        details: { field: 'words' },
      });
    }
    const pageSize = Math.min(Math.max(1, Math.floor(paging.pageSize)), maxSearchPageSize);
    const rows = await findObjectsContaining(this.#db, userId, needle, maxMatches + 1);
    const lower = needle.toLowerCase();
    const events: FoundEvent[] = [];
    for (const row of rows.slice(0, maxMatches)) {
      let fields: { location: string | null; description: string | null };
      try {
        fields = readEventFields(row.ical);
      } catch {
        fields = { location: null, description: null };
      }
      const texts = [row.summary, fields.location, fields.description];
      if (!texts.some((text) => text?.toLowerCase().includes(lower))) continue;
      events.push({
        eventId: row.id,
        summary: row.summary,
        location: fields.location,
        start: row.start_at,
        end: row.end_at,
        allDay: row.all_day,
        isRecurring: row.rrule !== null,
      });
    }
    const pages = Math.max(1, Math.ceil(events.length / pageSize));
    const page = Math.min(Math.max(0, Math.floor(paging.page)), pages - 1);
    return {
      events: events.slice(page * pageSize, (page + 1) * pageSize),
      page,
      pages,
      truncated: rows.length > maxMatches,
    };
  }
}
