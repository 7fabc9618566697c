import { type PlannedAlarm, planAlarms } from '../domain/recurrence/alarm-triggers.ts';
import { planTaskAlarms, readTaskDue } from '../domain/recurrence/task-alarms.ts';
import type { Db } from '../storage/db-types.ts';
import {
  cancelPendingByKeyPrefix,
  countPendingJobsOfUser,
  lockKey,
} from '../storage/repositories/outbox-claim-repository.ts';
import {
  findPlanningUserAndObject,
  listObjectsTouching,
  type PlanningUser,
} from '../storage/repositories/worker-planning-repository.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import { type Executor, transact } from '../storage/transaction.ts';
import { type ScheduledJob, scheduleJobs } from './jobs.ts';

// Reminder planning: which 'reminder.send' jobs an event's stored version calls for, and whether
// a queued one is still wanted when it comes due (docs/worker-delivery.md#reminders, #caps).

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

const dayMs = 86_400_000;

/**
 * The longest lead a reminder is planned with: the longest default reminder
 * (preferences.default_reminder_minutes ≤ 40,320). The hourly roll looks this far past the horizon.
 */
export const longestReminderLeadMs = 28 * dayMs;

/**
 * How far from now an event can have a reminder that matters, whatever the settings, when its
 * alarms are the owner's default or relative ones like it: fired at most `longestReminderLeadMs`
 * before a start or a day after an end, planned at most 28 days ahead (REMINDER_HORIZON_DAYS ≤ 28),
 * and still sent at most a day late (REMINDER_GRACE_MINUTES ≤ 1,440); one more day each side for
 * the clocks of the writer and the worker.
 */
const defaultReminderReach = { beforeMs: 3 * dayMs, afterMs: 28 * dayMs + longestReminderLeadMs + dayMs };

/** The range such an event must touch for one of its reminders to matter now. */
export function defaultReminderRange(now: Date): { start: Date; end: Date } {
  return {
    start: new Date(now.getTime() - defaultReminderReach.beforeMs),
    end: new Date(now.getTime() + defaultReminderReach.afterMs),
  };
}

/**
 * Whether every alarm trigger in a text stays within the reach of a default reminder: relative
 * (RFC 5545 §3.8.6.3, not VALUE=DATE-TIME) and at most 28 days before, or a day after, the start or
 * end it is related to. Folded lines are read unfolded; a trigger that cannot be read does not.
 */
function triggersWithinDefaultReach(text: string): boolean {
  if (!/BEGIN:VALARM/i.test(text)) return true;
  for (const [, params = '', value = ''] of text
    .replace(/\r?\n[ \t]/g, '')
    .matchAll(/\nTRIGGER([^:\r\n]*):([^\r\n]*)/gi)) {
    if (/VALUE=DATE-TIME/i.test(params)) return false;
    const offsetMs = durationMs(value.trim());
    if (offsetMs === undefined || offsetMs < -longestReminderLeadMs || offsetMs > dayMs) return false;
  }
  return true;
}

/** An iCalendar DURATION (RFC 5545 §3.3.6) in milliseconds, signed; undefined when it is not one. */
function durationMs(value: string): number | undefined {
  const match =
    /^([+-])?P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/i.exec(
      value,
    );
  if (!match || value.endsWith('T') || /^[+-]?P$/i.test(value)) return undefined;
  const [, sign, weeks, days, hours, minutes, seconds] = match;
  const ms =
    ((Number(weeks ?? 0) * 7 + Number(days ?? 0)) * 86_400 +
      Number(hours ?? 0) * 3_600 +
      Number(minutes ?? 0) * 60 +
      Number(seconds ?? 0)) *
    1000;
  return sign === '-' ? -ms : ms;
}

/**
 * Whether a version of an object may have reminders that matter now: a task (reminded when due),
 * an alarm that may fire far from its occurrence (absolute, or more than 28 days ahead), or a
 * series that may touch `defaultReminderRange`. A write whose new version may not, of an object
 * with no reminder pending, changes no reminder, so it needs no re-planning job (object-writes.ts);
 * the hourly roll plans it once it comes near.
 */
