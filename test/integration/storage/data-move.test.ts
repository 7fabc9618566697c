import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveData } from '../../../src/storage/data-transfer/data-move.ts';
import { createDatabase } from '../../../src/storage/database.ts';
import { appliedMigrations, migrateUpTo } from '../../../src/storage/migrate.ts';
import {
  openTestDatabase,
  processDatabaseUrl,
  type TestDatabase,
  testEngine,
} from '../../support/test-database.ts';
import {
  type ClientState,
  expectCalendarAppCarriesOn,
  expectEveryTableSeeded,
  seedEveryTable,
  tallies,
} from './transfer-fixtures.ts';

describe(`televent data move, from ${testEngine}`, () => {
  let source: TestDatabase;
  let password: string;
  let client: ClientState;
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'televent-move-'));
    folders.push(dir);
    return join(dir, 'data');
  };

  beforeAll(async () => {
    source = await openTestDatabase();
    ({ password, client } = await seedEveryTable(source));
  }, 120_000);
  afterAll(async () => {
    await source?.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('is seeded in every table the schema has, so the moves below carry each of them', async () => {
    await expectEveryTableSeeded(source);
  });

  if (testEngine === 'postgres') {
    it('PostgreSQL → empty PostgreSQL: same counts and checksums, and calendar apps sync on incrementally', {
      timeout: 120_000,
    }, async () => {
      const target = await openTestDatabase({ migrated: false });
      try {
        const before = await tallies(source);
        const moved = await moveData(source.db, { kind: 'postgres', url: processDatabaseUrl(target) });
        expect(moved.tables).toEqual(before);
        expect(await tallies(target)).toEqual(before);
        expect(await appliedMigrations(target.db)).toEqual(await appliedMigrations(source.db));
        await expectCalendarAppCarriesOn(target, password, client);
      } finally {
        await target.close();
      }
    });

    it('PostgreSQL → new embedded folder → PostgreSQL: both copies equal the source, and serve calendar apps', {
      timeout: 180_000,
    }, async () => {
      const before = await tallies(source);
      const dataDir = folder();
      expect((await moveData(source.db, { kind: 'pglite', dataDir })).tables).toEqual(before);
      const embedded = await createDatabase({ dataDir });
      const back = await openTestDatabase({ migrated: false });
      try {
        expect(await tallies(embedded)).toEqual(before);
        expect(
          (await moveData(embedded.db, { kind: 'postgres', url: processDatabaseUrl(back) })).tables,
        ).toEqual(before);
        expect(await tallies(back)).toEqual(before);
        await expectCalendarAppCarriesOn(embedded, password, client);
        await expectCalendarAppCarriesOn(back, password, client);
      } finally {
        await embedded.close();
        await back.close();
      }
    });

    it('refuses a target that holds data, or sits at another migration, and changes nothing there', {
      timeout: 120_000,
    }, async () => {
      const occupied = await openTestDatabase();
      const behind = await openTestDatabase({ migrated: false });
      try {
        const services = (await import('../../../src/app/services.ts')).createServices(occupied.db);
        await services.accounts.ensureUser({ telegramId: 7, username: 'someone' });
        const occupiedBefore = await tallies(occupied);
        await expect(
          moveData(source.db, { kind: 'postgres', url: processDatabaseUrl(occupied) }),
        ).rejects.toThrow(/already holds data \(.*users: 1.*\); nothing changed/);
        expect(await tallies(occupied)).toEqual(occupiedBefore);

        const first = (await appliedMigrations(source.db))[0] ?? '';
        await migrateUpTo(behind.db, first);
        await expect(
          moveData(source.db, { kind: 'postgres', url: processDatabaseUrl(behind) }),
        ).rejects.toThrow(new RegExp(`is at migration ${first}, the data at `));
        expect(await appliedMigrations(behind.db)).toEqual([first]);
      } finally {
        await occupied.close();
        await behind.close();
      }
    });
  }

  if (testEngine === 'pglite')
    it('embedded → new embedded folder: same counts and checksums, and calendar apps sync on incrementally', {
      timeout: 120_000,
    }, async () => {
      const before = await tallies(source);
      const dataDir = folder();
      expect((await moveData(source.db, { kind: 'pglite', dataDir })).tables).toEqual(before);
      const copy = await createDatabase({ dataDir });
      try {
        expect(await tallies(copy)).toEqual(before);
        await expectCalendarAppCarriesOn(copy, password, client);
      } finally {
        await copy.close();
      }
      await expect(moveData(source.db, { kind: 'pglite', dataDir })).rejects.toThrow(
        `${dataDir} already holds an embedded database; give an empty or new folder`,
      );
    });
});
