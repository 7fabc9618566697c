import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionGraceDays } from '../../../src/app/account-service.ts';
import type { AppError } from '../../../src/app/errors.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

const dayMs = 86_400_000;

function expectAppError(reason: string) {
  return expect.objectContaining({ name: 'AppError', reason }) as unknown as AppError;
}

/** Every key of every object inside a JSON value, however deep. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  }
  return into;
}

function count(text: string, fragment: string): number {
  return text.split(fragment).length - 1;
}

describe(`AccountService [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;
  let clock = new Date('2026-02-01T12:00:00.000Z');

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db, { now: () => clock });
  });
  afterAll(async () => {
    await database.close();
  });

  async function rowsOf(userId: number) {
    const [users, preferences, calendars] = await Promise.all([
      database.db.selectFrom('users').selectAll().where('telegram_id', '=', userId).execute(),
      database.db.selectFrom('preferences').selectAll().where('user_id', '=', userId).execute(),
      database.db.selectFrom('calendars').selectAll().where('owner_id', '=', userId).execute(),
    ]);
    return { users, preferences, calendars };
  }

  async function eraseJobs(userId: number) {
    return database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', 'account.erase')
      .orderBy('id')
      .execute();
  }

  it('creates the user, default preferences and exactly one calendar on first contact', async () => {
    const { user, created } = await services.accounts.ensureUser({
      telegramId: 2001,
      username: 'alice',
      firstName: 'Alice',
      timeZone: 'Europe/Berlin',
    });
    expect(created).toBe(true);
    expect(user).toMatchObject({
      telegramId: 2001,
      username: 'alice',
      firstName: 'Alice',
      lastName: null,
      timeZone: 'Europe/Berlin',
      deletionRequestedAt: null,
      deletionScheduledFor: null,
    });

    const rows = await rowsOf(2001);
    expect(rows.users).toHaveLength(1);
    expect(rows.calendars).toHaveLength(1);
    expect(rows.calendars[0]).toMatchObject({ name: 'Televent', time_zone: 'Europe/Berlin' });
    expect(await services.preferences.getPreferences(2001)).toEqual({
      defaultReminderMinutes: 15,
      defaultReminderEnabled: true,
      digestEnabled: true,
      digestTime: '08:00',
      email: null,
    });
  });

  it('recognises a returning user, refreshes the Telegram username and creates nothing more', async () => {
    await services.accounts.ensureUser({ telegramId: 2002, username: 'old_name', firstName: 'Bo' });
    const { user, created } = await services.accounts.ensureUser({ telegramId: 2002, username: 'new_name' });
    expect(created).toBe(false);
    expect(user.username).toBe('new_name');
    expect(user.firstName).toBe('Bo');
    expect((await services.accounts.getUser(2002)).username).toBe('new_name');

    const rows = await rowsOf(2002);
    expect(rows.users).toHaveLength(1);
    expect(rows.preferences).toHaveLength(1);
    expect(rows.calendars).toHaveLength(1);
  });

  it('refuses an unknown time zone on first contact and creates nothing', async () => {
    await expect(
      services.accounts.ensureUser({ telegramId: 2003, timeZone: 'Mars/Olympus_Mons' }),
    ).rejects.toThrow(expectAppError('invalid-time-zone'));
    const rows = await rowsOf(2003);
    expect(rows).toEqual({ users: [], preferences: [], calendars: [] });
  });

  it.each([0, -5, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])(
    'refuses %s as a Telegram id as an invalid field',
    async (telegramId) => {
      const before = await database.db.selectFrom('users').select('telegram_id').execute();
      await expect(services.accounts.ensureUser({ telegramId })).rejects.toThrow(
        expectAppError('invalid-field'),
      );
      expect(await database.db.selectFrom('users').select('telegram_id').execute()).toHaveLength(
        before.length,
      );
    },
  );

  it('changes the time zone and refuses an unknown one without changing it', async () => {
    await services.accounts.ensureUser({ telegramId: 2004 });
    expect((await services.accounts.setTimeZone(2004, 'Asia/Tokyo')).timeZone).toBe('Asia/Tokyo');
    await expect(services.accounts.setTimeZone(2004, 'Europe/Atlantis')).rejects.toThrow(
      expectAppError('invalid-time-zone'),
    );
    expect((await services.accounts.getUser(2004)).timeZone).toBe('Asia/Tokyo');
    await expect(services.accounts.setTimeZone(2999, 'Asia/Tokyo')).rejects.toThrow(
      expectAppError('user-not-found'),
    );
  });

  it('schedules erasure exactly 30 days after the request with one erase job at that date', async () => {
    await services.accounts.ensureUser({ telegramId: 2005 });
    clock = new Date('2026-02-01T12:00:00.000Z');
    const user = await services.accounts.requestDeletion(2005);
    expect(deletionGraceDays).toBe(30);
    expect(user.deletionRequestedAt?.toISOString()).toBe('2026-02-01T12:00:00.000Z');
    expect(user.deletionScheduledFor?.toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(user.deletionScheduledFor?.getTime()).toBe(clock.getTime() + 30 * dayMs);

    const jobs = await eraseJobs(2005);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.status).toBe('pending');
    expect(jobs[0]?.run_at.toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(jobs[0]?.payload).toMatchObject({ userId: 2005 });
  });

  it('keeps the first deletion date when deletion is requested a second time', async () => {
    await services.accounts.ensureUser({ telegramId: 2006 });
    clock = new Date('2026-02-01T12:00:00.000Z');
    const first = await services.accounts.requestDeletion(2006);
    clock = new Date('2026-02-05T09:30:00.000Z');
    const second = await services.accounts.requestDeletion(2006);
    expect(second.deletionScheduledFor?.toISOString()).toBe(first.deletionScheduledFor?.toISOString());
    expect((await services.accounts.getUser(2006)).deletionRequestedAt?.toISOString()).toBe(
      '2026-02-01T12:00:00.000Z',
    );
    expect(await eraseJobs(2006)).toHaveLength(1);
  });

  it('cancels a pending deletion and its erase job, and a later request schedules afresh', async () => {
    await services.accounts.ensureUser({ telegramId: 2007 });
    clock = new Date('2026-02-01T12:00:00.000Z');
    await services.accounts.requestDeletion(2007);
    const cancelled = await services.accounts.cancelDeletion(2007);
    expect(cancelled.deletionRequestedAt).toBeNull();
    expect(cancelled.deletionScheduledFor).toBeNull();
    expect((await services.accounts.getUser(2007)).deletionRequestedAt).toBeNull();
    expect((await eraseJobs(2007)).map((j) => j.status)).toEqual(['cancelled']);

    clock = new Date('2026-02-10T08:00:00.000Z');
    const again = await services.accounts.requestDeletion(2007);
    expect(again.deletionScheduledFor?.toISOString()).toBe('2026-03-12T08:00:00.000Z');
    const jobs = await eraseJobs(2007);
    expect(jobs.map((j) => j.status)).toEqual(['cancelled', 'pending']);
    expect(jobs[1]?.run_at.toISOString()).toBe('2026-03-12T08:00:00.000Z');
  });

  it('leaves another user’s pending erase job alone when one user cancels', async () => {
    await services.accounts.ensureUser({ telegramId: 2008 });
    await services.accounts.ensureUser({ telegramId: 2009 });
    await services.accounts.requestDeletion(2008);
    await services.accounts.requestDeletion(2009);
    await services.accounts.cancelDeletion(2008);
    expect((await eraseJobs(2009)).map((j) => j.status)).toEqual(['pending']);
    expect((await services.accounts.getUser(2009)).deletionScheduledFor).not.toBeNull();
  });

  it('exports the user, preferences, calendar, raw events, one .ics and devices without password hashes', async () => {
    const userId = 2010;
    await services.accounts.ensureUser({
      telegramId: userId,
      username: 'exporter',
      timeZone: 'Europe/Berlin',
    });
    await services.preferences.updatePreferences(userId, { defaultReminderMinutes: 45 });
    const berlinA = await services.calendars.createEvent(userId, {
      summary: 'Berlin one',
      start: new Date('2026-03-10T09:00:00Z'),
      end: new Date('2026-03-10T10:00:00Z'),
    });
    const berlinB = await services.calendars.createEvent(userId, {
      summary: 'Berlin two',
      start: new Date('2026-03-11T09:00:00Z'),
      end: new Date('2026-03-11T10:00:00Z'),
    });
    const newYork = await services.calendars.createEvent(userId, {
      summary: 'New York',
      start: new Date('2026-03-12T15:00:00Z'),
      end: new Date('2026-03-12T16:00:00Z'),
      timeZone: 'America/New_York',
    });
    const device = await services.devices.createDevice(userId, 'Laptop');

    const data = await services.accounts.exportData(userId);
    expect(data.user).toMatchObject({ telegramId: userId, username: 'exporter', timeZone: 'Europe/Berlin' });
    expect(data.preferences).toEqual({
      defaultReminderMinutes: 45,
      defaultReminderEnabled: true,
      digestEnabled: true,
      digestTime: '08:00',
      email: null,
    });
    expect(data.calendars).toHaveLength(1);
    expect(data.calendars[0]?.name).toBe('Televent');

    const events = [berlinA, berlinB, newYork];
    expect(data.events.map((e) => e.summary).sort()).toEqual(['Berlin one', 'Berlin two', 'New York']);
    for (const event of events) {
      const stored = await services.calendars.getObject(userId, event.calendarId, event.href);
      const exported = data.events.find((e) => e.id === event.id);
      expect(exported?.ical).toBe(stored.ical);
      expect(data.ics).toContain(`UID:${stored.uid}`);
    }
    expect(count(data.ics, 'BEGIN:VEVENT')).toBe(3);
    expect(count(data.ics, 'BEGIN:VTIMEZONE')).toBe(2);
    expect(count(data.ics, 'TZID:Europe/Berlin\r\n')).toBe(1);
    expect(count(data.ics, 'TZID:America/New_York\r\n')).toBe(1);
    expect(data.ics).toContain('X-WR-CALNAME:Televent');

    expect(data.devices).toEqual([
      { id: device.id, name: 'Laptop', createdAt: device.createdAt, lastUsedAt: null },
    ]);
    const json = JSON.stringify(data);
    const keys = keysOf(JSON.parse(json));
    expect(keys.has('password_hash')).toBe(false);
    expect(keys.has('passwordHash')).toBe(false);
    expect(keys.has('password')).toBe(false);
    expect(json).not.toContain('$argon2');
    expect(json).not.toContain(device.password);
  });

  it('refuses to export or delete an account that does not exist', async () => {
    await expect(services.accounts.exportData(2998)).rejects.toThrow(expectAppError('user-not-found'));
    await expect(services.accounts.requestDeletion(2998)).rejects.toThrow(expectAppError('user-not-found'));
    await expect(services.accounts.cancelDeletion(2998)).rejects.toThrow(expectAppError('user-not-found'));
    expect(await eraseJobs(2998)).toEqual([]);
  });

  it('allows a second calendar but never two at the same address, at the database level', async () => {
    await services.accounts.ensureUser({ telegramId: 2011 });
    await database.db
      .insertInto('calendars')
      .values({ owner_id: 2011, slug: 'second', name: 'Second' })
      .execute();
    await expect(
      database.db
        .insertInto('calendars')
        .values({ owner_id: 2011, slug: 'default', name: 'Again' })
        .execute(),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await rowsOf(2011)).calendars).toHaveLength(2);
  });

  it('audits a user’s creation and changes by column name only, never by value', async () => {
    const userId = 2012;
    await services.accounts.ensureUser({
      telegramId: userId,
      username: 'secret_handle',
      lastName: 'Private',
    });
    await services.accounts.ensureUser({ telegramId: userId, username: 'secret_handle' });
    await services.accounts.ensureUser({
      telegramId: userId,
      username: 'another_handle',
      lastName: 'Hidden',
    });
    await services.accounts.setTimeZone(userId, 'Europe/Paris');

    const audit = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('table_name', '=', 'users')
      .where('row_key', '=', String(userId))
      .orderBy('id')
      .execute();
    // The second ensureUser changed nothing, so it left no row.
    expect(audit.map((a) => [a.operation, a.changed_columns])).toEqual([
      ['insert', []],
      ['update', ['last_name', 'username']],
      ['update', ['time_zone']],
    ]);
    expect(audit.every((a) => a.user_id === userId)).toBe(true);
    const text = JSON.stringify(audit);
    for (const value of ['secret_handle', 'another_handle', 'Private', 'Hidden', 'Europe/Paris']) {
      expect(text).not.toContain(value);
    }

    const related = await database.db
      .selectFrom('audit_log')
      .select(['table_name', 'operation'])
      .where('user_id', '=', userId)
      .where('table_name', 'in', ['preferences', 'calendars'])
      .orderBy('table_name')
      .execute();
    expect(related).toEqual([
      { table_name: 'calendars', operation: 'insert' },
      { table_name: 'preferences', operation: 'insert' },
    ]);
  });
});
