import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import {
  createDatabase,
  type DatabaseEngine,
  type DatabaseHandle,
  pgliteParsers,
  pgliteStartParams,
  wrapPGlite,
} from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

/** The engine this run tests: PGlite unless TEST_ENGINE=postgres (scripts/run-tests.js sets it). */
export const testEngine: DatabaseEngine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase extends DatabaseHandle {
  /** The PostgreSQL URL and schema of this database, for processes started by the test. */
  readonly url?: string;
  readonly schema?: string;
}

/**
 * A fresh, migrated database for one test file: a copy of the migrated PGlite snapshot, or
 * its own schema on the PostgreSQL at TEST_DATABASE_URL (pg-boss gives each test a schema too).
 */
export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (testEngine === 'pglite') {
    const pglite = migrated
      ? await PGlite.create({
          loadDataDir: new Blob([readFileSync(inject('pgliteSnapshot'))]),
          parsers: pgliteParsers,
          startParams: pgliteStartParams,
        })
      : await PGlite.create({ parsers: pgliteParsers, startParams: pgliteStartParams });
    return wrapPGlite(pglite, 'memory://test');
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await createDatabase({ databaseUrl: url, searchPath: schema, poolSize: 5 });
  const close = async () => {
    await handle.close();
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`drop schema if exists ${schema} cascade`);
    await cleanup.end();
  };
  try {
    if (migrated) await migrateToLatest(handle.db);
  } catch (error) {
    await close();
    throw error;
  }
  return { ...handle, url, schema, close };
}

/** The URL a process the test starts (the CLI, a server) uses for this database's own schema. */
export function processDatabaseUrl(database: TestDatabase): string {
  const url = new URL(database.url ?? '');
  url.searchParams.set('options', `-c search_path=${database.schema}`);
  return url.toString();
}

/**
 * Where the processes a test starts keep their data: a folder of their own (`env.DATA_DIR`, under
 * `root`) and, in the PostgreSQL pass, a schema of their own (`env.DATABASE_URL`).
 */
export async function openProcessPlace(prefix: string): Promise<{
  root: string;
  env: Record<string, string>;
  database: TestDatabase | undefined;
  close(): Promise<void>;
}> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const env: Record<string, string> = { DATA_DIR: join(root, 'data') };
  const database = testEngine === 'postgres' ? await openTestDatabase() : undefined;
  if (database) env.DATABASE_URL = processDatabaseUrl(database);
  return {
    root,
    env,
    database,
    close: async () => {
      await database?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
