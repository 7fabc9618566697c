import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

const statements = [
  sql`create function set_updated_at() returns trigger language plpgsql as $$
    begin
      new.updated_at := now();
      return new;
    end $$`,

  // The audit log keeps who/what/when, never the row's values: personal data stays in one place
  // and disappears with the account (see README, "Data retention").
  sql`create table audit_log (
    id bigint generated always as identity primary key,
    table_name text not null,
    operation text not null,
    row_key text not null,
    user_id bigint,
    changed_columns text[] not null default '{}',
    changed_at timestamptz not null default now()
  )`,
  sql`create index audit_log_changed_at_idx on audit_log (changed_at)`,
  sql`create index audit_log_user_idx on audit_log (user_id)`,
  // TG_ARGV[0] names the key column, TG_ARGV[1] the column holding the owner's telegram id.
  sql`create function write_audit_row() returns trigger language plpgsql as $$
    declare
      old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
      new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
      subject jsonb := coalesce(new_row, old_row);
      columns text[] := '{}';
    begin
      if tg_op = 'UPDATE' then
        select coalesce(array_agg(n.key order by n.key), '{}') into columns
          from jsonb_each(new_row) n
          where n.key <> 'updated_at' and n.value is distinct from old_row -> n.key;
        if cardinality(columns) = 0 then
          return null;
        end if;
      end if;
      insert into audit_log (table_name, operation, row_key, user_id, changed_columns)
        values (tg_table_name, lower(tg_op), subject ->> tg_argv[0],
                (subject ->> tg_argv[1])::bigint, columns);
      return null;
    end $$`,

  sql`create table users (
    telegram_id bigint primary key,
    username text,
    first_name text,
    last_name text,
    time_zone text,
    locale text,
    bot_blocked_at timestamptz,
    deletion_requested_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create index users_deletion_requested_idx on users (deletion_requested_at)
    where deletion_requested_at is not null`,

  sql`create table preferences (
    user_id bigint primary key references users (telegram_id) on delete cascade,
    default_reminder_minutes integer not null default 15
      check (default_reminder_minutes between 0 and 40320),
    digest_enabled boolean not null default true,
    digest_time time not null default '08:00',
    updated_at timestamptz not null default now()
  )`,

  sql`create table calendars (
    id uuid primary key default gen_random_uuid(),
    owner_id bigint not null references users (telegram_id) on delete cascade,
    slug text not null,
    name text not null,
    color text,
    description text,
    calendar_order integer,
    time_zone text,
    sync_revision bigint not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (owner_id, slug)
  )`,
  // One calendar per user for now; dropping this index is all it takes to allow more.
  sql`create unique index calendars_one_per_owner_idx on calendars (owner_id)`,

  sql`create table calendar_objects (
    id uuid primary key default gen_random_uuid(),
    calendar_id uuid not null references calendars (id) on delete cascade,
    owner_id bigint not null references users (telegram_id) on delete cascade,
    href_name text not null,
    uid text not null,
    ical text not null,
    etag text not null,
    component_type text not null,
    summary text,
    start_at timestamptz,
    end_at timestamptz,
    all_day boolean not null default false,
    time_zone text,
    rrule text,
    series_first_start timestamptz,
    series_last_end timestamptz,
    status text,
    sequence integer not null default 0,
    revision bigint not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (calendar_id, href_name),
    unique (calendar_id, uid)
  )`,
  // Time-range prefilter: a null end means the series never ends.
  sql`create index calendar_objects_series_idx
    on calendar_objects (calendar_id, series_first_start, series_last_end)`,

  // RFC 6578: one row per change, tombstones included, so sync-collection costs O(changes).
  sql`create table calendar_changes (
    calendar_id uuid not null references calendars (id) on delete cascade,
    revision bigint not null,
    href_name text not null,
    operation text not null check (operation in ('created', 'modified', 'deleted')),
    changed_at timestamptz not null default now(),
    primary key (calendar_id, revision)
  )`,
  sql`create index calendar_changes_href_idx on calendar_changes (calendar_id, href_name, revision)`,

  sql`create table device_passwords (
    id uuid primary key default gen_random_uuid(),
    user_id bigint not null references users (telegram_id) on delete cascade,
    name text not null,
    password_hash text not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    updated_at timestamptz not null default now(),
    unique (user_id, name)
  )`,

  sql`create table outbox_messages (
    id bigint generated always as identity primary key,
    kind text not null,
    payload jsonb not null,
    dedupe_key text unique,
    status text not null default 'pending'
      check (status in ('pending', 'processing', 'done', 'failed', 'cancelled')),
    attempts integer not null default 0,
    max_attempts integer not null default 8,
    run_at timestamptz not null default now(),
    locked_at timestamptz,
    locked_by text,
    last_error text,
    user_id bigint,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create index outbox_messages_pending_idx on outbox_messages (run_at) where status = 'pending'`,
  sql`create index outbox_messages_processing_idx on outbox_messages (locked_at)
    where status = 'processing'`,
  sql`create index outbox_messages_user_idx on outbox_messages (user_id) where user_id is not null`,

  // One-time login links: only the SHA-256 of the token is stored.
  sql`create table login_tokens (
    token_hash text primary key,
    user_id bigint not null references users (telegram_id) on delete cascade,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`,
  sql`create table web_sessions (
    token_hash text primary key,
    user_id bigint not null references users (telegram_id) on delete cascade,
    expires_at timestamptz not null,
    created_at timestamptz not null default now()
  )`,
  sql`create index web_sessions_user_idx on web_sessions (user_id)`,
];

const updatedAtTables = [
  'users',
  'preferences',
  'calendars',
  'calendar_objects',
  'device_passwords',
  'outbox_messages',
];
const auditedTables: ReadonlyArray<[table: string, key: string, owner: string]> = [
  ['users', 'telegram_id', 'telegram_id'],
  ['preferences', 'user_id', 'user_id'],
  ['calendars', 'id', 'owner_id'],
  ['calendar_objects', 'id', 'owner_id'],
  ['device_passwords', 'id', 'user_id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
  for (const table of updatedAtTables) {
    await sql`create trigger ${sql.raw(`${table}_set_updated_at`)} before update on ${sql.table(table)}
      for each row execute function set_updated_at()`.execute(db);
  }
  for (const [table, key, owner] of auditedTables) {
    await sql`create trigger ${sql.raw(`${table}_audit`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function write_audit_row(${sql.lit(key)}, ${sql.lit(owner)})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'web_sessions',
    'login_tokens',
    'outbox_messages',
    'device_passwords',
    'calendar_changes',
    'calendar_objects',
    'calendars',
    'preferences',
    'users',
    'audit_log',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop function if exists write_audit_row()`.execute(db);
  await sql`drop function if exists set_updated_at()`.execute(db);
}
