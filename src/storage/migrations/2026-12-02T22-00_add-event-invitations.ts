import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Invitations (issue 14 item 3). One row per attendee of an event whose organizer is the owner of
 * the calendar it is in: who was invited (a Televent user, or only an e-mail address), what they
 * answered, what they were last told (a fingerprint of the event's times, title and place, so an
 * answer written into the event is not told again as a change) and where their own copy lives once
 * they accepted. The organizer's event stays the truth: answers are written into it, and the rows
 * are rebuilt from it on every change. Rows outlive a deleted event as cancelled, so a late answer
 * is told it is off.
 *
 * Users are found by e-mail (an ATTENDEE mailto: a Televent user's /email): indexed lower-cased.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table event_invitations (
    id uuid primary key default gen_random_uuid(),
    organizer_id bigint not null references users (telegram_id) on delete cascade,
    calendar_id uuid not null references calendars (id) on delete cascade,
    uid text not null,
    organizer_address text not null,
    sequence integer not null default 0,
    attendee_address text not null,
    attendee_id bigint references users (telegram_id) on delete cascade,
    attendee_name text,
    partstat text not null default 'NEEDS-ACTION',
    summary text,
    start_at timestamptz,
    all_day boolean not null default false,
    fingerprint text not null,
    copy_calendar_id uuid references calendars (id) on delete set null,
    copy_href text,
    cancelled_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (calendar_id, uid, attendee_address)
  )`.execute(db);
  await sql`create index event_invitations_attendee_idx on event_invitations (attendee_id)`.execute(db);
  await sql`create index event_invitations_organizer_idx on event_invitations (organizer_id, created_at)`.execute(
    db,
  );
  await sql`create index event_invitations_copy_idx on event_invitations (copy_calendar_id, copy_href)`.execute(
    db,
  );
  await sql`create trigger event_invitations_set_updated_at before update on event_invitations
    for each row execute function set_updated_at()`.execute(db);
  await sql`create trigger event_invitations_audit after insert or update or delete on event_invitations
    for each row execute function write_audit_row('id', 'organizer_id')`.execute(db);
  await sql`create index preferences_email_idx on preferences (lower(email)) where email is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists preferences_email_idx`.execute(db);
  await sql`drop table if exists event_invitations`.execute(db);
}
