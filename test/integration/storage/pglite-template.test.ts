import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.ts';
import { createDatabase } from '../../../src/storage/database.ts';
import { migrateToLatest } from '../../../src/storage/migrate.ts';
import { buildPgliteTemplate, seedFromTemplate } from '../../../src/storage/pglite-template.ts';

/** Permission bits of every file and folder under `root`, keyed by path. */
function modes(root: string): Map<string, number> {
  const found = new Map<string, number>([[root, lstatSync(root).mode & 0o777]]);
  for (const entry of readdirSync(root, { recursive: true }) as string[]) {
    found.set(join(root, entry), lstatSync(join(root, entry)).mode & 0o777);
  }
  return found;
}

// The embedded engine's first start (PGlite runs only: vitest.config.ts): a new data folder is filled from the template that
// `npm install` made, so no initdb runs in the server.
describe('a first start on the embedded database', () => {
  let dataDir: string;

  beforeAll(async () => {
    await buildPgliteTemplate(); // `prepare` made it; this only checks it is current
    dataDir = mkdtempSync(join(tmpdir(), 'televent-template-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts from the template, migrates and keeps what is written', { timeout: 60_000 }, async () => {
    const first = await createDatabase({ dataDir });
    expect(readdirSync(dataDir)).toEqual(['pgdata']); // no copy left half-way beside it
    expect(existsSync(join(dataDir, 'pgdata', 'televent-template.json'))).toBe(false);
    expect((await migrateToLatest(first.db)).length).toBeGreaterThan(0);
    await first.db
      .insertInto('users')
      .values({
        telegram_id: 4242,
        username: null,
        first_name: 'Ada',
        last_name: null,
        time_zone: 'Europe/Berlin',
        locale: null,
        bot_blocked_at: null,
        deletion_requested_at: null,
      })
      .execute();
    await first.close();

    const again = await createDatabase({ dataDir });
    const users = await again.db.selectFrom('users').select('telegram_id').execute();
    await again.close();
    expect(users.map((u) => Number(u.telegram_id))).toEqual([4242]);
  });

  it('copies a template any account can read into a data folder only its owner can', () => {
    // In the container image root installs (and builds the template) and `node` serves.
    const template = [...modes(join(packageRoot, 'dist', 'pglite-template'))];
    expect(template.filter(([, mode]) => (mode & 0o044) !== 0o044)).toEqual([]);
    const copy = [...modes(join(dataDir, 'pgdata'))];
    expect(copy.filter(([, mode]) => (mode & 0o077) !== 0)).toEqual([]);
  });

  it('never overwrites a data folder that exists', () => {
    const pgdata = join(dataDir, 'pgdata');
    const before = readdirSync(pgdata).sort();
    writeFileSync(join(pgdata, 'keep-me'), 'mine');
    expect(seedFromTemplate(pgdata)).toBe(false);
    expect(readdirSync(pgdata).sort()).toEqual([...before, 'keep-me'].sort());
  });
});
