import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * The secret read-only feed URL of a calendar (GET /feeds/<secret>.ics): at most one per calendar,
 * replaced on rotation and deleted on revocation. Only a SHA-256 of the secret is kept, like
 * login_tokens and web_sessions, so a copy of the database cannot be turned into working URLs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table calendar_feeds (
    calendar_id uuid primary key references calendars (id) on delete cascade,
    token_hash text not null unique,
    created_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists calendar_feeds`.execute(db);
}
