import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/app/errors.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

const alice = 5001;
const bob = 5002;
const minuteMs = 60_000;
const dayMs = 86_400_000;

function expectAppError(reason: string) {
  return expect.objectContaining({ name: 'AppError', reason }) as unknown as AppError;
}

function tokenOf(url: string): string {
  const token = url.split('/auth/link/')[1];
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

describe(`LoginService [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;
  let clock = new Date('2026-02-01T12:00:00.000Z');

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db, { now: () => clock });
    await services.accounts.ensureUser({ telegramId: alice, username: 'alice' });
    await services.accounts.ensureUser({ telegramId: bob, username: 'bob' });
  });
  afterAll(async () => {
    await database.close();
  });

  /** Every row of a table as PostgreSQL prints it: a token stored in any column would show up here. */
  async function tableText(table: 'login_tokens' | 'web_sessions'): Promise<string> {
    const { rows } = await sql<{ line: string }>`select t::text as line from ${sql.table(table)} t`.execute(
      database.db,
    );
    return rows.map((r) => r.line).join('\n');
  }

  it('makes a link under the base URL that expires in ten minutes', async () => {
    clock = new Date('2026-02-01T12:00:00.000Z');
    const { url, expiresAt } = await services.logins.createLoginLink(alice, 'https://cal.example.com/');
    expect(url).toMatch(/^https:\/\/cal\.example\.com\/auth\/link\/[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.toISOString()).toBe('2026-02-01T12:10:00.000Z');
    const again = await services.logins.createLoginLink(alice, 'https://cal.example.com');
    expect(tokenOf(again.url)).not.toBe(tokenOf(url));
  });

  it('stores only a hash of the link token, never the token itself', async () => {
    const before = await database.db.selectFrom('login_tokens').select('token_hash').execute();
    const { url } = await services.logins.createLoginLink(alice, 'https://cal.example.com');
    const token = tokenOf(url);
    const after = await database.db.selectFrom('login_tokens').selectAll().execute();
    expect(after).toHaveLength(before.length + 1);
    const text = await tableText('login_tokens');
    expect(text).toContain(String(alice));
    expect(text).not.toContain(token);
  });

  it('signs in with a link once and refuses the same link a second time', async () => {
    clock = new Date('2026-02-01T12:00:00.000Z');
    const { url } = await services.logins.createLoginLink(alice, 'https://cal.example.com');
    const session = await services.logins.redeemLoginLink(tokenOf(url));
    expect(session.userId).toBe(alice);
    expect(session.expiresAt.toISOString()).toBe('2026-03-03T12:00:00.000Z');
    await expect(services.logins.redeemLoginLink(tokenOf(url))).rejects.toThrow(
      expectAppError('invalid-login-link'),
    );
  });

  it('still accepts a link just before its ten minutes are up', async () => {
    clock = new Date('2026-02-01T12:00:00.000Z');
    const { url } = await services.logins.createLoginLink(bob, 'https://cal.example.com');
    clock = new Date(clock.getTime() + 10 * minuteMs - 1000);
    expect((await services.logins.redeemLoginLink(tokenOf(url))).userId).toBe(bob);
  });

  it('refuses a link once its ten minutes are up', async () => {
    clock = new Date('2026-02-01T12:00:00.000Z');
    const { url } = await services.logins.createLoginLink(alice, 'https://cal.example.com');
    clock = new Date(clock.getTime() + 10 * minuteMs);
    await expect(services.logins.redeemLoginLink(tokenOf(url))).rejects.toThrow(
      expectAppError('invalid-login-link'),
    );
    clock = new Date(clock.getTime() + dayMs);
    await expect(services.logins.redeemLoginLink(tokenOf(url))).rejects.toThrow(
      expectAppError('invalid-login-link'),
    );
  });

  it.each([
    ['a made-up token', 'x'.repeat(43)],
    ['an empty token', ''],
    ['an overlong token', 'a'.repeat(5000)],
  ])('refuses %s as an invalid login link', async (_label, token) => {
    await expect(services.logins.redeemLoginLink(token)).rejects.toThrow(
      expectAppError('invalid-login-link'),
    );
  });

  it('starts a session that resolves to the user until it is ended', async () => {
    clock = new Date('2026-02-01T12:00:00.000Z');
    const { url } = await services.logins.createLoginLink(bob, 'https://cal.example.com');
    const { sessionToken } = await services.logins.redeemLoginLink(tokenOf(url));
    expect(await services.logins.resolveSession(sessionToken)).toBe(bob);
    expect(await tableText('web_sessions')).not.toContain(sessionToken);

    await services.logins.endSession(sessionToken);
    expect(await services.logins.resolveSession(sessionToken)).toBeUndefined();
  });

  it('ends one session without touching the user’s other sessions', async () => {
    const first = await services.logins.startSession(alice);
    const second = await services.logins.startSession(alice);
    await services.logins.endSession(first.sessionToken);
    expect(await services.logins.resolveSession(first.sessionToken)).toBeUndefined();
    expect(await services.logins.resolveSession(second.sessionToken)).toBe(alice);
  });

  it('lets a session lapse after thirty days', async () => {
    clock = new Date('2026-02-01T12:00:00.000Z');
    const { sessionToken } = await services.logins.startSession(alice);
    clock = new Date('2026-03-03T11:59:00.000Z');
    expect(await services.logins.resolveSession(sessionToken)).toBe(alice);
    clock = new Date('2026-03-03T12:00:00.000Z');
    expect(await services.logins.resolveSession(sessionToken)).toBeUndefined();
  });

  it('resolves no user for an unknown or overlong session token', async () => {
    expect(await services.logins.resolveSession('nope')).toBeUndefined();
    expect(await services.logins.resolveSession('a'.repeat(500))).toBeUndefined();
  });

  it('refuses a login link for a user that does not exist and stores nothing', async () => {
    const before = await database.db.selectFrom('login_tokens').select('token_hash').execute();
    await expect(services.logins.createLoginLink(5999, 'https://cal.example.com')).rejects.toThrow(
      expectAppError('user-not-found'),
    );
    expect(await database.db.selectFrom('login_tokens').select('token_hash').execute()).toHaveLength(
      before.length,
    );
  });
});
