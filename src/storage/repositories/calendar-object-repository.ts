import type { Insertable, QueryCreator, Updateable } from 'kysely';
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
