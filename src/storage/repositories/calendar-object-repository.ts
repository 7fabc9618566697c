import { type Insertable, type QueryCreator, sql, type Updateable } from 'kysely';
import type { CalendarObjectRow, CalendarObjectsTable, Database } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import { visibleCalendarIds } from './calendar-repository.ts';

export async function findObjectById(
  db: Executor,
  ownerId: number,
  objectId: string,
): Promise<CalendarObjectRow | undefined> {
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('id', '=', objectId)
    .executeTakeFirst();
}

/** An object of any calendar the user sees (their own or shared with them), by id. */
export async function findVisibleObjectById(
  db: Executor,
  userId: number,
  objectId: string,
): Promise<CalendarObjectRow | undefined> {
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', 'in', visibleCalendarIds(db, userId))
    .where('id', '=', objectId)
    .executeTakeFirst();
}

export async function findObjectByHref(
  db: Executor,
  calendarId: string,
  hrefName: string,
): Promise<CalendarObjectRow | undefined> {
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .where('href_name', '=', hrefName)
    .executeTakeFirst();
}

export async function findObjectByUid(
  db: Executor,
  calendarId: string,
  uid: string,
): Promise<CalendarObjectRow | undefined> {
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .where('uid', '=', uid)
    .executeTakeFirst();
}

/**
 * Objects whose whole series may touch [start, end): the derived bounds are a prefilter only,
 * the caller still expands and checks each occurrence. Null bounds mean "unknown/unbounded".
 */
export async function listObjectsOverlapping(
  db: Executor,
  filter: { userId: number; calendarId?: string | undefined; start: Date; end: Date },
): Promise<CalendarObjectRow[]> {
  let query = db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('calendar_id', 'in', visibleCalendarIds(db, filter.userId))
    .where((eb) => eb.or([eb('series_first_start', 'is', null), eb('series_first_start', '<', filter.end)]))
    .where((eb) => eb.or([eb('series_last_end', 'is', null), eb('series_last_end', '>=', filter.start)]));
  if (filter.calendarId) query = query.where('calendar_id', '=', filter.calendarId);
  return query.orderBy('series_first_start').execute();
}

export async function listObjectsOfOwner(db: Executor, ownerId: number): Promise<CalendarObjectRow[]> {
  return db
    .selectFrom('calendar_objects')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .orderBy('series_first_start')
    .execute();
}

export async function insertObject(
  db: Executor,
  object: Insertable<CalendarObjectsTable>,
): Promise<CalendarObjectRow> {
  return db.insertInto('calendar_objects').values(object).returningAll().executeTakeFirstOrThrow();
}

/**
 * Inserts an object at its calendar's next sync revision, in one statement with the revision bump
 * (whose row lock orders the calendar's writers until the transaction ends): the row comes back
 * with that revision. Undefined when its href or UID is taken meanwhile; the bump happened anyway.
 */
