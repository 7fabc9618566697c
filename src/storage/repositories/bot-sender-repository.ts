import { sql } from 'kysely';
import type { UserRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';

/**
 * The user row and the bot session of one sender, in one round trip: the bot needs both on every
 * update. Either may be absent (first contact; no conversation in progress).
 */
export async function findUserAndSession(
  db: Executor,
  telegramId: number,
  sessionKey: string,
): Promise<{ user: UserRow | undefined; session: unknown }> {
  // The one-row derived table keeps a row in the answer when neither exists.
  const { rows } = await sql<UserRow & { session_value: unknown }>`
    select u.*, s.value as session_value
    from (select 1) as one
    left join users u on u.telegram_id = ${telegramId}
    left join bot_sessions s on s.key = ${sessionKey}`.execute(db);
  const row = rows[0];
  if (!row) return { user: undefined, session: undefined };
  const { session_value: value, ...user } = row;
  return {
    user: user.telegram_id === null ? undefined : (user as UserRow),
    // pg parses jsonb into objects; a driver that returns text is read the same way.
    session: typeof value === 'string' ? JSON.parse(value) : (value ?? undefined),
  };
}
