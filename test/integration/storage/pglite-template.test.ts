import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/storage/database.ts';
import { migrateToLatest } from '../../../src/storage/migrate.ts';
import { buildPgliteTemplate, seedFromTemplate } from '../../../src/storage/pglite-template.ts';

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

  it('never overwrites a data folder that exists', () => {
    const pgdata = join(dataDir, 'pgdata');
    const before = readdirSync(pgdata).sort();
    writeFileSync(join(pgdata, 'keep-me'), 'mine');
    expect(seedFromTemplate(pgdata)).toBe(false);
    expect(readdirSync(pgdata).sort()).toEqual([...before, 'keep-me'].sort());
  });
});
