import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import { seedFromTemplate } from './pglite-template.ts';
import { preparingPool } from './prepared-statements.ts';
import { ensurePrivateDirectory, restrictTree } from './private-files.ts';
import { traceQuery } from './query-spans.ts';
import type { Database } from './schema.ts';

export type DatabaseEngine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** Where the data lives, for log lines (the URL without its password, or the PGlite folder). */
  readonly location: string;
  /** The embedded database itself (PGlite only): its LISTEN feeds the in-process caches. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

// Both engines hand back the same JavaScript shapes: int8 as number (every id and counter here
// stays far below 2^53), DATE as its 'YYYY-MM-DD' text (a Date would invent a time zone).
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

export const pgliteParsers = { [INT8_OID]: (v: string) => Number(v), [DATE_OID]: (v: string) => v };

/**
 * The embedded engine's start parameters: PGlite's own, with 32 MB of shared buffers instead of
 * initdb's 128 MB. PostgreSQL touches all of its shared memory at start, and in WebAssembly that
 * memory is the server's own and never given back: an open PGlite held 296 MB RSS with 128 MB and
 * 192 MB with 32 MB here (a 40 MB table inserted and read back three times: 494 → 340 MB). One
 * person's calendars fit in 32 MB many times over, and the OS page cache still holds the files.
 */
export const pgliteStartParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL only: the schema to work in (tests give each file its own). */
  searchPath?: string | undefined;
  poolSize?: number | undefined;
}

/** PGlite in `dataDir` when no URL is given, PostgreSQL through `pg` otherwise. */
export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: preparingPool(pool) }),
      log: traceQuery,
    });
    return {
      db,
      engine: 'postgres',
      location: redactUrl(options.databaseUrl),
      close: () => db.destroy(),
    };
  }
  const dataDir = options.dataDir ?? './data';
  const pgdata = `${dataDir.replace(/\/$/, '')}/pgdata`;
  // Owner-only before PostgreSQL reads a byte (an older install may have left its tree 0755/0666),
  // again once initdb and start-up have written theirs, and again after the shutdown checkpoint.
  ensurePrivateDirectory(dataDir);
  seedFromTemplate(pgdata);
  restrictTree(pgdata);
  const pglite = await PGlite.create(pgdata, { parsers: pgliteParsers, startParams: pgliteStartParams });
  restrictTree(pgdata);
  const handle = wrapPGlite(pglite, pgdata);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      restrictTree(pgdata);
    },
  };
}

/** A Kysely handle over an already open PGlite (tests load one from a migrated snapshot). */
export function wrapPGlite(pglite: PGlite, location: string): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: traceQuery });
  const close = async () => {
    await db.destroy();
    // Kysely skips its driver's destroy() when no query ever ran; PGlite must still be closed.
    if (!pglite.closed) await pglite.close();
  };
  return { db, engine: 'pglite', location, pglite, close };
}

/** Resolves when the database answers a trivial query (the health check's probe). */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}
