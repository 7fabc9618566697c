import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Two settings of the bot's /settings:
 * - users.language: the language the user chose ('en' or 'ru'). Null means "follow Telegram": the
 *   bot then speaks from users.locale (Telegram's language_code), which is refreshed on every
 *   contact and so cannot hold a choice of its own.
 * - preferences.default_reminder_enabled: false when the user wants no reminder for events that
 *   have none of their own ("None"); default_reminder_minutes keeps the lead time for later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users add column language text
    constraint users_language_known check (language is null or language in ('en', 'ru'))`.execute(db);
  await sql`alter table preferences add column default_reminder_enabled boolean not null default true`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table preferences drop column if exists default_reminder_enabled`.execute(db);
  await sql`alter table users drop column if exists language`.execute(db);
}
