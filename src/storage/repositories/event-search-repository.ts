import type { CalendarObjectRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import { visibleCalendarIds } from './calendar-repository.ts';

/** `%`, `_` and the escape character itself match literally in a LIKE pattern (PostgreSQL's default escape is `\`). */
function likePattern(words: string): string {
  return `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The events of every calendar the user sees whose title or stored text contains `words` (case-insensitive), earliest
 * start first, at most `limit`. The stored text holds LOCATION and DESCRIPTION (and more), so
 * this is a prefilter: the caller confirms the match on the parsed fields.
 */
export async function findObjectsContaining(
  db: Executor,
  userId: number,
  words: string,
  limit: number,
): Promise<CalendarObjectRow[]> {
  const pattern = likePattern(words);
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', 'in', visibleCalendarIds(db, userId))
    .where('component_type', '=', 'VEVENT')
    .where((eb) => eb.or([eb('summary', 'ilike', pattern), eb('ical', 'ilike', pattern)]))
    .orderBy('start_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}
