import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLoginWidget } from '../../../src/app/auth/telegram-login-widget.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { botToken, buildRestServer, expectProblem, type RestTestServer, tma } from './rest-support.ts';

const gina = { id: 5001, username: 'gina' };
const publicUrl = 'https://cal.example.org';

describe(`REST cross-site requests and caching [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;
  /** A server that knows its public address, as a production one behind TLS does. */
  let behindTls: RestTestServer;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildRestServer(database);
    behindTls = await buildRestServer(database, { env: { PUBLIC_URL: publicUrl } });
    await server.app.inject({ method: 'GET', url: '/api/me', headers: tma(gina) });
    const session = await server.services.logins.startSession(gina.id);
    cookie = `televent_session=${session.sessionToken}`;
  });
  afterAll(async () => {
    await server?.app.close();
    await behindTls?.app.close();
    await database?.close();
  });

  const deletionState = async () => (await server.services.accounts.getUser(gina.id)).deletionRequestedAt;

  it('refuses a cross-site POST /api/account/deletion riding on the cookie, and schedules nothing', async () => {
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://sub.localhost' },
      { origin: 'null' },
      {},
    ]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/account/deletion',
        headers: { cookie, ...headers },
      });
      expectProblem(response, 403, 'cross-site-request');
      expect(response.json().detail).toContain('another site');
    }
    expect(await deletionState()).toBeNull();
  });

  it('accepts the same request from our own page, by Origin or by Sec-Fetch-Site', async () => {
    const byOrigin = await server.app.inject({
      method: 'POST',
      url: '/api/account/deletion',
      headers: { cookie, origin: 'http://localhost' },
    });
    expect(byOrigin.statusCode).toBe(202);
    expect(await deletionState()).not.toBeNull();
    const cancel = await server.app.inject({
      method: 'DELETE',
      url: '/api/account/deletion',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(cancel.statusCode).toBe(200);
    expect(await deletionState()).toBeNull();
  });

  it("compares Origin with PUBLIC_URL's origin when it is set", async () => {
    const fromHost = await behindTls.app.inject({
      method: 'DELETE',
      url: '/api/account/deletion',
      headers: { cookie, origin: 'http://localhost' },
    });
    expectProblem(fromHost, 403, 'cross-site-request');
    const fromPublic = await behindTls.app.inject({
      method: 'DELETE',
      url: '/api/account/deletion',
      headers: { cookie, origin: publicUrl },
    });
    expect(fromPublic.statusCode).toBe(200);
  });

  it('lets Mini App requests (Authorization: tma) through from any origin: they carry no cookie authority', async () => {
    const response = await server.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { ...tma(gina), origin: 'https://web.telegram.org' },
      payload: { timezone: 'Europe/Rome' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a cross-site Login Widget sign-in, which would put the browser in another account', async () => {
    const payload = signLoginWidget(
      { id: 5002, first_name: 'Mallory', auth_date: Math.floor(Date.now() / 1000) },
      botToken,
    );
    const crossSite = await server.app.inject({
      method: 'POST',
      url: '/api/auth/telegram-login',
      headers: { origin: 'https://evil.example' },
      payload,
    });
    expectProblem(crossSite, 403, 'cross-site-request');
    expect(crossSite.headers['set-cookie']).toBeUndefined();
    const sameSite = await server.app.inject({
      method: 'POST',
      url: '/api/auth/telegram-login',
      headers: { origin: 'http://localhost' },
      payload,
    });
    expect(sameSite.statusCode).toBe(200);
    expect(sameSite.headers['cache-control']).toBe('no-store');
  });

  it('marks every signed-in answer no-store, errors included, and leaves public ones cacheable', async () => {
    for (const headers of [tma(gina), { cookie }]) {
      for (const url of ['/api/me', '/api/preferences', '/api/events?start=2026-01-01&end=2026-01-02']) {
        const response = await server.app.inject({ method: 'GET', url, headers });
        expect(response.statusCode, url).toBe(200);
        expect(response.headers['cache-control'], url).toBe('no-store');
      }
      const missing = await server.app.inject({
        method: 'GET',
        url: '/api/events/00000000-0000-4000-8000-000000000000',
        headers,
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['cache-control']).toBe('no-store');
    }
    const logout = await server.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: 'http://localhost' },
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.headers['cache-control']).toBe('no-store');
    const openapi = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    expect(openapi.headers['cache-control']).toBeUndefined();
  });
});
