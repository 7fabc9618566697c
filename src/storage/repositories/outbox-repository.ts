import type { Executor } from '../transaction.ts';

export interface OutboxMessage {
  kind: string;
  payload: unknown;
  /** Enqueueing twice with one key keeps the first row (idempotent enqueue). */
  dedupeKey?: string | undefined;
  runAt?: Date | undefined;
  userId?: number | undefined;
  maxAttempts?: number | undefined;
}

/**
 * Most bind parameters one statement may carry. PostgreSQL's wire protocol counts them in 16
 * bits (65,535 at most, "bind message supplies N parameters"); staying well below also keeps
 * one statement's parse and plan small. Every bulk statement of the outbox is cut to this.
 */
export const maxBindParameters = 10_000;

/** `items` cut into runs that bind at most `maxBindParameters` with `parametersPerItem` each. */
export function withinBindLimit<T>(items: readonly T[], parametersPerItem: number): T[][] {
  const size = Math.max(1, Math.floor(maxBindParameters / Math.max(1, parametersPerItem)));
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Columns an INSERT of these rows binds per row (rows may differ: the widest counts). */
export function columnsPerRow(rows: readonly object[]): number {
  return Math.max(1, ...rows.map((row) => Object.keys(row).length));
}

/**
 * Inserts outbox rows in the caller's transaction: if it rolls back, so do the jobs. Many rows
 * go in several statements, each within the bind-parameter limit.
 */
export async function enqueueMessages(db: Executor, messages: readonly OutboxMessage[]): Promise<void> {
  const rows = messages.map(toOutboxRow);
  for (const chunk of withinBindLimit(rows, columnsPerRow(rows))) {
    await db
      .insertInto('outbox_messages')
      .values(chunk)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

/** The row an outbox message becomes (shared by plain and scheduled enqueueing). */
export function toOutboxRow(message: OutboxMessage) {
  return {
    kind: message.kind,
    payload: JSON.stringify(message.payload),
    dedupe_key: message.dedupeKey ?? null,
    run_at: message.runAt ?? new Date(),
    user_id: message.userId ?? null,
    ...(message.maxAttempts === undefined ? {} : { max_attempts: message.maxAttempts }),
  };
}

/**
 * Whether a pending message of this kind waits for this user, locking it until the caller's
 * transaction ends: a worker's claim (FOR UPDATE SKIP LOCKED) passes it by until then, so what
 * the caller writes beside it is committed before the message can run.
 */
export async function lockPendingMessage(db: Executor, userId: number, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('outbox_messages')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Cancels a user's still pending messages of one kind (a claimed or finished message is left alone). */
export async function cancelPendingMessages(db: Executor, userId: number, kind: string): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set({ status: 'cancelled' })
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .execute();
}
