import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * Several calendars per user (MKCALENDAR, RFC 4791 §5.3.1):
 * - drops calendars_one_per_owner_idx; (owner_id, slug) stays unique, so every existing calendar
 *   keeps its URL;
 * - calendars.supported_components: RFC 4791 §5.2.3 supported-calendar-component-set. Existing
 *   calendars keep what they accepted until now (VEVENT, VTODO, VJOURNAL).
 * Down fails while some user still has more than one calendar (the index cannot be rebuilt); delete
 * the extra calendars first.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists calendars_one_per_owner_idx`.execute(db);
  await sql`alter table calendars add column supported_components text[] not null
    default array['VEVENT', 'VTODO', 'VJOURNAL']
    constraint calendars_supported_components_known check (
      cardinality(supported_components) > 0
      and supported_components <@ array['VEVENT', 'VTODO', 'VJOURNAL']
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table calendars drop column if exists supported_components`.execute(db);
  await sql`create unique index calendars_one_per_owner_idx on calendars (owner_id)`.execute(db);
}
