import { existsSync, rmSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { checkDatabaseUrl } from '../check-database-url.ts';
import { createDatabase, type DatabaseHandle, redactUrl } from '../database.ts';
import type { Database } from '../schema.ts';
import { loadTables, matchMigrations } from './load-target.ts';
import { withSnapshot } from './snapshot.ts';
import type { TableTally } from './table-rows.ts';

/** Where `televent data move --to` copies to: a PostgreSQL URL, or a folder for embedded PGlite. */
export type MoveTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** What a move, backup or restore carried, table by table, as verified on the other side. */
export interface TransferSummary {
  /** The database's migration: the schema the rows belong to. */
  readonly migration: string;
  /** When the snapshot was taken, ISO 8601 UTC. */
  readonly takenAt: string;
  readonly tables: readonly TableTally[];
}

function describeTarget(target: MoveTarget): string {
  return target.kind === 'postgres' ? redactUrl(target.url) : `the embedded database in ${target.dataDir}`;
}

async function openTarget(target: MoveTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    await checkDatabaseUrl(target.url, undefined, '--to');
    return createDatabase({ databaseUrl: target.url, poolSize: 2 });
  }
  if (existsSync(`${target.dataDir.replace(/\/$/, '')}/pgdata`)) {
    throw new Error(`${target.dataDir} already holds an embedded database; give an empty or new folder`);
  }
  return createDatabase({ dataDir: target.dataDir });
}

/**
 * Copies every table of `source`, as of one snapshot, into an empty target (migrated first to the
 * source's migration if it has none), in one transaction that commits only once every table's
 * count and checksum match. A new embedded database made for the move is removed if it fails.
 */
export async function moveData(source: Kysely<Database>, target: MoveTarget): Promise<TransferSummary> {
  const targetName = describeTarget(target);
  const handle = await openTarget(target);
  let moved = false;
  try {
    const summary = await withSnapshot(source, async (snapshot) => {
      await matchMigrations(handle.db, handle.engine, snapshot.migrations, targetName);
      const tables = await loadTables(handle.db, snapshot, { replace: false, targetName });
      return { migration: snapshot.migrations.at(-1) ?? '', takenAt: snapshot.takenAt, tables };
    });
    moved = true;
    return summary;
  } finally {
    await handle.close();
    if (!moved && target.kind === 'pglite') {
      rmSync(`${target.dataDir.replace(/\/$/, '')}/pgdata`, { recursive: true, force: true });
    }
  }
}
