import { strongEtag } from '../domain/etag.ts';
import type { ParsedCalendarObject } from '../domain/ical/parse-calendar.ts';
import { mayInvite, mayInvitePattern } from '../domain/ical/scheduling.ts';
import type { DbTransaction } from '../storage/db-types.ts';
import {
  deleteObjectIfEtag,
  findObjectByHref,
  findObjectByUid,
  insertObject,
  insertObjectAtNextRevision,
  type ReplaceJob,
  replaceOwnObjectWithChange,
  updateObjectAtNextRevisionIfEtag,
  updateObjectIfEtag,
} from '../storage/repositories/calendar-object-repository.ts';
import {
  bumpSyncRevision,
  type CalendarWithAccess,
  currentSyncRevision,
  findCalendar,
} from '../storage/repositories/calendar-repository.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import type { Executor } from '../storage/transaction.ts';
import { AppError } from './errors.ts';
import { announceToGroup, isGroupId } from './group-announcements.ts';
import { appendChangeWithJobs, type Job, type JobKind, type PayloadOf } from './jobs.ts';
import { mayHaveReminders, reminderKeyAround } from './reminder-planning.ts';

// The steps of one object write inside an open transaction (docs/architecture.md#one-transaction-per-change):
// CalendarService runs one of them per transaction, an occurrence edit that splits a series runs two.

export interface WriteConditions {
  /** RFC 9110 §13.1.1: the write applies only if the stored ETag is this one. */
  ifMatch?: string | undefined;
  /** RFC 9110 §13.1.2 with `*`: the write applies only if nothing is stored there yet. */
  ifNoneMatch?: '*' | undefined;
}

export interface ObjectWrite {
  userId: number;
  calendarId: string;
  hrefName: string;
  text: string;
  parsed: ParsedCalendarObject;
  conditions: WriteConditions;
  /** Set only by the feed follower (calendar-subscriptions.ts): a subscribed calendar is read-only to everyone else. */
  byFeed?: boolean;
  /** Set by the scheduler (invitations.ts) for what it writes on someone's behalf: no new scheduling job. */
  byScheduler?: boolean;
  /** The writer's clock, for which reminders matter now (mayHaveReminders); the real time when absent. */
  now?: Date | undefined;
}

/** Stores a calendar object resource exactly as given, with its revision, change-log row and outbox job. */
export async function writeObject(
  trx: DbTransaction,
  write: ObjectWrite,
): Promise<{ created: boolean; object: CalendarObjectRow }> {
  const { userId, calendarId, hrefName, parsed } = write;
  const calendar = await findCalendar(trx, userId, calendarId);
  if (!calendar) throw new AppError('calendar-not-found');
  checkWritable(calendar, write.byFeed);
  // RFC 4791 §5.3.2.1 supported-calendar-component: e.g. no task in an events-only calendar.
  if (!calendar.supported_components.includes(parsed.componentType)) {
    throw new AppError(
      'unsupported-component',
      `This calendar holds only ${calendar.supported_components.join(' and ')} components.`,
    );
  }
  // Checked against what is stored now, then written in one statement with the revision bump,
  // only while the object is still as checked: the calendar's lock (taken by the bump) is held for
  // the few statements left instead of all of them. Another writer in between leaves nothing
  // written but the bump; then, holding the lock, the checks run again on the object as it is.
  const seen = await findObjectByHref(trx, calendarId, hrefName);
  await checkObjectWrite(trx, seen, write);
  const columns = derivedColumns(write.text, parsed);
  const newObject = { ...columns, calendar_id: calendarId, owner_id: calendar.owner_id, href_name: hrefName };
  let existing = seen;
  let object = seen
    ? await updateObjectAtNextRevisionIfEtag(trx, calendarId, seen.id, seen.etag, columns)
    : await insertObjectAtNextRevision(trx, newObject);
  if (!object) {
    const revision = await currentSyncRevision(trx, calendarId);
    existing = await findObjectByHref(trx, calendarId, hrefName);
    await checkObjectWrite(trx, existing, write);
    object = existing
      ? await updateObjectIfEtag(trx, existing.id, existing.etag, { ...columns, revision })
      : await insertObject(trx, { ...newObject, revision });
  }
  if (!object) throw new AppError('etag-mismatch');
  const revision = object.revision;
  // Reminders and re-planning follow the calendar's owner, whoever wrote (a sharee, issue 14).
  const operation = existing ? 'modified' : 'created';
  const scheduling =
    !write.byScheduler &&
    !isGroupId(calendar.owner_id) &&
    parsed.componentType === 'VEVENT' &&
    (mayInvite(write.text) || (existing !== undefined && mayInvite(existing.ical)));
  const now = write.now ?? new Date();
  const replan =
    mayHaveReminders(versionOf(write.text, parsed), now) ||
    (existing !== undefined && mayHaveReminders(storedVersion(existing), now));
  await recordChange(
    trx,
    { userId: calendar.owner_id, calendarId, revision, hrefName, objectId: object.id, operation },
    replan,
    scheduling
      ? [schedulingJob({ ownerId: calendar.owner_id, writerId: userId, uid: parsed.uid, hrefName }, false)]
      : [],
  );
  if (isGroupId(calendar.owner_id)) {
    await announceToGroup(trx, {
      groupId: calendar.owner_id,
      hrefName,
      operation,
      actorId: userId,
      summary: parsed.summary,
      startAt: parsed.start,
      allDay: parsed.allDay,
    });
  }
  return { created: !existing, object };
}

