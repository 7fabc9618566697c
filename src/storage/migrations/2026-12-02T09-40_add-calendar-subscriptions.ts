import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * A calendar that follows an external ICS feed (issue 13 item 5): at most one feed per calendar,
 * gone with its calendar. While the row exists the calendar is read-only for every door; the
 * worker fetches it when `next_fetch_at` is due, revalidating with the stored ETag and
 * Last-Modified. `last_error` is a stable reason code and a sentence, shown to the user.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table calendar_subscriptions (
    calendar_id uuid primary key references calendars (id) on delete cascade,
    url text not null,
    etag text,
    last_modified text,
    last_attempt_at timestamptz,
    last_success_at timestamptz,
    next_fetch_at timestamptz not null default now(),
    failure_count integer not null default 0,
    -- The feed's own REFRESH-INTERVAL / X-PUBLISHED-TTL, clamped; null: the default.
    refresh_interval_seconds integer,
    last_error text,
    -- Until the first successful fetch names it, the calendar takes the feed's X-WR-CALNAME.
    name_from_feed boolean not null default false,
    -- The last refresh a person asked for (at most one a minute).
    refresh_requested_at timestamptz,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index calendar_subscriptions_due on calendar_subscriptions (next_fetch_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists calendar_subscriptions`.execute(db);
}
