import { type ScheduledJob, scheduleJobs } from '../app/jobs.ts';
import { type PlannedAlarm, planAlarms } from '../domain/recurrence/alarm-triggers.ts';
import { findObjectById } from '../storage/repositories/calendar-object-repository.ts';
import {
  cancelPendingByKeyPrefix,
  countPendingJobsOfUser,
  lockKey,
} from '../storage/repositories/outbox-claim-repository.ts';
import { findPlanningUser } from '../storage/repositories/worker-planning-repository.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import { type Executor, transact } from '../storage/transaction.ts';
import type { JobContext } from './job-context.ts';
import { PermanentJobError } from './job-errors.ts';

/** Default reminder when a user has no preferences row (15 minutes: docs/worker-delivery.md#reminders). */
const fallbackReminderMinutes = 15;

/**
 * Most reminders one event gets per planning horizon (earliest first). A real event has a
 * handful in two days (an hourly meeting with two alarms: 96); a stored MINUTELY event with dozens
 * of VALARMs (stored before the limits on new data) would become tens of thousands of jobs and
 * as many Telegram messages.
 */
export const maxRemindersPerEvent = 100;

/**
 * Most pending reminders one user holds per planning horizon, across their events: one user's
 * many capped events cannot flood the queue (and the Bot API's per-chat limit) for everyone.
 */
export const maxRemindersPerUser = 1_000;

/**
 * Occurrences of one event examined per planning (planAlarms' own default, kept explicit): it
 * bounds the work for a rule like MINUTELY, while a weekly lead on an hourly series still fits.
 */
const occurrencesExaminedPerEvent = 500;

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
      maxInstances: occurrencesExaminedPerEvent,
    }).alarms;
  } catch (error) {
    throw new PermanentJobError(`event ${object.id} cannot be read for reminders`, { cause: error });
  }
}

/**
 * Brings one event's pending reminders in line with its stored version: new ones are enqueued,
 * ones it no longer has (moved, removed, cancelled, deleted) are cancelled. An advisory lock per
 * owner serialises the planners of their events, and the event is read after taking it, so the
 * plan of an older version can never overwrite a newer one and the per-user cap is exact.
 * Over a cap, the earliest reminders are kept: all of the event's up to `maxRemindersPerEvent`,
 * then as many as the user's other pending reminders leave room for (`maxRemindersPerUser`).
 */
export async function planObjectReminders(
  context: JobContext,
  target: { userId: number; objectId: string },
): Promise<{ planned: number; cancelled: number }> {
  const window = planningWindow(context);
  const keyPrefix = reminderKeyPrefix(target.objectId);
  return transact(context.db, async (trx) => {
    await lockKey(trx, `reminders-of-user:${target.userId}`);
    const object = await findObjectById(trx, target.userId, target.objectId);
    const alarms = object ? await alarmsOf(trx, object, window) : [];
    const othersPending =
      alarms.length === 0
        ? 0
        : await countPendingJobsOfUser(trx, {
            kind: 'reminder.send',
            userId: target.userId,
            from: window.start,
            to: window.end,
            exceptKeyPrefix: keyPrefix,
          });
    const kept = keepWithinCaps(context, target, alarms, othersPending);
    const jobs: ScheduledJob<'reminder.send'>[] = kept.map((alarm) => ({
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
      keyPrefix,
      keep: jobs.map((j) => j.dedupeKey),
    });
    await scheduleJobs(trx, jobs);
    return { planned: jobs.length, cancelled };
  });
}

/** The earliest `alarms` (sorted by fire time) within both caps; a capped event is logged once. */
function keepWithinCaps(
  context: JobContext,
  target: { userId: number; objectId: string },
  alarms: readonly PlannedAlarm[],
  othersPending: number,
): readonly PlannedAlarm[] {
  const eventKept = Math.min(alarms.length, maxRemindersPerEvent);
  const kept = Math.min(eventKept, Math.max(0, maxRemindersPerUser - othersPending));
  if (kept === alarms.length) return alarms;
  const overEvent = alarms.length - eventKept;
  const overUser = eventKept - kept;
  if (overEvent > 0) context.metrics.remindersCapped.inc({ cap: 'event' }, overEvent);
  if (overUser > 0) context.metrics.remindersCapped.inc({ cap: 'user' }, overUser);
  context.logger.warn(
    {
      objectId: target.objectId,
      userId: target.userId,
      reminders: alarms.length,
      kept,
      userPending: othersPending,
      maxPerEvent: maxRemindersPerEvent,
      maxPerUser: maxRemindersPerUser,
    },
    'reminders over the cap were not planned',
  );
  return alarms.slice(0, kept);
}
