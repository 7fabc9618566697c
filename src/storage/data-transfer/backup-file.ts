import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { DatabaseEngine } from '../database.ts';
import type { Snapshot } from './snapshot.ts';
import type { TableDescription } from './table-catalog.ts';
import { type RowText, type SequenceValue, type TableTally, TallyCounter } from './table-rows.ts';

/**
 * The backup file: gzip'd JSON lines, written and read a line at a time so memory stays bounded.
 *
 *   {"format":"televent-backup","formatVersion":1,"televentVersion":…,"createdAt":…,"engine":…,
 *    "migration":…,"migrations":[…],"tables":[{"name":…,"columns":[…]},…]}
 *   {"table":"users"}                      then one {"row":…} line per row, in key order,
 *   {"tableEnd":"users","rows":3,"sha256":…}   for each table, parents before children;
 *   {"sequences":[{"table":…,"column":…,"value":…},…]}
 *   {"end":{"tables":[{"table":…,"rows":…,"sha256":…},…]}}
 *
 * A row is PostgreSQL's JSON of it (table-rows.ts), written as it came; its checksum is the one
 * `data move` prints, so a backup's figures can be compared with the database's.
 */
export const backupFormat = 'televent-backup';
export const backupFormatVersion = 1;

export interface BackupHeader {
  readonly format: typeof backupFormat;
  readonly formatVersion: number;
  readonly televentVersion: string;
  /** The snapshot's moment, ISO 8601 UTC. */
  readonly createdAt: string;
  readonly engine: DatabaseEngine;
  readonly migration: string;
  readonly migrations: readonly string[];
  readonly tables: ReadonlyArray<{ name: string; columns: readonly string[] }>;
}

const rowPrefix = '{"row":';

async function* backupLines(
  snapshot: Snapshot,
  header: BackupHeader,
  tallies: TableTally[],
): AsyncGenerator<string> {
  yield `${JSON.stringify(header)}\n`;
  for (const table of snapshot.tables) {
    yield `${JSON.stringify({ table: table.name })}\n`;
    for await (const batch of snapshot.rows(table)) {
      yield batch.map((row) => `${rowPrefix}${row}}\n`).join('');
    }
    const tally = snapshot.tally(table);
    tallies.push(tally);
    yield `${JSON.stringify({ tableEnd: table.name, rows: tally.rows, sha256: tally.sha256 })}\n`;
  }
  yield `${JSON.stringify({ sequences: await snapshot.sequences() })}\n`;
  yield `${JSON.stringify({ end: { tables: tallies } })}\n`;
}

/**
 * Writes `snapshot` to `file` (owner-only), through a temporary file beside it that is renamed
 * into place once complete: a failed backup never leaves a partial file under the name, and a
 * scheduled backup replaces yesterday's only with a whole one.
 */
export async function writeBackupFile(
  snapshot: Snapshot,
  file: string,
  about: { engine: DatabaseEngine; televentVersion: string },
): Promise<TableTally[]> {
  const header: BackupHeader = {
    format: backupFormat,
    formatVersion: backupFormatVersion,
    televentVersion: about.televentVersion,
    createdAt: snapshot.takenAt,
    engine: about.engine,
    migration: snapshot.migrations.at(-1) ?? '',
    migrations: snapshot.migrations,
    tables: snapshot.tables.map((t) => ({ name: t.name, columns: t.columns })),
  };
  const folder = dirname(file);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not writable';
    throw new BackupFileError(file, `cannot be written: the folder ${folder} ${problem}`, { cause: error });
  }
  const partial = `${file}.partial-${process.pid}`;
  const tallies: TableTally[] = [];
  try {
    await pipeline(
      // One batch in flight: the default would queue sixteen (64 MB of rows) ahead of gzip.
      Readable.from(backupLines(snapshot, header, tallies), { highWaterMark: 1 }),
      createGzip(),
      createWriteStream(partial, { mode: 0o600, flags: 'wx' }),
    );
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return tallies;
}

