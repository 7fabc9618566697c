import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Calendars shared with other users (issue 14). A share is offered by the calendar's owner to one
 * user (sharee_id) or, until someone claims it, to whoever opens an invite link (sharee_id null,
 * invite_token_hash set: only the SHA-256 of the link's secret is kept). It is 'pending' until the
 * sharee accepts; declining, leaving or revoking deletes it. `slug` names the calendar in the
 * sharee's own calendar home, so CalDAV clients find it beside their own calendars.
 *
 * Every change tells every process (channel of 2026-11-25T09-00): '<schema> c <calendar id>' drops
 * the GET bodies it cached for that calendar under any address, so a revoked sharee is refused on
 * the next request; '<schema> u <user>' for owner and sharee rereads their calendar lists in open
 * change streams. Renaming or deleting a calendar now tells its sharees too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table calendar_shares (
    id uuid primary key default gen_random_uuid(),
    calendar_id uuid not null references calendars (id) on delete cascade,
    owner_id bigint not null references users (telegram_id) on delete cascade,
    sharee_id bigint references users (telegram_id) on delete cascade,
    access text not null check (access in ('read', 'write')),
    status text not null default 'pending' check (status in ('pending', 'accepted')),
    slug text not null,
    invite_token_hash text unique,
    accepted_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (sharee_id is not null or invite_token_hash is not null),
    check (sharee_id is distinct from owner_id),
    unique (calendar_id, sharee_id),
    unique (sharee_id, slug)
  )`.execute(db);
  await sql`create index calendar_shares_sharee_idx on calendar_shares (sharee_id, status)`.execute(db);
  await sql`create index calendar_shares_owner_idx on calendar_shares (owner_id)`.execute(db);
  await sql`create trigger calendar_shares_set_updated_at before update on calendar_shares
    for each row execute function set_updated_at()`.execute(db);
  await sql`create trigger calendar_shares_audit after insert or update or delete on calendar_shares
    for each row execute function write_audit_row('id', 'owner_id')`.execute(db);

  await sql`create function notify_calendar_share_change() returns trigger language plpgsql as $$
    declare
      subject record;
    begin
      if tg_op = 'DELETE' then
        subject := old;
      else
        subject := new;
      end if;
      perform pg_notify('televent_cache', tg_table_schema || ' c ' || subject.calendar_id);
      perform pg_notify('televent_cache', tg_table_schema || ' u ' || subject.owner_id);
      if subject.sharee_id is not null then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || subject.sharee_id);
      end if;
      if tg_op = 'UPDATE' and old.sharee_id is not null and old.sharee_id is distinct from new.sharee_id then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || old.sharee_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger calendar_shares_notify
    after insert or update or delete on calendar_shares
    for each row execute function notify_calendar_share_change()`.execute(db);

  // The list notice of 2026-12-02T11-00, now also for everyone the calendar is shared with.
  await sql`create or replace function notify_calendar_list_change() returns trigger language plpgsql as $$
    declare
      sharee bigint;
    begin
      if tg_op <> 'INSERT' then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || old.owner_id);
        for sharee in select s.sharee_id from calendar_shares s
            where s.calendar_id = old.id and s.sharee_id is not null loop
          perform pg_notify('televent_cache', tg_table_schema || ' u ' || sharee);
        end loop;
      end if;
      if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.owner_id <> old.owner_id) then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || new.owner_id);
      end if;
      return null;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create or replace function notify_calendar_list_change() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || old.owner_id);
      end if;
      if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.owner_id <> old.owner_id) then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || new.owner_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`drop table if exists calendar_shares`.execute(db);
  await sql`drop function if exists notify_calendar_share_change()`.execute(db);
}
