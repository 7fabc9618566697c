import type { CalendarObjectRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import { visibleCalendarIds } from './calendar-repository.ts';

/** Which tasks a list shows, by the master VTODO's STATUS (RFC 5545 §3.8.1.11). */
export type TaskStatusFilter = 'open' | 'done' | 'all';

export interface TaskQuery {
  /** Tasks of every calendar this user sees (their own and shared with them). */
  userId: number;
  calendarId?: string | undefined;
  status: TaskStatusFilter;
  /** Rows wanted; the caller bounds it. */
  limit: number;
  /** Rows skipped: the earlier pages. */
  offset: number;
}

/**
 * One page of a user's tasks (VTODO objects), in the order a to-do list shows them: by due time
 * (`end_at`, which is DUE for a VTODO; undated last), then summary, then id so pages never overlap.
 * Open is neither COMPLETED nor CANCELLED; done is COMPLETED. The list is read here rather than
 * filtered in app/, so a user with thousands of events reads only tasks.
 */
export async function listTasks(db: Executor, query: TaskQuery): Promise<CalendarObjectRow[]> {
  let select = db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', 'in', visibleCalendarIds(db, query.userId))
    .where('component_type', '=', 'VTODO');
  if (query.calendarId !== undefined) select = select.where('calendar_id', '=', query.calendarId);
  if (query.status === 'done') {
    select = select.where((eb) => eb(eb.fn('upper', ['status']), '=', 'COMPLETED'));
  } else if (query.status === 'open') {
    select = select.where((eb) =>
      eb.or([eb('status', 'is', null), eb(eb.fn('upper', ['status']), 'not in', ['COMPLETED', 'CANCELLED'])]),
    );
  }
  return select
    .orderBy('end_at', (order) => order.asc().nullsLast())
    .orderBy('summary', (order) => order.asc().nullsLast())
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
}
