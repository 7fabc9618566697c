import { type CalendarWithAccess, findCalendar } from '../storage/repositories/calendar-repository.ts';
import type { Executor } from '../storage/transaction.ts';
import { AppError } from './errors.ts';
import { isUuid } from './event-view.ts';

/**
 * A calendar the user may manage (rename, share, delete, follow a feed into): their own. One they
 * do not see is `calendar-not-found`, exactly like one that does not exist; one shared with them
 * is `not-calendar-owner` (docs/architecture.md#isolation-between-users).
 */
export async function ownCalendar(
  db: Executor,
  userId: number,
  calendarId: string,
): Promise<CalendarWithAccess> {
  const calendar = isUuid(calendarId) ? await findCalendar(db, userId, calendarId) : undefined;
  if (!calendar) throw new AppError('calendar-not-found');
  if (calendar.access !== 'owner') throw new AppError('not-calendar-owner');
  return calendar;
}
