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

/** Inserts outbox rows in the caller's transaction: if it rolls back, so do the jobs. */
export async function enqueueMessages(db: Executor, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbox_messages')
    .values(messages.map(toOutboxRow))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
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
