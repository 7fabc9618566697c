import { BoundedCache } from '../domain/bounded-cache.ts';
import { readEventFields } from '../domain/ical/read-event-fields.ts';
import type { Occurrence } from '../domain/recurrence/expand-occurrences.ts';
import { utcToZoned } from '../domain/time/time-zone.ts';
import type { Db } from '../storage/db-types.ts';
import { listObjectsOverlapping } from '../storage/repositories/calendar-object-repository.ts';
import { eachCooperatively } from './cooperative-work.ts';
import type { OccurrenceCache } from './occurrence-cache.ts';

/** One occurrence in a range listing; `eventId` points at the stored object it came from. */
export interface OccurrenceView extends Occurrence {
  eventId: string;
  calendarId: string;
  etag: string;
  isRecurring: boolean;
  /** The series' RRULE as stored (the master's), null for a single event. */
  rrule: string | null;
  /** Minutes before the start of each of the master's alarms (RFC 5545 §3.8.6.3). */
  reminders: number[];
  /**
   * For an all-day occurrence, its dates as written (YYYY-MM-DD; `end` exclusive), and the date its
   * RECURRENCE-ID names: `start` and `end` are midnights in the listing's zone, whose UTC date is the
   * day before everywhere east of UTC.
   */
  dates: { start: string; end: string; recurrenceId: string | null } | null;
}

/** The most occurrences one range listing returns (expansion cap: docs/architecture.md#bounded-reading). */
export const maxOccurrencesPerListing = 5000;

// Reminders of a stored text, keyed by its ETag (a hash of the text, so an entry is never stale).
const remindersByEtag = new BoundedCache<string, number[]>({
  maxEntries: 20_000,
  maxBytes: 4 * 1024 * 1024,
  sizeOf: (etag, minutes) => 2 * etag.length + 8 * minutes.length + 64,
});

function remindersOf(row: { ical: string; etag: string }): number[] {
  let minutes = remindersByEtag.get(row.etag);
  if (!minutes) {
    minutes = readEventFields(row.ical).reminders;
    remindersByEtag.set(row.etag, minutes);
  }
  return minutes;
}

function dateIn(instant: Date, timeZone: string): string {
  const { year, month, day } = utcToZoned(instant, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Every occurrence overlapping [start, end) across the user's calendars (or the one named), recurring events expanded
 * (overrides applied, EXDATEs skipped, cancelled instances left out), sorted by start. Floating times
 * and all-day dates are read in `floatingTimeZone` (RFC 4791 §9.9).
 */
export async function listOccurrencesOf(
  deps: { db: Db; occurrences: OccurrenceCache },
  userId: number,
  range: { start: Date; end: Date; calendarId?: string | undefined },
  floatingTimeZone: string,
): Promise<{ occurrences: OccurrenceView[]; truncated: boolean }> {
  const window = { start: range.start, end: range.end };
  const rows = await listObjectsOverlapping(deps.db, { userId, ...range });
  const occurrences: OccurrenceView[] = [];
  let truncated = false;
  // Between objects the loop lets other requests run; a request out of budget answers with what it has.
  const { complete } = await eachCooperatively(rows, (row) => {
    let expansion: ReturnType<OccurrenceCache['expand']>;
    let reminders: number[];
    try {
      expansion = deps.occurrences.expand(row, window, {
        maxInstances: maxOccurrencesPerListing,
        floatingTimeZone,
      });
      reminders = remindersOf(row);
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
        rrule: row.rrule,
        reminders,
        dates: occurrence.allDay
          ? {
              start: dateIn(occurrence.start, floatingTimeZone),
              end: dateIn(occurrence.end, floatingTimeZone),
              recurrenceId: occurrence.recurrenceId && dateIn(occurrence.recurrenceId, floatingTimeZone),
            }
          : null,
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