export function mayHaveReminders(
  version: { componentType: string; text: string; seriesFirstStart: Date | null; seriesLastEnd: Date | null },
  now: Date,
): boolean {
  if (version.componentType !== 'VEVENT' || !triggersWithinDefaultReach(version.text)) return true;
  const range = defaultReminderRange(now);
  return (
    (version.seriesFirstStart === null || version.seriesFirstStart < range.end) &&
    (version.seriesLastEnd === null || version.seriesLastEnd >= range.start)
  );
}

/** An event's stored text cannot be read for reminders; planning it again cannot help. */
export class UnreadableEventError extends Error {
  constructor(objectId: string, options: { cause?: unknown } = {}) {
    super(`event ${objectId} cannot be read for reminders`, options);
    this.name = 'UnreadableEventError';
  }
}

/**
 * A reminder job is named by its event, occurrence and trigger: planning one twice, from an edit
 * and from the hourly roll, is one job, and a job once done is never made again.
 */
export function reminderKey(objectId: string, occurrenceStart: Date, trigger: string): string {
  return `${reminderKeyPrefix(objectId)}${occurrenceStart.toISOString()}:${trigger}`;
}

export function reminderKeyPrefix(objectId: string): string {
  return `${reminderKeyAround.before}${objectId}${reminderKeyAround.after}`;
}

/** What comes before and after the object's id at the start of its reminders' keys. */
export const reminderKeyAround = { before: 'reminder:', after: ':' } as const;

/** What planning one event did; `capped` is set when a cap left reminders out. */
export interface EventReminderPlan {
  planned: number;
  cancelled: number;
  /** The owner has blocked the bot: no reminder was added (docs/worker-delivery.md#reachability). */
  ownerBlocked: boolean;
  capped?: { reminders: number; kept: number; overEvent: number; overUser: number; userPending: number };
}

/** A queued reminder that is still wanted, with what its message shows. */
export interface DueReminder {
  /** An event's occurrence, or a task (VTODO) whose `occurrence.start` is its due time. */
  kind: 'event' | 'task';
  occurrence: { start: Date; summary: string | null; allDay: boolean };
  timeZone: string;
  /** The owner's chosen bot language and Telegram language_code, for the message's wording. */
  language: string | null;
  locale: string | null;
}

function isTask(object: CalendarObjectRow): boolean {
  return object.component_type === 'VTODO';
}

/** The alarms of one stored object firing in `window`, for its owner's zone and default. */
function alarmsOf(
  object: CalendarObjectRow,
  user: PlanningUser,
  window: { start: Date; end: Date },
): PlannedAlarm[] {
  const options = {
    defaultMinutes:
      user.defaultReminderEnabled === false ? null : (user.defaultReminderMinutes ?? fallbackReminderMinutes),
    floatingTimeZone: user.timeZone ?? 'UTC',
  };
  try {
    // A task is reminded of when it is due, not of when it starts (task-alarms.ts).
    if (isTask(object)) return planTaskAlarms(object.ical, window, options);
    return planAlarms(object.ical, window, { ...options, maxInstances: occurrencesExaminedPerEvent }).alarms;
  } catch (error) {
    throw new UnreadableEventError(object.id, { cause: error });
  }
}

export class ReminderPlanner {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  /** Events (any owner) whose series may touch [start, end), by id, one page at a time. */
  listEventsTouching(range: {
    start: Date;
    end: Date;
    afterId: string | null;
    limit: number;
  }): Promise<Array<{ id: string; ownerId: number }>> {
    return listObjectsTouching(this.#db, range);
  }

  /**
   * Brings one event's pending reminders in line with its stored version for triggers in
   * `window`: new ones are enqueued, ones it no longer has (moved, removed, cancelled, deleted)
   * are cancelled. An advisory lock per owner serialises the planners of their events, and the
   * event is read after taking it, so the plan of an older version can never overwrite a newer
   * one and the per-user cap is exact. Over a cap, the earliest reminders are kept: all of the
   * event's up to `maxRemindersPerEvent`, then as many as the user's other pending reminders
   * leave room for (`maxRemindersPerUser`). An owner who blocked the bot gets no new reminders;
   * their queued ones are left as they are.
   */
  async planEvent(
    target: { userId: number; objectId: string },
    window: { start: Date; end: Date },
  ): Promise<EventReminderPlan> {
    const keyPrefix = reminderKeyPrefix(target.objectId);
    return transact(this.#db, async (trx) => {
      await lockKey(trx, `reminders-of-user:${target.userId}`);
      const found = await findPlanningUserAndObject(trx, target.userId, target.objectId);
      if (found?.user.botBlockedAt) return { planned: 0, cancelled: 0, ownerBlocked: true };
      const alarms = found?.object ? alarmsOf(found.object, found.user, window) : [];
      const othersPending =
        alarms.length === 0 ? 0 : await this.#otherPending(trx, target.userId, window, keyPrefix);
      const { kept, capped } = keepWithinCaps(alarms, othersPending);
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
      return { planned: jobs.length, cancelled, ownerBlocked: false, ...(capped ? { capped } : {}) };
    });
  }

