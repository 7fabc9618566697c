import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Tells every server process that a user's set of calendars changed: one made (MKCALENDAR, REST,
 * a subscription), deleted, renamed, recoloured, reordered or given other components. Payload
 * '<schema> u <owner id>' on the channel of 2026-11-25T09-00, so open change streams
 * (GET /api/changes) start watching a calendar made on another device and reread the list.
 * Sync-revision bumps do not fire it: object writes already notify per object.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function notify_calendar_list_change() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || old.owner_id);
      end if;
      if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.owner_id <> old.owner_id) then
        perform pg_notify('televent_cache', tg_table_schema || ' u ' || new.owner_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger calendars_notify_list
    after insert or delete or update of name, color, description, calendar_order, time_zone,
      supported_components, owner_id on calendars
    for each row execute function notify_calendar_list_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists calendars_notify_list on calendars`.execute(db);
  await sql`drop function if exists notify_calendar_list_change()`.execute(db);
}