/** A backup file that cannot be used as it is: not one, damaged, or cut short. */
export class BackupFileError extends Error {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file} ${problem}`, options);
    this.name = 'BackupFileError';
  }
}

/** The file's lines, unzipped as they are read. */
async function* fileLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const input = createReadStream(file);
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip).setEncoding('utf8');
  let rest = '';
  for await (const chunk of gunzip as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    yield* lines;
  }
  if (rest !== '') yield rest;
}

/** An open backup file: its header, then its tables' rows in the order they were written. */
export interface BackupReader {
  readonly header: BackupHeader;
  /** The rows of `table`, which must be the file's next table. */
  rows(table: TableDescription): AsyncIterable<RowText[]>;
  tally(table: TableDescription): TableTally;
  sequences(): Promise<readonly SequenceValue[]>;
  close(): Promise<void>;
}

const readBatchBytes = 4 * 1024 * 1024;

export async function openBackupFile(file: string): Promise<BackupReader> {
  if (!existsSync(file)) throw new BackupFileError(file, 'does not exist');
  const lines = fileLines(file);
  const next = async (): Promise<string> => {
    const { value, done } = await lines.next().catch((error: unknown) => {
      throw new BackupFileError(file, `cannot be read as a gzip'd Televent backup (${messageOf(error)})`, {
        cause: error,
      });
    });
    if (done) throw new BackupFileError(file, 'ends early: the backup is incomplete');
    return value;
  };
  const record = async (): Promise<Record<string, unknown>> => {
    const line = await next();
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new BackupFileError(file, 'holds a line that is not JSON: the file is damaged');
    }
  };
  const header = (await record()) as unknown as BackupHeader;
  if (header.format !== backupFormat) throw new BackupFileError(file, 'is not a Televent backup');
  if (header.formatVersion !== backupFormatVersion) {
    throw new BackupFileError(
      file,
      `is a backup in format ${header.formatVersion}; this version of Televent reads format ${backupFormatVersion}`,
    );
  }
  const tallies = new Map<string, TallyCounter>();
  return {
    header,
    async *rows(table) {
      const start = await record();
      if (start.table !== table.name) {
        throw new BackupFileError(
          file,
          `has ${JSON.stringify(start)} where table ${table.name} should begin`,
        );
      }
      const counter = new TallyCounter(table.name);
      tallies.set(table.name, counter);
      let batch: RowText[] = [];
      let bytes = 0;
      for (;;) {
        const line = await next();
        if (!line.startsWith(rowPrefix)) {
          if (batch.length > 0) yield batch;
          const end = JSON.parse(line) as { tableEnd?: string; rows?: number; sha256?: string };
          const read = counter.finish();
          if (end.tableEnd !== table.name || end.rows !== read.rows || end.sha256 !== read.sha256) {
            throw new BackupFileError(
              file,
              `is damaged: table ${table.name} has ${read.rows} rows (sha256 ${read.sha256}) but the file records ${end.rows} (sha256 ${end.sha256})`,
            );
          }
          return;
        }
        const row = line.slice(rowPrefix.length, -1);
        counter.add([row]);
        batch.push(row);
        bytes += row.length;
        if (bytes >= readBatchBytes || batch.length >= 5000) {
          yield batch;
          batch = [];
          bytes = 0;
        }
      }
    },
    tally(table) {
      const counter = tallies.get(table.name);
      if (!counter) throw new Error(`table ${table.name} was not read`);
      return counter.finish();
    },
    async sequences() {
      const { sequences } = (await record()) as { sequences?: SequenceValue[] };
      if (!Array.isArray(sequences)) throw new BackupFileError(file, 'has no sequences where they belong');
      const { end } = (await record()) as { end?: unknown };
      if (end === undefined) throw new BackupFileError(file, 'has no end record: the backup is incomplete');
      return sequences;
    },
    close: async () => {
      await lines.return(undefined);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
