import { type PlannedAlarm, planAlarms } from '../domain/recurrence/alarm-triggers.ts';
import { findObjectById } from '../storage/repositories/calendar-object-repository.ts';
import {
  cancelPendingByKeyPrefix,
  lockKey,
  upsertScheduledMessages,
} from '../storage/repositories/outbox-claim-repository.ts';
import { findPlanningUser } from '../storage/repositories/worker-planning-repository.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import { type Executor, transact } from '../storage/transaction.ts';
import type { JobContext } from './job-context.ts';
import { PermanentJobError } from './job-errors.ts';

/** Default reminder when a user has no preferences row (SPEC: 15 minutes). */
const fallbackReminderMinutes = 15;

/**
 * A reminder job is named by its event, occurrence and trigger: planning one twice, from an edit
 * and from the hourly roll, is one job, and a job once done is never made again.
 */
export function reminderKey(objectId: string, occurrenceStart: Date, trigger: string): string {
  return `${reminderKeyPrefix(objectId)}${occurrenceStart.toISOString()}:${trigger}`;
}

export function reminderKeyPrefix(objectId: string): string {
  return `reminder:${objectId}:`;
}

/** The window in which reminders are planned now: from the late grace back to the horizon ahead. */
export function planningWindow(context: JobContext): { start: Date; end: Date } {
  const now = context.now().getTime();
  return {
    start: new Date(now - context.settings.reminderLateGraceMs),
    end: new Date(now + context.settings.reminderHorizonMs),
  };
}

/** The alarms of one stored object firing in `window`, for its owner's zone and default. */
export async function alarmsOf(
  db: Executor,
  object: CalendarObjectRow,
  window: { start: Date; end: Date },
): Promise<PlannedAlarm[]> {
  const user = await findPlanningUser(db, object.owner_id);
  if (!user) return [];
  try {
    return planAlarms(object.ical, window, {
      defaultMinutes: user.defaultReminderMinutes ?? fallbackReminderMinutes,
      floatingTimeZone: user.timeZone ?? 'UTC',
    }).alarms;
  } catch (error) {
    throw new PermanentJobError(`event ${object.id} cannot be read for reminders`, { cause: error });
  }
}

/**
 * Brings one event's pending reminders in line with its stored version: new ones are enqueued,
 * ones it no longer has (moved, removed, cancelled, deleted) are cancelled. An advisory lock per
 * event serialises planners, and the event is read after taking it, so the plan of an older
 * version can never overwrite a newer one.
 */
export async function planObjectReminders(
  context: JobContext,
  target: { userId: number; objectId: string },
): Promise<{ planned: number; cancelled: number }> {
  const window = planningWindow(context);
  return transact(context.db, async (trx) => {
    await lockKey(trx, `reminders:${target.objectId}`);
    const object = await findObjectById(trx, target.userId, target.objectId);
    const alarms = object ? await alarmsOf(trx, object, window) : [];
    const jobs = alarms.map((alarm) => ({
      kind: 'reminder.send',
      dedupeKey: reminderKey(target.objectId, alarm.occurrence.start, alarm.trigger),
      runAt: alarm.fireAt,
      userId: target.userId,
      payload: {
        userId: target.userId,
        objectId: target.objectId,
        occurrenceStart: alarm.occurrence.start.toISOString(),
        fireAt: alarm.fireAt.toISOString(),
        trigger: alarm.trigger,
      },
    }));
    const cancelled = await cancelPendingByKeyPrefix(trx, {
      kind: 'reminder.send',
      keyPrefix: reminderKeyPrefix(target.objectId),
      keep: jobs.map((j) => j.dedupeKey),
    });
    await upsertScheduledMessages(trx, jobs);
    return { planned: jobs.length, cancelled };
  });
}
