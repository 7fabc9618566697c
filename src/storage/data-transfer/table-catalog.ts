import { sql } from 'kysely';
import type { Executor } from '../transaction.ts';

/**
 * The tables a move, backup or restore carries, read from PostgreSQL's catalog rather than listed
 * by hand: a table a later migration adds is carried without anyone remembering to add it here.
 * Only Kysely's own bookkeeping is left out (the target is migrated by the migrations themselves).
 */
const bookkeepingTables = ['kysely_migration', 'kysely_migration_lock'];

export interface TableDescription {
  readonly name: string;
  /** Every column in table order; the generated ones are recomputed by the target, never written. */
  readonly columns: readonly string[];
  readonly writableColumns: readonly string[];
  /** The primary key's columns (in key order), text ones compared bytewise so both engines agree. */
  readonly orderBy: ReadonlyArray<{ column: string; collatable: boolean }>;
  /** Identity and serial columns with their sequence (schema-qualified, as PostgreSQL names it). */
  readonly sequences: ReadonlyArray<{ column: string; sequence: string }>;
}

interface ColumnRow {
  table: string;
  column: string;
  generated: boolean;
  collatable: boolean;
  sequence: string | null;
  key_position: number | null;
}

/** Every table of the current schema, parents before the tables whose foreign keys name them. */
export async function describeTables(executor: Executor): Promise<TableDescription[]> {
  const { rows: columns } = await sql<ColumnRow>`
    select c.relname as "table", a.attname as "column", a.attgenerated <> '' as generated,
           t.typcollation <> 0 as collatable,
           pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) as sequence,
           array_position(k.indkey::int2[], a.attnum) as key_position
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
      left join pg_index k on k.indrelid = c.oid and k.indisprimary
     where n.nspname = current_schema() and c.relkind = 'r'
     order by c.relname, a.attnum`.execute(executor);
  const { rows: references } = await sql<{ table: string; parent: string }>`
    select c.relname as "table", p.relname as parent
      from pg_constraint f
      join pg_class c on c.oid = f.conrelid
      join pg_class p on p.oid = f.confrelid
      join pg_namespace n on n.oid = c.relnamespace
     where f.contype = 'f' and n.nspname = current_schema() and c.oid <> p.oid`.execute(executor);

  const tables = new Map<string, ColumnRow[]>();
  for (const row of columns) {
    if (bookkeepingTables.includes(row.table)) continue;
    tables.set(row.table, [...(tables.get(row.table) ?? []), row]);
  }
  const described = new Map<string, TableDescription>();
  for (const [name, rows] of tables) {
    described.set(name, {
      name,
      columns: rows.map((r) => r.column),
      writableColumns: rows.filter((r) => !r.generated).map((r) => r.column),
      orderBy: rows
        .filter((r) => r.key_position !== null)
        .sort((a, b) => (a.key_position ?? 0) - (b.key_position ?? 0))
        .map((r) => ({ column: r.column, collatable: r.collatable })),
      sequences: rows.flatMap((r) => (r.sequence ? [{ column: r.column, sequence: r.sequence }] : [])),
    });
  }
  return parentsFirst(described, references);
}

/** Depth-first topological order, ties by name, so every run lists the tables the same way. */
function parentsFirst(
  tables: Map<string, TableDescription>,
  references: ReadonlyArray<{ table: string; parent: string }>,
): TableDescription[] {
  const ordered: TableDescription[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: readonly string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new Error(`the tables' foreign keys form a cycle (${[...path, name].join(' → ')})`);
    }
    state.set(name, 'visiting');
    const parents = references
      .filter((r) => r.table === name && tables.has(r.parent))
      .map((r) => r.parent)
      .sort();
    for (const parent of parents) visit(parent, [...path, name]);
    state.set(name, 'done');
    const table = tables.get(name);
    if (table) ordered.push(table);
  };
  for (const name of [...tables.keys()].sort()) visit(name, []);
  return ordered;
}

/** The same tables with the same columns, or the sentence saying how they differ. */
export function describeSchemaDifference(
  expected: readonly Pick<TableDescription, 'name' | 'columns'>[],
  actual: readonly Pick<TableDescription, 'name' | 'columns'>[],
): string | undefined {
  const actualByName = new Map(actual.map((t) => [t.name, t]));
  for (const table of expected) {
    const other = actualByName.get(table.name);
    if (!other) return `table ${table.name} is missing`;
    if (other.columns.join(',') !== table.columns.join(',')) {
      return `table ${table.name} has columns (${other.columns.join(', ')}), expected (${table.columns.join(', ')})`;
    }
  }
  const extra = actual.find((t) => !expected.some((e) => e.name === t.name));
  return extra ? `table ${extra.name} is not in the source` : undefined;
}

/** Session settings under which both engines print every value the same way (and UTC times). */
export async function useCanonicalOutput(executor: Executor): Promise<void> {
  await sql`set local timezone = 'UTC'`.execute(executor);
  await sql`set local datestyle = 'ISO, YMD'`.execute(executor);
  await sql`set local intervalstyle = 'iso_8601'`.execute(executor);
  await sql`set local bytea_output = 'hex'`.execute(executor);
  await sql`set local extra_float_digits = 1`.execute(executor);
}
