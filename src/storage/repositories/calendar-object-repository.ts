import { type Insertable, type QueryCreator, sql, type Updateable } from 'kysely';
import { compiledPerShape } from '../compiled-once.ts';
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
  const shape: ReplaceShape = {
    byId: 'id' in target.calendar,
    guarded: target.storedTextExcludes !== undefined,
    columns: Object.keys(changes).sort() as ReplaceShape['columns'],
    jobs: jobs.map((job) => ({ always: job.when === 'always', fromRow: job.fromRow })),
  };
  const values: Record<string, unknown> = {
    calendar: 'id' in target.calendar ? target.calendar.id : target.calendar.slug,
    ownerId: target.ownerId,
    hrefName: target.hrefName,
    expectedEtag: target.expectedEtag,
    storedTextExcludes: target.storedTextExcludes ?? null,
    uid: changes.uid,
    componentType: changes.component_type,
  };
  for (const [column, value] of Object.entries(changes)) values[`set.${column}`] = value ?? null;
  jobs.forEach((job, index) => {
    Object.assign(values, {
      [`job${index}.kind`]: job.kind,
      [`job${index}.payload`]: JSON.stringify(job.payload),
      [`job${index}.dedupeKeyPrefix`]: job.dedupeKeyPrefix,
      [`job${index}.userId`]: job.userId,
      ...(job.when === 'always'
        ? {}
        : {
            [`job${index}.pendingKind`]: job.when.pending.kind,
            [`job${index}.keyBefore`]: job.when.pending.keyBefore,
            [`job${index}.keyAfter`]: job.when.pending.keyAfter,
          }),
    });
    for (const key of Object.keys(job.fromRow)) values[`job${index}.fromRow.${key}`] = key;
  });
  return (await replaceStatement(db, shape, values))[0];
}

/** What the text of a one-statement replace depends on; every value is bound. */
interface ReplaceShape {
  byId: boolean;
  guarded: boolean;
  columns: ReadonlyArray<keyof CalendarObjectsTable>;
  jobs: ReadonlyArray<{ always: boolean; fromRow: ReplaceJob['fromRow'] }>;
}

// Building this statement with Kysely's builders cost more of a PUT than PostgreSQL's planning of
// it: it is built once per shape (a handful exist) and only bound per write.
const replaceStatement = compiledPerShape<ReplaceShape, CalendarObjectRow>(
  (db, shape, slot) =>
    db
      .with('cal', (qb) =>
        qb
          .selectFrom('calendars')
          .select((eb) => ['id', eb('sync_revision', '+', 1).as('revision')])
          .where('owner_id', '=', slot('ownerId'))
          .where(shape.byId ? 'id' : 'slug', '=', slot('calendar'))
          .where(sql<boolean>`${slot('componentType')}::text = any(supported_components)`)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('calendar_subscriptions as f').whereRef('f.calendar_id', '=', 'calendars.id'),
              ),
            ),
          )
          .forUpdate(),
      )
      .with('upd', (qb) =>
        qb
          .updateTable('calendar_objects')
          .from('cal')
          .set((eb) => ({
            ...Object.fromEntries(shape.columns.map((column) => [column, slot(`set.${column}`)])),
            revision: eb.ref('cal.revision'),
          }))
          .whereRef('calendar_objects.calendar_id', '=', 'cal.id')
          .where('calendar_objects.href_name', '=', slot('hrefName'))
          .where('calendar_objects.etag', '=', slot('expectedEtag'))
          .where('calendar_objects.uid', '=', slot('uid'))
          .$if(shape.guarded, (qb) =>
            qb.where(sql<boolean>`calendar_objects.ical !~* ${slot('storedTextExcludes')}`),
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
          .expression(
            sql.join(
              shape.jobs.map((job, index) => replaceJobRow(job, `job${index}`, slot)),
              sql` union all `,
            ),
          )
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .returning('id'),
      )
      .selectFrom('upd')
      .selectAll(),
  (shape) => JSON.stringify(shape),
);

/** The outbox row of a job from the row `upd` wrote (none while its condition does not hold). */
function replaceJobRow(job: ReplaceShape['jobs'][number], name: string, slot: (name: string) => never) {
  const filled = Object.entries(job.fromRow).flatMap(([key, column]) => [
    sql`${slot(`${name}.fromRow.${key}`)}::text`,
    sql.ref(`upd.${column}`),
  ]);
  const condition = job.always
    ? sql``
    : sql`where exists (select 1 from outbox_messages m where m.status = 'pending' and m.kind = ${slot(`${name}.pendingKind`)}::text
          and m.dedupe_key like ${slot(`${name}.keyBefore`)}::text || upd.id || ${slot(`${name}.keyAfter`)}::text || '%')`;
  return sql`select ${slot(`${name}.kind`)}::text, ${slot(`${name}.payload`)}::jsonb || jsonb_build_object(${sql.join(filled)}),
    ${slot(`${name}.dedupeKeyPrefix`)}::text || upd.calendar_id || ':' || upd.revision, ${slot(`${name}.userId`)}::bigint from upd ${condition}`;
}
