import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../../src/storage/data-transfer/backup.ts';
import { appliedMigrations } from '../../../src/storage/migrate.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import {
  type ClientState,
  expectCalendarAppCarriesOn,
  expectEveryTableSeeded,
  seedEveryTable,
  tallies,
} from './transfer-fixtures.ts';

function linesOf(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
}

describe(`televent backup and restore [${testEngine}]`, () => {
  let database: TestDatabase;
  let password: string;
  let client: ClientState;
  let folder: string;
  let backupFile: string;
  let backedUp: Awaited<ReturnType<typeof tallies>>;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'televent-backup-'));
    backupFile = join(folder, 'televent.jsonl.gz');
    database = await openTestDatabase();
    ({ password, client } = await seedEveryTable(database));
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('writes an owner-only, self-describing file whose figures are the database’s', async () => {
    await expectEveryTableSeeded(database);
    backedUp = await tallies(database);
    const summary = await backupDatabase(database, backupFile, '9.9.9');
    expect(summary.tables).toEqual(backedUp);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);

    const lines = linesOf(backupFile);
    const header = JSON.parse(lines[0] ?? '{}');
    expect(header).toMatchObject({
      format: 'televent-backup',
      formatVersion: 1,
      televentVersion: '9.9.9',
      engine: testEngine,
      migration: (await appliedMigrations(database.db)).at(-1),
    });
    expect(header.tables.map((t: { name: string }) => t.name).sort()).toEqual(
      backedUp.map((t) => t.table).sort(),
    );
    expect(Date.parse(header.createdAt)).not.toBeNaN();
    expect(JSON.parse(lines.at(-1) ?? '{}')).toEqual({ end: { tables: backedUp } });
    // Parents before children: a user's row comes before the rows that name the user.
    expect(lines.indexOf('{"table":"users"}')).toBeLessThan(lines.indexOf('{"table":"calendar_objects"}'));
  });

  it('drill: backup → wipe → restore gives every object back byte for byte, and the old sync token carries on', {
    timeout: 120_000,
  }, async () => {
    // Wiped: every table, function and migration record gone, as on a new database.
    const schema = sql.id(database.schema ?? 'public');
    await sql`drop schema ${schema} cascade`.execute(database.db);
    await sql`create schema ${schema}`.execute(database.db);
    expect(await appliedMigrations(database.db)).toEqual([]);

    const restored = await restoreDatabase(database, backupFile, { replace: false });
    expect(restored.tables).toEqual(backedUp);
    expect(await tallies(database)).toEqual(backedUp);
    await expectCalendarAppCarriesOn(database, password, client);
  });

  it('refuses a database that holds data without --force; with it, replaces everything in one go', {
    timeout: 120_000,
  }, async () => {
    // The drill above wrote one more event after restoring.
    const changed = await tallies(database);
    expect(changed).not.toEqual(backedUp);
    await expect(restoreDatabase(database, backupFile, { replace: false })).rejects.toThrow(
      /already holds data \(.*calendar_objects: \d+.*\); nothing changed/,
    );
    expect(await tallies(database)).toEqual(changed);

    await restoreDatabase(database, backupFile, { replace: true });
    expect(await tallies(database)).toEqual(backedUp);
    await expectCalendarAppCarriesOn(database, password, client);
  });

  it('refuses a damaged, cut-short or foreign file, and the database keeps what it had', async () => {
    const before = await tallies(database);
    const lines = linesOf(backupFile);
    const damaged = join(folder, 'damaged.jsonl.gz');
    writeFileSync(
      damaged,
      gzipSync(lines.map((l) => l.replace('Stand-up (long)', 'Stand-up (LONG)')).join('\n')),
    );
    await expect(restoreDatabase(database, damaged, { replace: true })).rejects.toThrow(
      /damaged.jsonl.gz is damaged: table calendar_objects has \d+ rows \(sha256 [0-9a-f]{64}\) but the file records/,
    );
    const cut = join(folder, 'cut.jsonl.gz');
    writeFileSync(cut, gzipSync(lines.slice(0, -3).join('\n')));
    await expect(restoreDatabase(database, cut, { replace: true })).rejects.toThrow(/incomplete/);
    const foreign = join(folder, 'foreign.gz');
    writeFileSync(foreign, gzipSync('{"hello":"world"}\n'));
    await expect(restoreDatabase(database, foreign, { replace: true })).rejects.toThrow(
      'foreign.gz is not a Televent backup',
    );
    writeFileSync(foreign, 'not gzip at all');
    await expect(restoreDatabase(database, foreign, { replace: true })).rejects.toThrow(
      /cannot be read as a gzip'd Televent backup/,
    );
    expect(await tallies(database)).toEqual(before);
  });

  it('carries a table a later migration adds, with bytea, int8 and microseconds exactly', {
    timeout: 120_000,
  }, async () => {
    // No list of tables to forget: whatever the schema holds is backed up.
    await sql`create table later_table (
      id bigint generated always as identity primary key,
      name text collate "C" not null unique,
      blob bytea not null,
      big bigint not null,
      at timestamptz not null,
      doc jsonb not null,
      tags text[] not null
    )`.execute(database.db);
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await sql`insert into later_table (name, blob, big, at, doc, tags) values
      ('a', ${every}, 9223372036854775807, '2026-12-03 07:00:00.123456+00', '{"n": 12345678901234567890}', '{x,"y z"}'),
      ('B', '\\x'::bytea, -9223372036854775808, '1970-01-01 00:00:00.000001+00', '[]', '{}')`.execute(
      database.db,
    );
    const read = async () =>
      (
        await sql<{
          row: string;
        }>`select concat_ws('|', id, name, encode(blob, 'hex'), big, to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), doc::text, tags::text) as row
          from later_table order by id`.execute(database.db)
      ).rows.map((r) => r.row);
    const before = await read();
    const file = join(folder, 'later.jsonl.gz');
    await backupDatabase(database, file, '9.9.9');
    expect(linesOf(file)[0]).toContain('"later_table"');

    await restoreDatabase(database, file, { replace: true });
    expect(await read()).toEqual(before);
    // The identity column carries on past the copied rows.
    const { rows } = await sql<{ id: number }>`insert into later_table (name, blob, big, at, doc, tags)
      values ('c', '\\x00', 0, now(), '{}', '{}') returning id`.execute(database.db);
    expect(Number(rows[0]?.id)).toBe(3);
    await sql`drop table later_table`.execute(database.db);
  });
});
