import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLoginWidget } from '../../../src/app/auth/telegram-login-widget.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { botToken, buildRestServer, type RestTestServer, tma } from './rest-support.ts';

/** Failures one address (or account) may have in 15 minutes before it is refused (README "Rate limits"). */
const maxFailures = 10;

describe(`Failed sign-in limits on every browser sign-in path, over HTTP [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;
  let baseUrl: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    // Behind a proxy on 127.0.0.1, so each test can be its own client through X-Forwarded-For.
    server = await buildRestServer(database, { env: { TRUST_PROXY: '127.0.0.1' } });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  const from = (client: string, headers: Record<string, string> = {}) => ({
    'x-forwarded-for': client,
    ...headers,
  });
  const openLink = (path: string, client: string) =>
    fetch(`${baseUrl}${path}`, { headers: from(client), redirect: 'manual' });
  const widgetSignIn = (payload: object, client: string) =>
    fetch(`${baseUrl}/api/auth/telegram-login`, {
      method: 'POST',
      headers: from(client, { 'content-type': 'application/json', origin: baseUrl }),
      body: JSON.stringify(payload),
    });
  const me = (headers: Record<string, string>, client: string) =>
    fetch(`${baseUrl}/api/me`, { headers: from(client, headers) });
  const problemType = async (response: Response) => ((await response.json()) as { type: string }).type;
  const userExists = (telegramId: number) =>
    server.services.accounts.getUser(telegramId).then(
      () => true,
      () => false,
    );

  async function loginLinkPath(telegramId: number): Promise<string> {
    await server.services.accounts.ensureUser({ telegramId, username: `u${telegramId}` });
    return new URL((await server.services.logins.createLoginLink(telegramId, baseUrl)).url).pathname;
  }

  describe('login links', () => {
    it('refuses an address with 429 and Retry-After after 10 links that did not work, without spending a valid link', async () => {
      const guesser = '198.51.100.10';
      for (let i = 0; i < maxFailures; i++) {
        expect((await openLink(`/auth/link/guess-${i}`, guesser)).status).toBe(401);
      }
      const refused = await openLink('/auth/link/guess-next', guesser);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await refused.text()).toContain('Too many failed sign-ins');

      // A real link is not looked at from that address, so it stays unused…
      const path = await loginLinkPath(7001);
      expect((await openLink(path, guesser)).status).toBe(429);
      // …and works once from elsewhere; other addresses were never limited.
      const elsewhere = await openLink(path, '198.51.100.11');
      expect(elsewhere.status).toBe(303);
      expect(elsewhere.headers.get('set-cookie')).toContain('televent_session=');
    });

    it('does not count links that worked', async () => {
      const client = '198.51.100.12';
      for (let i = 0; i < maxFailures + 2; i++) {
        expect((await openLink(await loginLinkPath(7002), client)).status).toBe(303);
      }
      expect((await openLink('/auth/link/typo', client)).status).toBe(401);
    });
  });

  describe('Telegram Login Widget', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const forged = (id: number) => ({ ...signLoginWidget({ id, auth_date: now() }, botToken), id: id + 1 });

    it('answers an address past 10 forged payloads 429 with Retry-After, creating no account, and still signs in a real payload', async () => {
      const forger = '198.51.100.20';
      for (let i = 0; i < maxFailures; i++) {
        const response = await widgetSignIn(forged(7100 + i), forger);
        expect(response.status).toBe(401);
        expect(await problemType(response)).toBe('/problems/invalid-init-data');
      }
      const refused = await widgetSignIn(forged(7150), forger);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemType(refused)).toBe('/problems/too-many-failed-sign-ins');
      expect(await userExists(7151)).toBe(false);

      // A valid signature cannot be forged and costs microseconds to check: it signs in even here.
      const real = await widgetSignIn(signLoginWidget({ id: 7160, auth_date: now() }, botToken), forger);
      expect(real.status).toBe(200);
    });

    it('counts forged payloads per account they name, across addresses', async () => {
      const victim = 7201;
      const forgedForVictim = { ...signLoginWidget({ id: 7200, auth_date: now() }, botToken), id: victim };
      for (let i = 0; i < maxFailures; i++) {
        expect((await widgetSignIn(forgedForVictim, `203.0.113.${i + 1}`)).status).toBe(401);
      }
      const refused = await widgetSignIn(forgedForVictim, '203.0.113.99');
      expect(refused.status).toBe(429);
      expect(await problemType(refused)).toBe('/problems/too-many-failed-sign-ins');
      expect(await userExists(victim)).toBe(false);
      // The account's owner is not locked out by them.
      const owner = await widgetSignIn(
        signLoginWidget({ id: victim, auth_date: now() }, botToken),
        '203.0.113.100',
      );
      expect(owner.status).toBe(200);
    });
  });

  describe('Mini App initData', () => {
    it('answers an address past 10 forged initData 429 with Retry-After, creating no account, and still accepts real initData', async () => {
      const forger = '198.51.100.30';
      for (let i = 0; i < maxFailures; i++) {
        const response = await me(tma({ id: 7300 + i }, { token: '999:another-bot' }), forger);
        expect(response.status).toBe(401);
        expect(await problemType(response)).toBe('/problems/invalid-init-data');
      }
      const refused = await me(tma({ id: 7350 }, { token: '999:another-bot' }), forger);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemType(refused)).toBe('/problems/too-many-failed-sign-ins');
      expect(await userExists(7350)).toBe(false);

      expect((await me(tma({ id: 7360 }), forger)).status).toBe(200);
    });

    it('does not count expired initData, which is real and only old', async () => {
      const client = '198.51.100.31';
      const dayAgo = Math.floor(Date.now() / 1000) - 2 * 86_400;
      for (let i = 0; i < maxFailures + 2; i++) {
        const response = await me(tma({ id: 7400 }, { authDate: dayAgo }), client);
        expect(response.status).toBe(401);
        expect(await problemType(response)).toBe('/problems/expired-init-data');
      }
      const forgedOnce = await me(tma({ id: 7401 }, { token: '999:another-bot' }), client);
      expect(await problemType(forgedOnce)).toBe('/problems/invalid-init-data');
    });
  });

  // Last: what the tests above refused, as an operator's /metrics shows it.
  it('counts each refused sign-in by its path, and each one past the limit as throttled', async () => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    expect(value(/^televent_sign_in_failures_total\{path="login-link"\} (\d+)$/m)).toBeGreaterThanOrEqual(
      maxFailures,
    );
    expect(
      value(/^televent_sign_in_failures_total\{path="telegram-login-widget"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(maxFailures);
    expect(
      value(/^televent_requests_throttled_total\{limit="sign-in-failures"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(3);
    expect(text).not.toMatch(/^televent_requests_throttled_total\{limit="account-busy"\}/m);
  });
});
