import { sql } from 'kysely';
import type { ChangeOperation } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import { type OutboxMessage, toOutboxRow } from './outbox-repository.ts';

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

/**
 * `appendChange` and the outbox messages that go with it, in one statement (one round trip while
 * the writer holds its calendar's lock). Messages are inserted as `enqueueMessages` does.
 */
export async function appendChangeWithMessages(
  db: Executor,
  change: { calendarId: string; revision: number; hrefName: string; operation: ChangeOperation },
  messages: readonly OutboxMessage[],
): Promise<void> {
  await db
    .with('change', (qb) =>
      qb
        .insertInto('calendar_changes')
        .values({
          calendar_id: change.calendarId,
          revision: change.revision,
          href_name: change.hrefName,
          operation: change.operation,
        })
        .returning('revision'),
    )
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

/**
 * RFC 6578: the latest change of every member touched after `sinceRevision`, oldest first.
 * Reads the revision range through the primary key (calendar_id, revision) and keeps the last
 * change per href here, so the cost follows the number of changes, never the calendar's size.
 */
export async function changesSince(
  db: Executor,
  calendarId: string,
  sinceRevision: number,
): Promise<HrefChange[]> {
  const rows = await db
    .selectFrom('calendar_changes')
    .select(['href_name', 'operation', 'revision'])
    .where('calendar_id', '=', calendarId)
    .where('revision', '>', sinceRevision)
    .orderBy('revision')
    .execute();
  const latest = new Map<string, HrefChange>();
  for (const row of rows) {
    latest.delete(row.href_name);
    latest.set(row.href_name, { hrefName: row.href_name, operation: row.operation, revision: row.revision });
  }
  return [...latest.values()];
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
