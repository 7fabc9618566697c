import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, migrationStatus } from '../../../src/storage/migrate.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

async function tableNames(database: TestDatabase): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name`.execute(database.db);
  return result.rows.map((r) => r.name);
}

describe(`migrations [${testEngine}]`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await database.close();
  });

  it('migrates up from nothing, down to zero and up again, leaving the same tables', async () => {
    expect(await tableNames(database)).toEqual([]);
    const applied = await migrateToLatest(database.db);
    expect(applied.length).toBeGreaterThan(0);
    const tables = await tableNames(database);
    expect(tables).toEqual(
      expect.arrayContaining([
        'users',
        'calendars',
        'calendar_objects',
        'calendar_changes',
        'outbox_messages',
      ]),
    );
    expect((await migrationStatus(database.db)).every((m) => m.executedAt !== null)).toBe(true);

    const undone = await migrateDown(database.db, { toZero: true });
    expect(undone).toHaveLength(applied.length);
    expect(await tableNames(database)).toEqual([]);
    expect((await migrationStatus(database.db)).every((m) => m.executedAt === null)).toBe(true);

    await migrateToLatest(database.db);
    expect(await tableNames(database)).toEqual(tables);
  });

  it('reports nothing to do when already at the latest migration', async () => {
    expect(await migrateToLatest(database.db)).toEqual([]);
  });
});
