import { createHash, type Hash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../transaction.ts';
import type { TableDescription } from './table-catalog.ts';

/**
 * A row travels as PostgreSQL's own JSON of it (`to_jsonb(row)::text`), never as JavaScript values:
 * microseconds of timestamps, bytea, int8 beyond 2^53, arrays and jsonb all survive untouched, and
 * the target parses the text back with `jsonb_populate_recordset`. jsonb prints its keys in one
 * canonical order, so the same row gives the same text on PGlite and on PostgreSQL.
 */
export type RowText = string;

/** A table's row count and SHA-256 over its rows' JSON, each followed by a newline, in key order. */
export interface TableTally {
  readonly table: string;
  readonly rows: number;
  readonly sha256: string;
}

export class TallyCounter {
  readonly #hash: Hash = createHash('sha256');
  #rows = 0;
  #result: TableTally | undefined;
  readonly table: string;
  constructor(table: string) {
    this.table = table;
  }

  add(rows: readonly RowText[]): void {
    for (const row of rows) this.#hash.update(`${row}\n`);
    this.#rows += rows.length;
  }

  finish(): TableTally {
    this.#result ??= { table: this.table, rows: this.#rows, sha256: this.#hash.digest('hex') };
    return this.#result;
  }
}

// Rows are fetched a batch at a time, the batch sized so it holds about `targetBatchBytes` of JSON:
// thousands of small rows, or a handful of large calendar objects, so memory stays bounded.
const targetBatchBytes = 4 * 1024 * 1024;
const firstBatchRows = 200;
const maxBatchRows = 5000;

function orderClause(table: TableDescription): RawBuilder<unknown> {
  if (table.orderBy.length === 0) return sql`order by to_jsonb(t)::text collate "C"`;
  // Bytewise order for text keys: PGlite's and a server's default collations may sort differently.
  return sql`order by ${sql.join(
    table.orderBy.map((key) =>
      key.collatable ? sql`${sql.ref(`t.${key.column}`)} collate "C"` : sql.ref(`t.${key.column}`),
    ),
  )}`;
}

/**
 * The rows of `table` in key order, in batches, through a cursor of the open transaction
 * `executor` (so they belong to its snapshot). Works the same on PGlite, which cannot stream.
 */
export async function* readRows(executor: Executor, table: TableDescription): AsyncGenerator<RowText[]> {
  await sql`declare televent_transfer no scroll cursor for
    select to_jsonb(t)::text as row from ${sql.table(table.name)} t ${orderClause(table)}`.execute(executor);
  try {
    let batchRows = firstBatchRows;
    for (;;) {
      const { rows } = await sql<{ row: RowText }>`fetch forward ${sql.raw(String(batchRows))}
        from televent_transfer`.execute(executor);
      if (rows.length === 0) return;
      const texts = rows.map((r) => r.row);
      yield texts;
      const bytes = texts.reduce((sum, text) => sum + text.length, 0);
      batchRows = Math.max(1, Math.min(maxBatchRows, Math.floor((batchRows * targetBatchBytes) / bytes)));
    }
  } finally {
    await sql`close televent_transfer`.execute(executor);
  }
}

/** Count and checksum of `table` as `executor` sees it, computed as the source's were. */
export async function tallyTable(executor: Executor, table: TableDescription): Promise<TableTally> {
  const counter = new TallyCounter(table.name);
  for await (const batch of readRows(executor, table)) counter.add(batch);
  return counter.finish();
}

/**
 * Writes rows as they came from `readRows`. Identity columns keep their values (OVERRIDING SYSTEM
 * VALUE); generated columns are left to the target.
 */
export async function insertRows(
  executor: Executor,
  table: TableDescription,
  rows: readonly RowText[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = sql.join(table.writableColumns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(table.name)} (${columns}) overriding system value
    select ${columns} from jsonb_populate_recordset(null::${sql.table(table.name)}, ${`[${rows.join(',')}]`}::jsonb)`.execute(
    executor,
  );
}

/** Rows of no table at all: every table is empty. */
export async function nonEmptyTables(
  executor: Executor,
  tables: readonly TableDescription[],
): Promise<Array<{ table: string; rows: number }>> {
  const found: Array<{ table: string; rows: number }> = [];
  for (const table of tables) {
    const { rows } = await sql<{
      rows: number;
    }>`select count(*)::int as rows from ${sql.table(table.name)}`.execute(executor);
    const count = rows[0]?.rows ?? 0;
    if (count > 0) found.push({ table: table.name, rows: count });
  }
  return found;
}

/** The value each identity or serial sequence has handed out last (null: never used). */
export async function sequenceValues(
  executor: Executor,
  tables: readonly TableDescription[],
): Promise<SequenceValue[]> {
  const values: SequenceValue[] = [];
  for (const table of tables) {
    for (const { column, sequence } of table.sequences) {
      const { rows } = await sql<{ value: string | null }>`
        select pg_sequence_last_value(${sequence}::regclass)::text as value`.execute(executor);
      values.push({ table: table.name, column, value: rows[0]?.value ?? null });
    }
  }
  return values;
}

/** A sequence's last value as text (int8 may pass 2^53). */
export interface SequenceValue {
  readonly table: string;
  readonly column: string;
  readonly value: string | null;
}

/**
 * Sets each sequence of the loaded tables past both the source's last value and the largest value
 * copied, so the next row inserted on the target never collides with a copied one.
 */
export async function advanceSequences(
  executor: Executor,
  tables: readonly TableDescription[],
  sourceValues: readonly SequenceValue[],
): Promise<void> {
  for (const table of tables) {
    for (const { column, sequence } of table.sequences) {
      const source = sourceValues.find((v) => v.table === table.name && v.column === column)?.value ?? null;
      await sql`select setval(${sequence}::regclass, v, true)
        from (select greatest(${source}::bigint, max(${sql.ref(column)})::bigint) as v
                from ${sql.table(table.name)}) m
       where v is not null`.execute(executor);
    }
  }
}

/** Triggers (audit rows, NOTIFY, updated_at) stay quiet while rows are copied in, and only then. */
export async function setUserTriggers(
  executor: Executor,
  tables: readonly TableDescription[],
  enabled: boolean,
): Promise<void> {
  for (const table of tables) {
    await sql`alter table ${sql.table(table.name)} ${sql.raw(enabled ? 'enable' : 'disable')} trigger user`.execute(
      executor,
    );
  }
}
