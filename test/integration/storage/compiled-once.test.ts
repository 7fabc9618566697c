import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { compiledOnce, compiledPerShape } from '../../../src/storage/compiled-once.ts';
import { findCalendarBySlug } from '../../../src/storage/repositories/calendar-repository.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

describe(`queries compiled once [${testEngine}]`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    const services = createServices(database.db);
    for (const [id, username] of [
      [3001, 'ada'],
      [3002, 'bo'],
    ] as const) {
      await services.accounts.ensureUser({ telegramId: id, username, timeZone: 'Europe/Berlin' });
      await services.calendars.defaultCalendar(id);
    }
    await services.calendarCollections.createCalendar(3002, { name: 'Football', slug: 'football' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('builds the query once and answers each call with its own values', async () => {
    let builds = 0;
    const byUsername = compiledOnce<[string], { telegram_id: number }>((db, username) => {
      builds++;
      return db.selectFrom('users').select('telegram_id').where('username', '=', username);
    }, 1);
    expect(await byUsername(database.db, 'ada')).toEqual([{ telegram_id: 3001 }]);
    expect(await byUsername(database.db, 'bo')).toEqual([{ telegram_id: 3002 }]);
    expect(await byUsername(database.db, 'nobody')).toEqual([]);
    expect(builds).toBe(1);
  });

  it('finds a calendar by slug only in its own user’s home', async () => {
    expect((await findCalendarBySlug(database.db, 3002, 'football'))?.name).toBe('Football');
    expect(await findCalendarBySlug(database.db, 3001, 'football')).toBeUndefined();
    const own = await findCalendarBySlug(database.db, 3001, 'default');
    expect(own).toMatchObject({ owner_id: 3001, home_user_id: 3001, access: 'owner' });
  });

  it('refuses an argument the query does not bind', async () => {
    const unbound = compiledOnce<[number], { telegram_id: number }>(
      (db) => db.selectFrom('users').select('telegram_id'),
      1,
    );
    await expect(unbound(database.db, 5)).rejects.toThrow(/the slot "0" is not a parameter/);
  });

  it('builds a query once per shape, binds each call’s values (null too) and refuses a missing one', async () => {
    const builds: boolean[] = [];
    const users = compiledPerShape<{ byName: boolean }, { telegram_id: number }>(
      (db, shape, slot) => {
        builds.push(shape.byName);
        return db
          .selectFrom('users')
          .select('telegram_id')
          .where(shape.byName ? 'username' : 'telegram_id', '=', slot('key'))
          .where(sql<boolean>`(${slot('language')}::text is null or language = ${slot('language')}::text)`)
          .orderBy('telegram_id');
      },
      (shape) => String(shape.byName),
    );
    expect(await users(database.db, { byName: true }, { key: 'ada', language: null })).toEqual([
      { telegram_id: 3001 },
    ]);
    expect(await users(database.db, { byName: true }, { key: 'bo', language: null })).toEqual([
      { telegram_id: 3002 },
    ]);
    expect(await users(database.db, { byName: false }, { key: 3002, language: null })).toEqual([
      { telegram_id: 3002 },
    ]);
    expect(await users(database.db, { byName: false }, { key: 3002, language: 'xx' })).toEqual([]);
    expect(builds).toEqual([true, false]);
    await expect(users(database.db, { byName: true }, { key: 'ada' })).rejects.toThrow(
      /no value for the slot "language"/,
    );
  });
});
