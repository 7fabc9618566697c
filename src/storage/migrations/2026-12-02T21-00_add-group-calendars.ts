import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Group calendars (issue 14 item 2). A Telegram group that has a calendar is a row of `users`
 * under the group's chat id (Telegram's group ids are negative, its user ids positive, so the two
 * never meet): the group owns its calendar like a person does, reminders are planned for it and
 * sent to it, and its members reach the calendar through ordinary accepted calendar_shares, so
 * every door (agenda, web app, CalDAV) and every invalidation already holds for them.
 *
 * `telegram_groups` keeps what only a group has: the chat it lives in now (`chat_id` changes when
 * Telegram upgrades a group to a supergroup; `user_id` never does), whether members may change
 * events, and who made it. `group_announcements` holds the changes not yet told to the group: a
 * write to a group calendar adds one row in its own transaction, and the worker sends them as one
 * message per group and window, then deletes them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table telegram_groups (
    user_id bigint primary key references users (telegram_id) on delete cascade,
    chat_id bigint not null unique,
    calendar_id uuid not null references calendars (id) on delete cascade,
    member_access text not null default 'write' check (member_access in ('read', 'write')),
    created_by bigint references users (telegram_id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (user_id < 0 and chat_id < 0)
  )`.execute(db);
  await sql`create trigger telegram_groups_set_updated_at before update on telegram_groups
    for each row execute function set_updated_at()`.execute(db);
  await sql`create trigger telegram_groups_audit after insert or update or delete on telegram_groups
    for each row execute function write_audit_row('user_id', 'user_id')`.execute(db);

  await sql`create table group_announcements (
    id bigserial primary key,
    group_id bigint not null references telegram_groups (user_id) on delete cascade,
    href_name text not null,
    operation text not null check (operation in ('created', 'modified', 'deleted')),
    actor_id bigint,
    summary text,
    start_at timestamptz,
    all_day boolean not null default false,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index group_announcements_group_idx on group_announcements (group_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists group_announcements`.execute(db);
  await sql`drop table if exists telegram_groups`.execute(db);
}
