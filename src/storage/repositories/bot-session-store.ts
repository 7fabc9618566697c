import { sql } from 'kysely';
import type { Executor } from '../transaction.ts';

/**
 * Key-value storage for the bot's sessions, shaped like grammY's StorageAdapter (read, write,
 * delete) without depending on grammY. Values are JSON documents.
 */
export interface BotSessionStore<T> {
  read(key: string): Promise<T | undefined>;
  write(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createBotSessionStore<T>(db: Executor): BotSessionStore<T> {
  return {
    async read(key) {
      const row = await db
        .selectFrom('bot_sessions')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return undefined;
      // pg parses jsonb into objects; a driver that returns text is read the same way.
      return (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as T;
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      await db
        .insertInto('bot_sessions')
        .values({ key, value: sql`${json}::jsonb` })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: sql`${json}::jsonb`, updated_at: sql<Date>`now()` }),
        )
        .execute();
    },
    async delete(key) {
      await db.deleteFrom('bot_sessions').where('key', '=', key).execute();
    },
  };
}

/** Forgets a user's conversation state (account erasure). Keys are the Telegram user id. */
export async function deleteBotSessionsOfUser(db: Executor, telegramId: number): Promise<void> {
  await db.deleteFrom('bot_sessions').where('key', '=', String(telegramId)).execute();
}
