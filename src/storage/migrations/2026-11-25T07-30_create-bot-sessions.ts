import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * The Telegram bot's per-user conversation state (an open /create flow, a quick-add draft),
 * kept in the database so a restart in the middle of a conversation continues where it was.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table bot_sessions (
    key text primary key,
    value jsonb not null,
    updated_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists bot_sessions`.execute(db);
}
