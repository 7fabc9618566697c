import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { RowSource } from './load-target.ts';
import { describeTables, type TableDescription, useCanonicalOutput } from './table-catalog.ts';
import { readRows, type SequenceValue, sequenceValues, type TableTally, TallyCounter } from './table-rows.ts';

/** A database as of one moment: every table read in one REPEATABLE READ, read-only transaction. */
export interface Snapshot extends RowSource {
  /** When the snapshot was taken (the transaction's start), ISO 8601 in UTC. */
  readonly takenAt: string;
  readonly migrations: readonly string[];
}

/**
 * Runs `work` over a consistent snapshot of `db`. On PostgreSQL the server keeps serving meanwhile
 * (MVCC); embedded PGlite has one connection, which the snapshot holds until `work` is done, so the
 * server's requests wait that long.
 */
export async function withSnapshot<T>(
  db: Kysely<Database>,
  work: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // First statement of the transaction: every later read sees the same moment.
    await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    await useCanonicalOutput(trx);
    const { rows } = await sql<{ taken_at: string }>`
      select to_jsonb(transaction_timestamp()) #>> '{}' as taken_at`.execute(trx);
    const tables = await describeTables(trx);
    const { rows: bookkeeping } = await sql<{ present: boolean }>`
      select to_regclass('kysely_migration') is not null as present`.execute(trx);
    const { rows: applied } = bookkeeping[0]?.present
      ? await sql<{ name: string }>`select name from kysely_migration order by name`.execute(trx)
      : { rows: [] };
    const tallies = new Map<string, TallyCounter>();
    let sequences: readonly SequenceValue[] | undefined;
    return work({
      takenAt: rows[0]?.taken_at ?? '',
      migrations: applied.map((m) => m.name),
      tables,
      async *rows(table: TableDescription) {
        const counter = new TallyCounter(table.name);
        tallies.set(table.name, counter);
        for await (const batch of readRows(trx, table)) {
          counter.add(batch);
          yield batch;
        }
      },
      tally(table: TableDescription): TableTally {
        const counter = tallies.get(table.name);
        if (!counter) throw new Error(`table ${table.name} was not read`);
        return counter.finish();
      },
      async sequences() {
        sequences ??= await sequenceValues(trx, tables);
        return sequences;
      },
    });
  });
}
