import type { DatabaseHandle } from '../database.ts';
import { BackupFileError, openBackupFile, writeBackupFile } from './backup-file.ts';
import type { TransferSummary } from './data-move.ts';
import { DataTransferError, loadTables, matchMigrations } from './load-target.ts';
import { withSnapshot } from './snapshot.ts';
import { describeSchemaDifference, describeTables } from './table-catalog.ts';

/** `televent backup FILE`: one consistent snapshot of every table, written to FILE. */
export async function backupDatabase(
  database: Pick<DatabaseHandle, 'db' | 'engine'>,
  file: string,
  televentVersion: string,
): Promise<TransferSummary> {
  return withSnapshot(database.db, async (snapshot) => {
    if (snapshot.migrations.length === 0) {
      throw new DataTransferError('the database has no schema yet: there is nothing to back up');
    }
    const tables = await writeBackupFile(snapshot, file, { engine: database.engine, televentVersion });
    return { migration: snapshot.migrations.at(-1) ?? '', takenAt: snapshot.takenAt, tables };
  });
}

/**
 * `televent restore FILE`: loads a backup into this database in one transaction. The database
 * must be at the backup's migration (one never migrated is migrated to it first) and empty, unless
 * `replace`: then every row of every table is deleted first, in that same transaction. Each
 * table's rows are checked against the file's checksums as they are read and against the
 * database's after loading; any mismatch rolls everything back.
 */
export async function restoreDatabase(
  database: Pick<DatabaseHandle, 'db' | 'engine' | 'location'>,
  file: string,
  options: { replace: boolean },
): Promise<TransferSummary & { televentVersion: string }> {
  const backup = await openBackupFile(file);
  try {
    const { header } = backup;
    const targetName = `the database (${database.location})`;
    await matchMigrations(database.db, database.engine, header.migrations, targetName);
    const present = await describeTables(database.db);
    const difference = describeSchemaDifference(header.tables, present);
    if (difference)
      throw new DataTransferError(`${targetName} has another schema than ${file}: ${difference}`);
    // In the file's order, which puts parents first, described as this database has them.
    const tables = header.tables.map((t) => {
      const table = present.find((p) => p.name === t.name);
      if (!table) throw new BackupFileError(file, `names table ${t.name}, which this database lacks`);
      return table;
    });
    const loaded = await loadTables(
      database.db,
      { tables, rows: backup.rows, tally: backup.tally, sequences: backup.sequences },
      { replace: options.replace, targetName },
    );
    return {
      migration: header.migration,
      takenAt: header.createdAt,
      televentVersion: header.televentVersion,
      tables: loaded,
    };
  } finally {
    await backup.close();
  }
}
