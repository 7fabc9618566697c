// `npm run bench:data -- [--objects 20000]`: how long `televent backup`, `restore` and `data move`
// take, and the most memory each process held, run as an operator runs them (the real CLI, no
// server), for an embedded database and a PostgreSQL one holding that many calendar objects
// (about 1.3 kB of iCalendar each, with their change-log rows). Memory comes from GNU time
// (/usr/bin/time) when it is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { createServices } from '../src/app/services.ts';
import { createDatabase, type DatabaseHandle } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { televentBin } from '../test/support/run-televent.ts';
import { benchDatabaseUrl } from './support/bench-database.ts';

const { values } = parseArgs({ options: { objects: { type: 'string', default: '20000' } } });
const objects = Number(values.objects);
const folder = mkdtempSync(join(tmpdir(), 'televent-bench-data-'));
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Fills a migrated database with `objects` events in one user's calendar. */
async function seed(database: DatabaseHandle): Promise<void> {
  await migrateToLatest(database.db);
  const services = createServices(database.db);
  await services.accounts.ensureUser({ telegramId: 1001, timeZone: 'Europe/Berlin' });
  const calendar = (await services.calendars.defaultCalendar(1001)).id;
  const description = 'x'.repeat(1000);
  await sql`insert into calendar_objects (calendar_id, owner_id, href_name, uid, ical, etag, component_type,
      summary, start_at, end_at, all_day, revision)
    select ${calendar}::uuid, 1001, 'e' || g || '.ics', 'uid-' || g,
           E'BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nBEGIN:VEVENT\\r\\nUID:uid-' || g ||
           E'\\r\\nDTSTART:20260101T090000Z\\r\\nSUMMARY:Event ' || g || E'\\r\\nDESCRIPTION:' || ${description} ||
           E'\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n',
           md5(g::text), 'VEVENT', 'Event ' || g, now(), now() + interval '1 hour', false, g
      from generate_series(1, ${objects}) g`.execute(database.db);
  await sql`insert into calendar_changes (calendar_id, revision, href_name, operation)
    select ${calendar}::uuid, g, 'e' || g || '.ics', 'created' from generate_series(1, ${objects}) g`.execute(
    database.db,
  );
  await sql`update calendars set sync_revision = ${objects} where id = ${calendar}::uuid`.execute(
    database.db,
  );
}

/** A new, empty schema on the bench PostgreSQL, as the URL an operator would give. */
async function emptySchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_data_${Math.random().toString(36).slice(2, 10)}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: benchDatabaseUrl });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await run(`create schema ${schema}`);
  const url = new URL(benchDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`drop schema if exists ${schema} cascade`) };
}

/** Runs one CLI command line; its wall time and (with GNU time) peak RSS. */
function televent(label: string, args: string[], env: Record<string, string>): void {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...rest } = process.env;
  const command = [process.execPath, televentBin, ...args];
  const started = performance.now();
  const result = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', ...command], {
        env: { ...rest, LOG_LEVEL: 'warn', ...env },
        encoding: 'utf8',
      })
    : spawnSync(command[0] ?? '', command.slice(1), {
        env: { ...rest, LOG_LEVEL: 'warn', ...env },
        encoding: 'utf8',
      });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${label} failed:\n${result.stdout}\n${result.stderr}`);
  const rssKb = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN;
  const rss = Number.isNaN(rssKb) ? 'n/a' : `${Math.round(rssKb / 1024)} MB`;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s   peak RSS ${rss}`);
}

console.log(`${objects} calendar objects with their change-log and audit rows, Node ${process.version}`);
const embeddedDir = join(folder, 'data');
const embedded = await createDatabase({ dataDir: embeddedDir });
await seed(embedded);
await embedded.close();
const postgres = await emptySchema();
const seededPostgres = await createDatabase({ databaseUrl: postgres.url, poolSize: 2 });
await seed(seededPostgres);
await seededPostgres.close();
const moved = await emptySchema();
const restored = await emptySchema();
try {
  const embeddedFile = join(folder, 'embedded.jsonl.gz');
  const postgresFile = join(folder, 'postgres.jsonl.gz');
  televent('backup, embedded', ['backup', embeddedFile], { DATA_DIR: embeddedDir });
  televent('backup, PostgreSQL', ['backup', postgresFile], { DATABASE_URL: postgres.url });
  console.log(`backup file: ${(statSync(postgresFile).size / 1024 / 1024).toFixed(1)} MB`);
  televent('restore into a new PostgreSQL schema', ['restore', postgresFile], { DATABASE_URL: restored.url });
  televent('restore into a new embedded folder', ['restore', embeddedFile], {
    DATA_DIR: join(folder, 'restored'),
  });
  televent('data move, embedded → new PostgreSQL schema', ['data', 'move', '--to', moved.url], {
    DATA_DIR: embeddedDir,
  });
} finally {
  await postgres.drop();
  await moved.drop();
  await restored.drop();
  rmSync(folder, { recursive: true, force: true });
}
