import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLoginWidget } from '../../../src/app/auth/telegram-login-widget.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import {
  baseUrl,
  botToken,
  buildRestServer,
  expectProblem,
  type RestTestServer,
  tma,
} from './rest-support.ts';

const carol = { id: 3001, username: 'carol', first_name: 'Carol' };
/** What a browser sends with a POST from our own page (inject's Host is localhost:80). */
const sameOrigin = { origin: 'http://localhost' };

function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join(';') : (setCookie ?? '');
  const match = /televent_session=([^;]+)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in ${header}`);
  return `televent_session=${match[1]}`;
}

describe(`REST authentication [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildRestServer(database);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  const me = (headers: Record<string, string>) =>
    server.app.inject({ method: 'GET', url: '/api/me', headers });

  it('answers 401 problem+json without credentials', async () => {
    const response = await me({});
    expectProblem(response, 401, 'authentication-required');
    expect(response.headers['www-authenticate']).toBeDefined();
  });

  it('creates the account on first Mini App contact and knows the user afterwards', async () => {
    const response = await me(tma(carol));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ telegramId: 3001, username: 'carol', firstName: 'Carol' });
    const calendars = await server.app.inject({ method: 'GET', url: '/api/calendars', headers: tma(carol) });
    expect(calendars.json()).toHaveLength(1);
    expect(calendars.json()[0].caldavUrl).toBe(`${baseUrl}/calendars/3001/default/`);
  });

  it('answers 401 for initData signed with another bot’s token and creates no user', async () => {
    expectProblem(await me(tma({ id: 3999 }, { token: '999:other-bot' })), 401, 'invalid-init-data');
    expect(await server.services.accounts.getUser(3999).catch((e: { reason: string }) => e.reason)).toBe(
      'user-not-found',
    );
  });

  it('answers 401 for expired initData', async () => {
    const dayAgo = Math.floor(Date.now() / 1000) - 2 * 86_400;
    expectProblem(await me(tma(carol, { authDate: dayAgo })), 401, 'expired-init-data');
  });

  it('answers 401 for initData whose user was changed after signing', async () => {
    const forged = tma(carol).authorization.replace('%22id%22%3A3001', '%22id%22%3A3002');
    expect(forged).not.toBe(tma(carol).authorization);
    expectProblem(await me({ authorization: forged }), 401, 'invalid-init-data');
  });

  it('answers 401 for an Authorization scheme other than tma', async () => {
    expectProblem(await me({ authorization: 'Bearer abc' }), 401);
  });

  it('answers 401 telegram-auth-unavailable when the server has no bot token', async () => {
    const tokenless = await buildRestServer(database, { env: { TELEGRAM_BOT_TOKEN: '' } });
    try {
      expectProblem(
        await tokenless.app.inject({ method: 'GET', url: '/api/me', headers: tma(carol) }),
        401,
        'telegram-auth-unavailable',
      );
    } finally {
      await tokenless.app.close();
    }
  });

  it('signs in through a one-time login link: cookie, redirect to the web app, and never twice', async () => {
    const link = await server.services.logins.createLoginLink(carol.id, baseUrl);
    const path = link.url.slice(baseUrl.length);
    const first = await server.app.inject({ method: 'GET', url: path });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/app/');
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly/i);
    const cookie = sessionCookieOf(first.headers['set-cookie']);
    const signedIn = await me({ cookie });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().telegramId).toBe(carol.id);

    const again = await server.app.inject({ method: 'GET', url: path });
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('/web');

    const logout = await server.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, ...sameOrigin },
    });
    expect(logout.statusCode).toBe(204);
    expectProblem(await me({ cookie }), 401);
  });

  it('answers 401 for an unknown session cookie', async () => {
    expectProblem(await me({ cookie: 'televent_session=made-up' }), 401, 'authentication-required');
  });

  it('signs in with a Telegram Login Widget payload and refuses a forged one', async () => {
    const payload = signLoginWidget(
      { id: 3002, first_name: 'Dan', username: 'dan', auth_date: Math.floor(Date.now() / 1000) },
      botToken,
    );
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/auth/telegram-login',
      headers: sameOrigin,
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ telegramId: 3002, username: 'dan' });
    expect((await me({ cookie: sessionCookieOf(response.headers['set-cookie']) })).statusCode).toBe(200);

    const forged = await server.app.inject({
      method: 'POST',
      url: '/api/auth/telegram-login',
      headers: sameOrigin,
      payload: { ...payload, id: 3003 },
    });
    expectProblem(forged, 401, 'invalid-init-data');
  });
});
