import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createServices } from '../../src/app/services.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';

/** Benchmarks run on real PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server. */
export const benchDatabaseUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema on PostgreSQL, migrated, with services over it; `url` points a server process at it. */
export async function openBenchDatabase() {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: benchDatabaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await createDatabase({ databaseUrl: benchDatabaseUrl, searchPath: schema, poolSize: 10 });
  await migrateToLatest(handle.db);
  const url = new URL(benchDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    handle,
    services: createServices(handle.db),
    url: url.toString(),
    async drop() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: benchDatabaseUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    },
  };
}
