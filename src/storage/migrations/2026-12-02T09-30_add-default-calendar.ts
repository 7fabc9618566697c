import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * preferences.default_calendar_id: the calendar the bot's quick add and /create put events in when
 * the user does not pick one (issue 13). Null means the first (oldest) calendar, as before; deleting
 * the chosen calendar sets it back to null rather than blocking the deletion.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table preferences add column default_calendar_id uuid
    references calendars(id) on delete set null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table preferences drop column if exists default_calendar_id`.execute(db);
}
