import { sql } from 'kysely';
import type { ChangeOperation } from '../schema.ts';
import type { Executor } from '../transaction.ts';

export async function appendChange(
  db: Executor,
  change: { calendarId: string; revision: number; hrefName: string; operation: ChangeOperation },
): Promise<void> {
  await db
    .insertInto('calendar_changes')
    .values({
      calendar_id: change.calendarId,
      revision: change.revision,
      href_name: change.hrefName,
      operation: change.operation,
    })
    .execute();
}

export interface HrefChange {
  hrefName: string;
  operation: ChangeOperation;
  revision: number;
}

/** RFC 6578: the latest change of every member touched after `sinceRevision`, oldest first. */
export async function changesSince(
  db: Executor,
  calendarId: string,
  sinceRevision: number,
): Promise<HrefChange[]> {
  const rows = await db
    .selectFrom('calendar_changes')
    .select(['href_name', 'operation', 'revision'])
    .distinctOn('href_name')
    .where('calendar_id', '=', calendarId)
    .where('revision', '>', sinceRevision)
    .orderBy('href_name')
    .orderBy('revision', 'desc')
    .execute();
  return rows
    .map((r) => ({ hrefName: r.href_name, operation: r.operation, revision: r.revision }))
    .sort((a, b) => a.revision - b.revision);
}

/** The oldest revision a sync token may name and still be answered from the log. */
export async function oldestRetainedRevision(db: Executor, calendarId: string): Promise<number> {
  const row = await db
    .selectFrom('calendar_changes')
    .select(sql<number | null>`min(revision) - 1`.as('oldest'))
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst();
  return row?.oldest ?? 0;
}
