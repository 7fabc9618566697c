import type { Executor } from '../transaction.ts';
import { deleteBotSessionsOfUser } from './bot-session-store.ts';

/**
 * Erases one account for good, in the caller's transaction: the users row (its ON DELETE
 * CASCADE takes preferences, calendars, events, change log, device passwords, login links and
 * sessions), the bot's conversation state (bot_sessions, keyed by the Telegram id, no foreign
 * key), every other outbox job of the user, and the personal data in the audit log.
 *
 * What the audit log keeps (README, "Data retention"): table, operation, changed column names
 * and time, nothing else. user_id becomes null and row_key becomes 'erased', because both are
 * or point to the Telegram id. The erasure job itself keeps its status but loses its payload,
 * key and user id.
 */
export async function eraseUserData(
  db: Executor,
  userId: number,
  erasureJobId: number,
): Promise<{ userDeleted: boolean; jobsDeleted: number; auditRowsStripped: number }> {
  const jobs = await db
    .deleteFrom('outbox_messages')
    .where('user_id', '=', userId)
    .where('id', '<>', erasureJobId)
    .executeTakeFirst();
  await deleteBotSessionsOfUser(db, userId);
  const user = await db.deleteFrom('users').where('telegram_id', '=', userId).executeTakeFirst();
  // After the delete: the cascade itself writes audit rows naming the user.
  const audit = await db
    .updateTable('audit_log')
    .set({ user_id: null, row_key: 'erased' })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  await db
    .updateTable('outbox_messages')
    .set({ user_id: null, dedupe_key: null, payload: JSON.stringify({ erased: true }) })
    .where('id', '=', erasureJobId)
    .execute();
  return {
    userDeleted: Number(user.numDeletedRows) > 0,
    jobsDeleted: Number(jobs.numDeletedRows),
    auditRowsStripped: Number(audit.numUpdatedRows),
  };
}

/** Deletes audit rows written before `before` (retention: two years). */
export async function purgeAuditLog(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('audit_log').where('changed_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The deletion request of a user, with the row locked so that an undo cannot race the erasure. */
export async function lockDeletionRequest(
  db: Executor,
  userId: number,
): Promise<{ deletionRequestedAt: Date | null } | undefined> {
  return db
    .selectFrom('users')
    .select('deletion_requested_at as deletionRequestedAt')
    .where('telegram_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}
