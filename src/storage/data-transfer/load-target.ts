import { type Kysely, sql, type Transaction } from 'kysely';
import { appliedMigrations, migrateUpTo } from '../migrate.ts';
import type { Database } from '../schema.ts';
import { serverHoldsDatabase } from '../serving-lock.ts';
import {
  describeSchemaDifference,
  describeTables,
  type TableDescription,
  useCanonicalOutput,
} from './table-catalog.ts';
import {
  advanceSequences,
  insertRows,
  nonEmptyTables,
  type RowText,
  type SequenceValue,
  setUserTriggers,
  type TableTally,
  tallyTable,
} from './table-rows.ts';

/** A move or restore that was refused or failed; nothing in the target changed. */
export class DataTransferError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataTransferError';
  }
}

/**
 * Brings an unmigrated target to the source's exact migration; a target already migrated must be
 * at that same migration (a move never upgrades or downgrades data on the way).
 */
export async function matchMigrations(
  target: Kysely<Database>,
  engine: 'pglite' | 'postgres',
  sourceMigrations: readonly string[],
  targetName: string,
): Promise<void> {
  if (engine === 'postgres' && (await serverHoldsDatabase(target))) {
    throw new DataTransferError(
      `a Televent server is running on ${targetName}; stop it first (nothing changed)`,
    );
  }
  const last = sourceMigrations.at(-1);
  if (last === undefined)
    throw new DataTransferError('the source has no schema yet: there is nothing to copy');
  const applied = await appliedMigrations(target);
  if (applied.length === 0) {
    await migrateUpTo(target, last);
    return;
  }
  if (applied.join('\n') !== sourceMigrations.join('\n')) {
    throw new DataTransferError(
      `${targetName} is at migration ${applied.at(-1)}, the data at ${last}; ` +
        'they must match (an empty, unmigrated database is migrated to match by itself)',
    );
  }
}

/** What the source side hands the loader: its tables in load order, and each one's rows. */
export interface RowSource {
  readonly tables: readonly TableDescription[];
  /** The rows of `table`, in batches; the tally of what it handed over once it is done. */
  rows(table: TableDescription): AsyncIterable<RowText[]>;
  tally(table: TableDescription): TableTally;
  /** Read after every table: the source's sequence values. */
  sequences(): Promise<readonly SequenceValue[]>;
}

/**
 * Copies every row of `source` into `target` in one transaction: refuses a target with other
 * tables or columns, or with any row at all unless `replace` (then every table is emptied first,
 * in the same transaction); keeps triggers quiet while loading; sets sequences past the copied
 * values; and reads everything back, committing only when each table's count and checksum match
 * the source's. Any failure rolls the whole of it back.
 */
export async function loadTables(
  target: Kysely<Database>,
  source: RowSource,
  options: { replace: boolean; targetName: string },
): Promise<TableTally[]> {
  return target.transaction().execute(async (trx) => {
    await useCanonicalOutput(trx);
    const present = await describeTables(trx);
    const difference = describeSchemaDifference(source.tables, present);
    if (difference) {
      throw new DataTransferError(`${options.targetName} has another schema than the data: ${difference}`);
    }
    // The source's order (parents first), described as the target has them: its sequences are its own.
    const tables = source.tables.map((s) => present.find((t) => t.name === s.name) ?? s);
    await emptyOrRefuse(trx, tables, options);
    await setUserTriggers(trx, tables, false);
    const expected: TableTally[] = [];
    for (const [i, table] of tables.entries()) {
      const from = source.tables[i] ?? table;
      for await (const batch of source.rows(from)) await insertRows(trx, table, batch);
      expected.push(source.tally(from));
    }
    await advanceSequences(trx, tables, await source.sequences());
    await setUserTriggers(trx, tables, true);
    for (const [i, table] of tables.entries()) {
      const loaded = await tallyTable(trx, table);
      const wanted = expected[i];
      if (wanted && (loaded.rows !== wanted.rows || loaded.sha256 !== wanted.sha256)) {
        throw new DataTransferError(
          `table ${table.name} does not match after loading (${loaded.rows} rows, sha256 ${loaded.sha256}; ` +
            `expected ${wanted.rows} rows, sha256 ${wanted.sha256}); nothing was kept`,
        );
      }
    }
    return expected;
  });
}

async function emptyOrRefuse(
  trx: Transaction<Database>,
  tables: readonly TableDescription[],
  options: { replace: boolean; targetName: string },
): Promise<void> {
  const occupied = await nonEmptyTables(trx, tables);
  if (occupied.length === 0) return;
  if (!options.replace) {
    const listed = occupied.map((t) => `${t.table}: ${t.rows}`).join(', ');
    throw new DataTransferError(`${options.targetName} already holds data (${listed}); nothing changed`);
  }
  await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))}`.execute(trx);
}
