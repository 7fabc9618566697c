import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../../src/storage/database.ts';
import { maxPreparedPerConnection } from '../../../src/storage/prepared-statements.ts';

// PostgreSQL only (vitest.config.ts): statements are prepared by the pg pool, PGlite has none.
const url = process.env.TEST_DATABASE_URL ?? '';

describe('prepared statements on PostgreSQL', () => {
  const schema = `test_prep_${randomBytes(4).toString('hex')}`;
  let database: DatabaseHandle;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.query(`create table ${schema}.things (id int primary key, name text)`);
    await admin.query(`insert into ${schema}.things select g, 'thing ' || g from generate_series(1, 300) g`);
    await admin.end();
    // One connection, so every query below runs in the session whose statements are looked at.
    database = await createDatabase({ databaseUrl: url, searchPath: schema, poolSize: 1 });
  });
  afterAll(async () => {
    await database?.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  async function preparedInSession(): Promise<Array<{ statement: string; plans: number }>> {
    const { rows } = await sql<{ statement: string; plans: number }>`
      select statement, (generic_plans + custom_plans)::int as plans from pg_prepared_statements`.execute(
      database.db,
    );
    return rows;
  }

  it('prepares a query with parameters once per connection and runs it bound from then on', async () => {
    const byId = (id: number) =>
      database.db
        .selectFrom('things' as never)
        .select(['name' as never])
        .where('id' as never, '=', id as never);
    for (const id of [1, 2, 3]) {
      expect(await byId(id).executeTakeFirst()).toEqual({ name: `thing ${id}` });
    }
    const text = byId(1).compile().sql;
    expect(await preparedInSession()).toContainEqual({ statement: text, plans: 3 });
  });

  it('fails one query when the schema changes under its statement, and answers the next', async () => {
    const everything = () => sql`select * from things where id = ${5}`.execute(database.db);
    expect((await everything()).rows).toEqual([{ id: 5, name: 'thing 5' }]);
    await sql`alter table things add column colour text default 'blue'`.execute(database.db);
    await expect(everything()).rejects.toMatchObject({ code: '0A000' });
    expect((await everything()).rows).toEqual([{ id: 5, name: 'thing 5', colour: 'blue' }]);
  });

  it('keeps at most a bounded number prepared on a connection; the rest still run', async () => {
    // IN lists of every length: a distinct text each.
    for (let length = 1; length <= maxPreparedPerConnection + 20; length++) {
      const ids = Array.from({ length }, (_, i) => i + 1);
      const rows = await database.db
        .selectFrom('things' as never)
        .select(['id' as never])
        .where('id' as never, 'in', ids as never)
        .execute();
      expect(rows).toHaveLength(length);
    }
    expect((await preparedInSession()).length).toBeLessThanOrEqual(maxPreparedPerConnection);
  });
});
