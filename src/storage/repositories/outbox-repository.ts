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
    .values(
      messages.map((m) => ({
        kind: m.kind,
        payload: JSON.stringify(m.payload),
        dedupe_key: m.dedupeKey ?? null,
        run_at: m.runAt ?? new Date(),
        user_id: m.userId ?? null,
        ...(m.maxAttempts === undefined ? {} : { max_attempts: m.maxAttempts }),
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
