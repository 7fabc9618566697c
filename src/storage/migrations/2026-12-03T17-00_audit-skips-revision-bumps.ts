import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration never imports application code (Kysely migrations guide).

/**
 * A calendar's sync revision moves with every object written to it, and that write is audited on
 * the object's own row: an audit row per revision bump said nothing new and cost every write an
 * insert. Like `updated_at`, `sync_revision` alone no longer makes an audit row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await auditFunction(db, ['updated_at', 'sync_revision']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await auditFunction(db, ['updated_at']);
}

/** write_audit_row of 2026-11-25T06-00, with the columns whose change alone is not audited. */
async function auditFunction(db: Kysely<any>, unaudited: string[]): Promise<void> {
  await sql`create or replace function write_audit_row() returns trigger language plpgsql as $$
    declare
      old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
      new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
      subject jsonb := coalesce(new_row, old_row);
      columns text[] := '{}';
    begin
      if tg_op = 'UPDATE' then
        select coalesce(array_agg(n.key order by n.key), '{}') into columns
          from jsonb_each(new_row) n
          where n.key not in (${sql.join(unaudited.map((c) => sql.lit(c)))}) and n.value is distinct from old_row -> n.key;
        if cardinality(columns) = 0 then
          return null;
        end if;
      end if;
      insert into audit_log (table_name, operation, row_key, user_id, changed_columns)
        values (tg_table_name, lower(tg_op), subject ->> tg_argv[0],
                (subject ->> tg_argv[1])::bigint, columns);
      return null;
    end $$`.execute(db);
}
