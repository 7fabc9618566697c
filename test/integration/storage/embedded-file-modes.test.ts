import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../../src/storage/database.ts';
import { migrateToLatest } from '../../../src/storage/migrate.ts';

interface Entry {
  path: string;
  kind: 'dir' | 'file';
  mode: number;
}

/** Every directory and regular file under `root`, itself included, with its permission bits. */
function walk(root: string): Entry[] {
  const stat = lstatSync(root);
  if (stat.isDirectory()) {
    const entries: Entry[] = [{ path: root, kind: 'dir', mode: stat.mode & 0o777 }];
    for (const name of readdirSync(root)) entries.push(...walk(join(root, name)));
    return entries;
  }
  return stat.isFile() ? [{ path: root, kind: 'file', mode: stat.mode & 0o777 }] : [];
}

/** The entries another local user could read or enter: anything not 0700 (dirs) / 0600 (files). */
function widerThanOwner(root: string): string[] {
  return walk(root)
    .filter((e) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600))
    .map((e) => `${e.mode.toString(8)} ${e.path}`);
}

function walSegments(dataDir: string): string[] {
  return readdirSync(join(dataDir, 'pgdata', 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name));
}

// The embedded engine only: PGlite is what keeps files in DATA_DIR, whichever engine the run tests.
describe('embedded database files are private to the owner', () => {
  let root: string;
  let dataDir: string;
  let database: DatabaseHandle | undefined;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'televent-modes-'));
    dataDir = join(root, 'data');
  });
  afterAll(async () => {
    await database?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates DATA_DIR 0700 with 0600 files, and WAL written later is 0600 too', {
    timeout: 120_000,
  }, async () => {
    database = await createDatabase({ dataDir });
    await migrateToLatest(database.db);
    expect(widerThanOwner(dataDir)).toEqual([]);
    const segmentsAtStart = walSegments(dataDir);

    // Calendar text goes to the WAL; a switch makes PostgreSQL start a segment file of its own.
    await database.db.insertInto('users').values({ telegram_id: 4242, username: 'private' }).execute();
    await sql`select pg_switch_wal()`.execute(database.db);
    await sql`insert into users (telegram_id, username) values (4243, 'after-switch')`.execute(database.db);
    await sql`checkpoint`.execute(database.db);
    expect(walSegments(dataDir).filter((s) => !segmentsAtStart.includes(s))).not.toEqual([]);
    // Checked while the database is open: the close-time pass must not be what makes this true.
    expect(widerThanOwner(dataDir)).toEqual([]);

    await database.close();
    database = undefined;
    expect(widerThanOwner(dataDir)).toEqual([]);
  });

  it('narrows an existing tree left world-readable (0755 directories, 0666 files) when it opens', {
    timeout: 120_000,
  }, async () => {
    // As an older Televent left it: every directory 0755 and every file 0666, plus a stray file.
    writeFileSync(join(dataDir, 'pgdata', 'stray.txt'), 'calendar text');
    mkdirSync(join(dataDir, 'pgdata', 'stray-dir'));
    for (const entry of walk(dataDir)) chmodSync(entry.path, entry.kind === 'dir' ? 0o755 : 0o666);
    expect(widerThanOwner(dataDir).length).toBeGreaterThan(100);

    database = await createDatabase({ dataDir });
    expect(widerThanOwner(dataDir)).toEqual([]);
    const users = await database.db.selectFrom('users').select('username').orderBy('telegram_id').execute();
    expect(users.map((u) => u.username)).toEqual(['private', 'after-switch']);
  });
});