  /**
   * Whether a queued reminder is still wanted as it comes due: the event must exist and, unless
   * it is a snooze ('snooze:…' triggers), still have this trigger for this occurrence (an edit
   * racing the planner cannot cause a stale one; a snoozed task must still be open). Returns what
   * to show, or what is gone.
   */
  async findDueReminder(reminder: {
    userId: number;
    objectId: string;
    occurrenceStart: Date;
    fireAt: Date;
    trigger: string;
  }): Promise<DueReminder | 'event-gone' | 'reminder-gone'> {
    const found = await findPlanningUserAndObject(this.#db, reminder.userId, reminder.objectId);
    const object = found?.object;
    if (!object) return 'event-gone';
    const user = found?.user;
    const shownIn = {
      timeZone: user?.timeZone ?? 'UTC',
      language: user?.language ?? null,
      locale: user?.locale ?? null,
    };
    const start = reminder.occurrenceStart;
    const kind = isTask(object) ? 'task' : 'event';
    if (reminder.trigger.startsWith('snooze:')) {
      if (kind === 'task') return snoozedTask(object, shownIn);
      return { kind, occurrence: { start, summary: object.summary, allDay: object.all_day }, ...shownIn };
    }
    const window = { start: reminder.fireAt, end: new Date(reminder.fireAt.getTime() + 1) };
    const current = (user ? alarmsOf(object, user, window) : []).find(
      (a) => a.trigger === reminder.trigger && a.occurrence.start.getTime() === start.getTime(),
    );
    return current ? { kind, occurrence: current.occurrence, ...shownIn } : 'reminder-gone';
  }

  #otherPending(
    trx: Executor,
    userId: number,
    window: { start: Date; end: Date },
    exceptKeyPrefix: string,
  ): Promise<number> {
    return countPendingJobsOfUser(trx, {
      kind: 'reminder.send',
      userId,
      from: window.start,
      to: window.end,
      exceptKeyPrefix,
    });
  }
}

/** A snoozed task reminder is still wanted while the task is open; it shows the current due time. */
function snoozedTask(
  object: CalendarObjectRow,
  shownIn: Omit<DueReminder, 'kind' | 'occurrence'>,
): DueReminder | 'reminder-gone' {
  let task: ReturnType<typeof readTaskDue>;
  try {
    task = readTaskDue(object.ical, shownIn.timeZone);
  } catch (error) {
    throw new UnreadableEventError(object.id, { cause: error });
  }
  if (!task) return 'reminder-gone';
  const occurrence = { start: task.due, summary: task.summary, allDay: task.allDay };
  return { kind: 'task', occurrence, ...shownIn };
}

/** The earliest `alarms` (sorted by fire time) within both caps, and what the caps left out. */
function keepWithinCaps(
  alarms: readonly PlannedAlarm[],
  othersPending: number,
): { kept: readonly PlannedAlarm[]; capped?: EventReminderPlan['capped'] } {
  const eventKept = Math.min(alarms.length, maxRemindersPerEvent);
  const kept = Math.min(eventKept, Math.max(0, maxRemindersPerUser - othersPending));
  if (kept === alarms.length) return { kept: alarms };
  return {
    kept: alarms.slice(0, kept),
    capped: {
      reminders: alarms.length,
      kept,
      overEvent: alarms.length - eventKept,
      overUser: eventKept - kept,
      userPending: othersPending,
    },
  };
}
