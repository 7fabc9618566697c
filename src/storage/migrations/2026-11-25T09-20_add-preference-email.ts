import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * An optional email address the user sets themselves (bot /email, PATCH /api/preferences): where
 * the data export and the account-deletion notice are mailed. Null means "no email"; it is never
 * required. The app validates the address; the check only keeps obvious garbage out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table preferences add column email text
    constraint preferences_email_shape check (email is null or (length(email) <= 254 and email like '_%@_%'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table preferences drop column if exists email`.execute(db);
}
