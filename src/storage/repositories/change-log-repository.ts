import { type RawBuilder, sql } from 'kysely';
import type { ChangeOperation } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import type { CalendarMember, IndexedMember } from './calendar-member-repository.ts';
import { type OutboxMessage, toOutboxRow } from './outbox-repository.ts';

type NewChange = { calendarId: string; revision: number; hrefName: string; operation: ChangeOperation };

function changeRow(change: NewChange) {
  return {
    calendar_id: change.calendarId,
    revision: change.revision,
    href_name: change.hrefName,
    operation: change.operation,
  };
}

export async function appendChange(db: Executor, change: NewChange): Promise<void> {
  await db.insertInto('calendar_changes').values(changeRow(change)).execute();
}

/**
 * `appendChange` and the outbox messages that go with it, in one statement (one round trip while
 * the writer holds its calendar's lock). Messages are inserted as `enqueueMessages` does.
 */
export async function appendChangeWithMessages(
  db: Executor,
  change: NewChange,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return appendChange(db, change);
  await db
    .with('change', (qb) => qb.insertInto('calendar_changes').values(changeRow(change)).returning('revision'))
    .insertInto('outbox_messages')
    .values(messages.map(toOutboxRow))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export interface HrefChange {
  hrefName: string;
  operation: ChangeOperation;
  revision: number;
}

/** A member changed since a revision, with its stored object when it still exists. */
export interface MemberChange extends HrefChange {
  object: CalendarMember | undefined;
}

/**
 * RFC 6578: the latest change of every member touched after `sinceRevision`, oldest first, each
 * with its stored object unless deleted, and the oldest revision a token may name and still be
 * answered from the log: one round trip. The revision range is read through the primary key
 * (calendar_id, revision), so the cost follows the number of changes, never the calendar's size.
 */
export async function membersChangedSince(
  db: Executor,
  calendarId: string,
  sinceRevision: number,
): Promise<{ oldestRetainedRevision: number; changes: MemberChange[] }> {
  return latestChanges(db, calendarId, sinceRevision, sql`o.ical`, (row, common) => ({
    ...common,
    ical: row.ical as string,
  }));
}

/** A member changed since a revision as the member index keeps it (no text, with series bounds). */
export interface IndexedMemberChange extends HrefChange {
  object: IndexedMember | undefined;
}

/** `membersChangedSince` for the process's member index (app/calendar-member-index.ts). */
export async function indexedMembersChangedSince(
  db: Executor,
  calendarId: string,
  sinceRevision: number,
): Promise<{ oldestRetainedRevision: number; changes: IndexedMemberChange[] }> {
  return latestChanges(
    db,
    calendarId,
    sinceRevision,
    sql`octet_length(o.ical) as size, o.series_first_start as "seriesFirstStart", o.series_last_end as "seriesLastEnd"`,
    (row, common) => ({
      ...common,
      size: row.size as number,
      seriesFirstStart: row.seriesFirstStart as Date | null,
      seriesLastEnd: row.seriesLastEnd as Date | null,
    }),
  );
}

type CommonObjectColumns = Omit<CalendarMember, 'ical'>;

async function latestChanges<T>(
  db: Executor,
  calendarId: string,
  sinceRevision: number,
  extraColumns: RawBuilder<unknown>,
  toObject: (row: Record<string, unknown>, common: CommonObjectColumns) => T,
): Promise<{ oldestRetainedRevision: number; changes: Array<HrefChange & { object: T | undefined }> }> {
  const { rows } = await sql<{
    oldest: number | null;
    hrefName: string | null;
    operation: ChangeOperation | null;
    revision: number | null;
    id: string | null;
    etag: string;
    componentType: string;
    updatedAt: Date;
    objectRevision: number;
    [extra: string]: unknown;
  }>`
    select retained.oldest, latest.href_name as "hrefName", latest.operation, latest.revision,
      o.id, o.etag, o.component_type as "componentType", o.updated_at as "updatedAt",
      o.revision as "objectRevision", ${extraColumns}
    from (select min(revision) - 1 as oldest from calendar_changes where calendar_id = ${calendarId}) retained
    left join lateral (
      select distinct on (href_name) href_name, operation, revision from calendar_changes
      where calendar_id = ${calendarId} and revision > ${sinceRevision}
      order by href_name, revision desc
    ) latest on true
    left join calendar_objects o
      on latest.operation <> 'deleted' and o.calendar_id = ${calendarId} and o.href_name = latest.href_name
  `.execute(db);
  const changes: Array<HrefChange & { object: T | undefined }> = [];
  for (const row of rows) {
    if (row.hrefName === null || row.operation === null || row.revision === null) continue;
    const object =
      row.id === null
        ? undefined
        : toObject(row, {
            id: row.id,
            hrefName: row.hrefName,
            etag: row.etag,
            componentType: row.componentType,
            updatedAt: row.updatedAt,
            revision: row.objectRevision,
          });
    changes.push({ hrefName: row.hrefName, operation: row.operation, revision: row.revision, object });
  }
  changes.sort((a, b) => a.revision - b.revision);
  return { oldestRetainedRevision: rows[0]?.oldest ?? 0, changes };
}
