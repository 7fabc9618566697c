import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Wakes idle workers when jobs arrive: one NOTIFY per inserting statement (not per row), sent at
 * commit, so a rolled-back enqueue wakes nobody. The channel carries no payload; workers claim
 * with FOR UPDATE SKIP LOCKED either way, so a missed or extra wake-up costs only a poll.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function notify_outbox_insert() returns trigger language plpgsql as $$
    begin
      perform pg_notify('televent_outbox', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger outbox_messages_notify after insert on outbox_messages
    for each statement execute function notify_outbox_insert()`.execute(db);
  // Rescheduling an event cancels its pending reminders by key prefix ('reminder:<object id>:').
  await sql`create index outbox_messages_pending_key_idx on outbox_messages (dedupe_key text_pattern_ops)
    where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_messages_pending_key_idx`.execute(db);
  await sql`drop trigger if exists outbox_messages_notify on outbox_messages`.execute(db);
  await sql`drop function if exists notify_outbox_insert()`.execute(db);
}