export async function removeObject(
  trx: DbTransaction,
  removal: {
    userId: number;
    calendarId: string;
    hrefName: string;
    conditions: WriteConditions;
    byFeed?: boolean;
    byScheduler?: boolean;
    now?: Date | undefined;
  },
): Promise<void> {
  const { userId, calendarId, hrefName } = removal;
  const calendar = await findCalendar(trx, userId, calendarId);
  if (!calendar) throw new AppError('calendar-not-found');
  checkWritable(calendar, removal.byFeed);
  const revision = await bumpSyncRevision(trx, calendarId);
  const existing = await findObjectByHref(trx, calendarId, hrefName);
  if (!existing) throw new AppError('event-not-found');
  checkConditions(existing, removal.conditions);
  if (!(await deleteObjectIfEtag(trx, existing.id, existing.etag))) throw new AppError('etag-mismatch');
  const scheduling = !removal.byScheduler && !isGroupId(calendar.owner_id) && mayInvite(existing.ical);
  await recordChange(
    trx,
    {
      userId: calendar.owner_id,
      calendarId,
      revision,
      hrefName,
      objectId: existing.id,
      operation: 'deleted',
    },
    mayHaveReminders(storedVersion(existing), removal.now ?? new Date()),
    scheduling
      ? [schedulingJob({ ownerId: calendar.owner_id, writerId: userId, uid: existing.uid, hrefName }, true)]
      : [],
  );
  if (isGroupId(calendar.owner_id)) {
    await announceToGroup(trx, {
      groupId: calendar.owner_id,
      hrefName,
      operation: 'deleted',
      actorId: userId,
      summary: existing.summary,
      startAt: existing.start_at,
      allDay: existing.all_day,
    });
  }
}

/** One write as the change log and the re-planning job name it. */
type ObjectChange = PayloadOf<'calendar.object-changed'>;

/**
 * The change-log row, the job that re-plans the object's reminders when `replan` (one of its
 * versions may have reminders that matter now) and `jobs`, in one statement.
 */
async function recordChange(
  trx: DbTransaction,
  change: ObjectChange,
  replan: boolean,
  jobs: readonly ChangeJob[],
): Promise<void> {
  // The worker reschedules this event's reminders from it (docs/worker-delivery.md#the-outbox).
  const all = replan ? [objectChangedJob(change), ...jobs] : jobs;
  const written = { calendar_id: change.calendarId, revision: change.revision, id: change.objectId };
  await appendChangeWithJobs(
    trx,
    change,
    all.map((job) => completed(job, written)),
  );
}

function versionOf(text: string, parsed: ParsedCalendarObject) {
  const { componentType, seriesFirstStart, seriesLastEnd } = parsed;
  return { componentType, text, seriesFirstStart, seriesLastEnd };
}

function storedVersion(row: CalendarObjectRow) {
  return {
    componentType: row.component_type,
    text: row.ical,
    seriesFirstStart: row.series_first_start,
    seriesLastEnd: row.series_last_end,
  };
}

/**
 * A job that follows from a write, before the write is known: `fromRow` completes it from the row
 * written, here (`completed`) or in SQL (the one-statement replace), and its key ends with the
 * calendar and revision, so a write's job is queued once.
 */
type ChangeJob = Omit<ReplaceJob, 'when'> & { kind: JobKind };

/** The 'calendar.object-changed' job of a write. */
function objectChangedJob(change: Pick<ObjectChange, 'userId' | 'hrefName' | 'operation'>): ChangeJob {
  return {
    kind: 'calendar.object-changed',
    payload: { userId: change.userId, hrefName: change.hrefName, operation: change.operation },
    fromRow: { calendarId: 'calendar_id', revision: 'revision', objectId: 'id' },
    dedupeKeyPrefix: 'calendar.object-changed:',
    userId: change.userId,
  };
}

/** The scheduler (invitations.ts) works out what a write of an event with attendees means, once it commits. */
function schedulingJob(
  change: { ownerId: number; writerId: number; uid: string; hrefName: string },
  deleted: boolean,
): ChangeJob {
  return {
    kind: 'invitations.object-changed',
    payload: { ...change, deleted },
    fromRow: { calendarId: 'calendar_id' },
    dedupeKeyPrefix: 'invitations.object-changed:',
    userId: change.ownerId,
  };
}

