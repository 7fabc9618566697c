import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Tells every server process which of its in-memory caches (verified device passwords, GET
 * bodies) a committed write made stale. Payload: '<schema> d <user id>' for a user's device
 * passwords, '<schema> o <calendar id> <href name>' for one calendar object, '<schema> c <calendar
 * id>' for a whole calendar. The schema lets processes sharing one database ignore the others'.
 * NOTIFY is sent at commit and identical payloads of one transaction are sent once. Row-level
 * triggers also fire for rows removed by ON DELETE CASCADE, so erasing a user reaches the caches.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // New device passwords invalidate nothing (only verified pairs are cached), and last_used_at
  // updates must not evict every active client once a minute: only a changed hash or a delete.
  await sql`create function notify_device_password_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('televent_cache', tg_table_schema || ' d ' || old.user_id);
      if tg_op = 'UPDATE' and new.user_id <> old.user_id then
        perform pg_notify('televent_cache', tg_table_schema || ' d ' || new.user_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger device_passwords_notify_cache
    after delete or update of password_hash, user_id on device_passwords
    for each row execute function notify_device_password_change()`.execute(db);

  // NOTIFY payloads stop at 8000 bytes: an unusually long href name invalidates its calendar.
  await sql`create function notify_calendar_object_change() returns trigger language plpgsql as $$
    declare
      subject record;
    begin
      if tg_op = 'DELETE' then
        subject := old;
      else
        subject := new;
      end if;
      if octet_length(subject.href_name) > 2000 then
        perform pg_notify('televent_cache', tg_table_schema || ' c ' || subject.calendar_id);
      else
        perform pg_notify('televent_cache',
          tg_table_schema || ' o ' || subject.calendar_id || ' ' || subject.href_name);
      end if;
      if tg_op = 'UPDATE' and (new.calendar_id, new.href_name) <> (old.calendar_id, old.href_name) then
        perform pg_notify('televent_cache', tg_table_schema || ' c ' || old.calendar_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger calendar_objects_notify_cache
    after insert or update or delete on calendar_objects
    for each row execute function notify_calendar_object_change()`.execute(db);

  // A calendar that moves or disappears takes every cached object under its old address along.
  await sql`create function notify_calendar_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('televent_cache', tg_table_schema || ' c ' || old.id);
      return null;
    end $$`.execute(db);
  await sql`create trigger calendars_notify_cache
    after delete or update of slug, owner_id on calendars
    for each row execute function notify_calendar_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists calendars_notify_cache on calendars`.execute(db);
  await sql`drop function if exists notify_calendar_change()`.execute(db);
  await sql`drop trigger if exists calendar_objects_notify_cache on calendar_objects`.execute(db);
  await sql`drop function if exists notify_calendar_object_change()`.execute(db);
  await sql`drop trigger if exists device_passwords_notify_cache on device_passwords`.execute(db);
  await sql`drop function if exists notify_device_password_change()`.execute(db);
}