export async function insertObjectAtNextRevision(
  db: Executor,
  object: Omit<Insertable<CalendarObjectsTable>, 'revision'>,
): Promise<CalendarObjectRow | undefined> {
  return db
    .with('bump', (qb) => nextRevision(qb, object.calendar_id))
    .insertInto('calendar_objects')
    .values({ ...object, revision: (eb) => eb.selectFrom('bump').select('sync_revision') })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * `updateObjectIfEtag` at the calendar's next sync revision, bumped in the same statement. When the
 * ETag no longer matches the bump happens all the same (undefined is returned).
 */
export async function updateObjectAtNextRevisionIfEtag(
  db: Executor,
  calendarId: string,
  objectId: string,
  expectedEtag: string,
  changes: Omit<Updateable<CalendarObjectsTable>, 'revision'>,
): Promise<CalendarObjectRow | undefined> {
  return db
    .with('bump', (qb) => nextRevision(qb, calendarId))
    .updateTable('calendar_objects')
    .set({ ...changes, revision: (eb) => eb.selectFrom('bump').select('sync_revision') })
    .where('id', '=', objectId)
    .where('etag', '=', expectedEtag)
    .returningAll()
    .executeTakeFirst();
}

function nextRevision(db: QueryCreator<Database>, calendarId: string) {
  return db
    .updateTable('calendars')
    .set((eb) => ({ sync_revision: eb('sync_revision', '+', 1) }))
    .where('id', '=', calendarId)
    .returning('sync_revision');
}

/** Optimistic update: only when the stored ETag is still `expectedEtag`; undefined otherwise. */
export async function updateObjectIfEtag(
  db: Executor,
  objectId: string,
  expectedEtag: string,
  changes: Updateable<CalendarObjectsTable>,
): Promise<CalendarObjectRow | undefined> {
  return db
    .updateTable('calendar_objects')
    .set(changes)
    .where('id', '=', objectId)
    .where('etag', '=', expectedEtag)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteObjectIfEtag(
  db: Executor,
  objectId: string,
  expectedEtag: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('calendar_objects')
    .where('id', '=', objectId)
    .where('etag', '=', expectedEtag)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** An outbox job of one replace, completed in SQL from the row it wrote. */
export interface ReplaceJob {
  kind: string;
  /** The payload but for the keys `fromRow` names, each taken from that column of the written row. */
  payload: Record<string, unknown>;
  fromRow: Record<string, 'calendar_id' | 'revision' | 'id'>;
  /** The dedupe key but for `<calendar id>:<revision>`, which ends it. */
  dedupeKeyPrefix: string;
  userId: number;
  /**
   * Written always, or only while a pending outbox job of `kind` has a key that starts with
   * `keyBefore`, the object's id and `keyAfter`.
   */
  when: 'always' | { pending: { kind: string; keyBefore: string; keyAfter: string } };
}

/**
 * Replaces an owner's object in one statement (one transaction, one round trip): the calendar's
 * row is locked first, which orders its writers as the revision bump does elsewhere; the object is
 * updated at the next revision only while it still has `expectedEtag` and its UID and its stored
 * text does not match `storedTextExcludes` (a POSIX regular expression, case-insensitive), when
 * given; then the revision bump, the change-log row and the jobs. The calendar must be the owner's
 * own, not a subscription, and accept the component. When any of that fails nothing at all is
 * written (undefined).
 */
export async function replaceOwnObjectWithChange(
  db: Executor,
  target: {
    /** The owner's calendar by id, or by its slug (a CalDAV path names it so). */
    calendar: { id: string } | { slug: string };
    ownerId: number;
    hrefName: string;
    expectedEtag: string;
    storedTextExcludes: string | undefined;
  },
  changes: Omit<Updateable<CalendarObjectsTable>, 'revision'> & { uid: string; component_type: string },
  jobs: readonly [ReplaceJob, ...ReplaceJob[]],
): Promise<CalendarObjectRow | undefined> {
  const { storedTextExcludes } = target;
  return db
    .with('cal', (qb) =>
      qb
        .selectFrom('calendars')
        .select((eb) => ['id', eb('sync_revision', '+', 1).as('revision')])
        .where('owner_id', '=', target.ownerId)
        .where((eb) =>
          'id' in target.calendar ? eb('id', '=', target.calendar.id) : eb('slug', '=', target.calendar.slug),
        )
        .where(sql<boolean>`${changes.component_type}::text = any(supported_components)`)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(selectFrom('calendar_subscriptions as f').whereRef('f.calendar_id', '=', 'calendars.id')),
          ),
        )
        .forUpdate(),
    )
    .with('upd', (qb) =>
      qb
        .updateTable('calendar_objects')
        .from('cal')
        .set((eb) => ({ ...changes, revision: eb.ref('cal.revision') }))
        .whereRef('calendar_objects.calendar_id', '=', 'cal.id')
        .where('calendar_objects.href_name', '=', target.hrefName)
        .where('calendar_objects.etag', '=', target.expectedEtag)
        .where('calendar_objects.uid', '=', changes.uid)
        .$if(storedTextExcludes !== undefined, (qb) =>
          qb.where(sql<boolean>`calendar_objects.ical !~* ${storedTextExcludes}`),
        )
        .returningAll('calendar_objects'),
    )
    .with('bump', (qb) =>
      qb
        .updateTable('calendars')
        .from('upd')
        .set((eb) => ({ sync_revision: eb.ref('upd.revision') }))
        .whereRef('calendars.id', '=', 'upd.calendar_id')
        .returning('calendars.sync_revision'),
    )
    .with('change', (qb) =>
      qb
        .insertInto('calendar_changes')
        .columns(['calendar_id', 'revision', 'href_name', 'operation'])
        .expression((eb) =>
          eb
            .selectFrom('upd')
            .select([
              'upd.calendar_id',
              'upd.revision',
              'upd.href_name',
              sql.lit('modified').as('operation'),
            ]),
        )
        .returning('revision'),
    )
    .with('job', (qb) =>
      qb
        .insertInto('outbox_messages')
        .columns(['kind', 'payload', 'dedupe_key', 'user_id'])
        .expression(sql.join(jobs.map(replaceJobRow), sql` union all `))
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id'),
    )
    .selectFrom('upd')
    .selectAll()
    .executeTakeFirst();
}

/** The outbox row of `job` from the row `upd` wrote (none while its condition does not hold). */
function replaceJobRow(job: ReplaceJob) {
  const filled = Object.entries(job.fromRow).flatMap(([key, column]) => [
    sql`${key}::text`,
    sql.ref(`upd.${column}`),
  ]);
  const { when } = job;
  const condition =
    when === 'always'
      ? sql``
      : sql`where exists (select 1 from outbox_messages m where m.status = 'pending' and m.kind = ${when.pending.kind}::text
          and m.dedupe_key like ${when.pending.keyBefore}::text || upd.id || ${when.pending.keyAfter}::text || '%')`;
  return sql`select ${job.kind}::text, ${JSON.stringify(job.payload)}::jsonb || jsonb_build_object(${sql.join(filled)}),
    ${job.dedupeKeyPrefix}::text || upd.calendar_id || ':' || upd.revision, ${job.userId}::bigint from upd ${condition}`;
}