/** `job` completed from the row written, as replaceOwnObjectWithChange completes it in SQL. */
function completed(job: ChangeJob, row: { calendar_id: string; revision: number; id: string }): Job {
  const filled = Object.fromEntries(Object.entries(job.fromRow).map(([key, column]) => [key, row[column]]));
  // The payload fits its kind: the template's part and the row's part together (checked when claimed).
  return {
    kind: job.kind,
    payload: { ...job.payload, ...filled },
    dedupeKey: `${job.dedupeKeyPrefix}${row.calendar_id}:${row.revision}`,
    userId: job.userId,
  } as Job;
}

/** A replace of an object in the writer's own calendar, named by id or (CalDAV) by its slug. */
export type OwnReplace = Omit<ObjectWrite, 'calendarId'> & { calendar: { id: string } | { slug: string } };

/**
 * The common replace — an owner's write with one exact If-Match ETag in their own calendar — in
 * one statement, outside any transaction: the same rows and jobs as `writeObject`, checked the
 * same way, in one round trip instead of six. Undefined when the write is not of that kind or a
 * check fails (also when the stored event has attendees and the new one has none: whether anyone
 * was dropped is the transaction's to find out); `writeObject` then writes it or says why not.
 */
export async function replaceObjectInOneStatement(
  db: Executor,
  write: OwnReplace,
): Promise<CalendarObjectRow | undefined> {
  const { userId, hrefName, parsed, conditions } = write;
  if (
    conditions.ifMatch === undefined ||
    conditions.ifNoneMatch !== undefined ||
    write.byFeed ||
    write.byScheduler ||
    isGroupId(userId)
  ) {
    return undefined;
  }
  const event = parsed.componentType === 'VEVENT';
  const inviting = event && mayInvite(write.text);
  const replanning: ReplaceJob = {
    ...objectChangedJob({ userId, hrefName, operation: 'modified' }),
    // As recordChange decides for the new version; for the replaced one, whether it has a
    // reminder pending (a planner still running may add one after: it is dropped when due).
    when: mayHaveReminders(versionOf(write.text, parsed), write.now ?? new Date())
      ? 'always'
      : {
          pending: {
            kind: 'reminder.send',
            keyBefore: reminderKeyAround.before,
            keyAfter: reminderKeyAround.after,
          },
        },
  };
  const scheduling: ReplaceJob = {
    ...schedulingJob({ ownerId: userId, writerId: userId, uid: parsed.uid, hrefName }, false),
    when: 'always',
  };
  return replaceOwnObjectWithChange(
    db,
    {
      calendar: write.calendar,
      ownerId: userId,
      hrefName,
      expectedEtag: conditions.ifMatch,
      storedTextExcludes: event && !inviting ? mayInvitePattern : undefined,
    },
    derivedColumns(write.text, parsed),
    inviting ? [replanning, scheduling] : [replanning],
  );
}

/** A sharee with read access, or anyone but the feed follower on a subscribed calendar, is refused. */
function checkWritable(calendar: CalendarWithAccess, byFeed: boolean | undefined): void {
  if (calendar.access === 'read') throw new AppError('calendar-shared-read-only');
  if (calendar.read_only && !byFeed) throw new AppError('calendar-read-only');
}

/** What must hold of the object stored at the href (or its absence) for `write` to go ahead. */
async function checkObjectWrite(
  trx: DbTransaction,
  existing: CalendarObjectRow | undefined,
  write: ObjectWrite,
): Promise<void> {
  checkConditions(existing, write.conditions);
  // RFC 4791 §5.3.2.1 no-uid-conflict: one UID per calendar, and a resource keeps its UID.
  if (existing && existing.uid !== write.parsed.uid) {
    throw new AppError('uid-conflict', 'A stored event cannot change its UID; create a new one instead.', {
      details: { href: existing.href_name },
    });
  }
  if (!existing) {
    const sameUid = await findObjectByUid(trx, write.calendarId, write.parsed.uid);
    // At this very href it was stored meanwhile by another writer: the write then finds it taken
    // and is checked again against it.
    if (sameUid && sameUid.href_name !== write.hrefName) {
      throw new AppError('uid-conflict', undefined, { details: { href: sameUid.href_name } });
    }
  }
}

function checkConditions(existing: CalendarObjectRow | undefined, conditions: WriteConditions): void {
  if (conditions.ifNoneMatch === '*' && existing) throw new AppError('object-exists');
  if (conditions.ifMatch !== undefined && (!existing || existing.etag !== conditions.ifMatch)) {
    throw new AppError('etag-mismatch');
  }
}

function derivedColumns(text: string, parsed: ParsedCalendarObject) {
  return {
    uid: parsed.uid,
    ical: text,
    etag: strongEtag(text),
    component_type: parsed.componentType,
    summary: parsed.summary,
    start_at: parsed.start,
    end_at: parsed.end,
    all_day: parsed.allDay,
    time_zone: parsed.timezone,
    rrule: parsed.rrule,
    series_first_start: parsed.seriesFirstStart,
    series_last_end: parsed.seriesLastEnd,
    status: parsed.status,
    sequence: parsed.sequence,
  };
}
