import type { Db } from '../storage/db-types.ts';
import type { CalendarService } from './calendar-service.ts';
import { enqueueJobs } from './jobs.ts';

export const snoozeMinutes = 10;

/** What the reminder buttons do besides reading the event. */
export class ReminderService {
  readonly #db: Db;
  readonly #calendars: CalendarService;
  readonly #now: () => Date;

  constructor(deps: { db: Db; calendars: CalendarService; now?: () => Date }) {
    this.#db = deps.db;
    this.#calendars = deps.calendars;
    this.#now = deps.now ?? (() => new Date());
  }

  /**
   * "Snooze 10 min": one more 'reminder.send' job for the same occurrence, due ten minutes from
   * now (rounded up to the minute). The event must be the user's own (a foreign id is "not
   * found"); pressing twice within one minute enqueues one job (the dedupe key names the minute).
   */
  async snooze(userId: number, eventId: string, occurrenceStart: Date): Promise<Date> {
    await this.#calendars.getEvent(userId, eventId);
    const fireAt = new Date(Math.ceil((this.#now().getTime() + snoozeMinutes * 60_000) / 60_000) * 60_000);
    await enqueueJobs(this.#db, [
      {
        kind: 'reminder.send',
        payload: {
          userId,
          objectId: eventId,
          occurrenceStart: occurrenceStart.toISOString(),
          fireAt: fireAt.toISOString(),
          trigger: `snooze:${fireAt.toISOString()}`,
        },
        dedupeKey: `snooze:${eventId}:${fireAt.toISOString()}`,
        runAt: fireAt,
        userId,
      },
    ]);
    return fireAt;
  }
}
