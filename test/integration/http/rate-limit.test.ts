import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { loadConfig } from '../../../src/config.ts';
import { registerRestApi } from '../../../src/http/rest-api.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';
import { botToken, expectProblem, tma } from './rest-support.ts';

describe(`REST rate limit [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildTestServer(database, {
      rateLimit: { max: 3, timeWindowMs: 60_000 },
      registerRoutes: async (api) => {
        // Stands in for the authentication hook, which sets userId before the limiter runs.
        api.addHook('onRequest', async (request) => {
          const user = request.headers['x-test-user'];
          if (typeof user === 'string') request.userId = Number(user);
        });
        api.get('/ping', async () => ({ pong: true }));
      },
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  const ping = (headers: Record<string, string> = {}, remoteAddress = '203.0.113.5') =>
    server.app.inject({ method: 'GET', url: '/api/ping', headers, remoteAddress });

  it('answers the request over the limit with a 429 problem and Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await ping()).statusCode).toBe(200);
    const refused = await ping();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({
      type: '/problems/rate-limited',
      status: 429,
      title: 'Too many requests',
    });
  });

  it('counts each signed-in user separately even behind one address', async () => {
    for (let i = 0; i < 3; i++)
      expect((await ping({ 'x-test-user': '1' }, '198.51.100.9')).statusCode).toBe(200);
    expect((await ping({ 'x-test-user': '1' }, '198.51.100.9')).statusCode).toBe(429);
    expect((await ping({ 'x-test-user': '2' }, '198.51.100.9')).statusCode).toBe(200);
  });

  it('does not limit /health or /metrics, which live outside /api', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await server.app.inject({ method: 'GET', url: '/health', remoteAddress: '203.0.113.5' })).statusCode,
      ).toBe(200);
    }
  });
});

describe(`REST rate limit on wrong credentials and behind a proxy [${testEngine}]`, () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];

  /** The REST API wired as main.ts wires it, with a limit of 3 requests a minute. */
  async function restServer(env: Record<string, string> = {}): Promise<TestServer> {
    const fullEnv = { TELEGRAM_BOT_TOKEN: botToken, ...env };
    const deps = {
      services: createServices(database.db),
      config: loadConfig(fullEnv),
      publicBaseUrl: 'http://x',
    };
    const server = await buildTestServer(database, {
      env: fullEnv,
      rateLimit: { max: 3, timeWindowMs: 60_000 },
      registerRoutes: (api) => registerRestApi(api, deps),
    });
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.app.close();
    await database?.close();
  });

  it('counts requests with a wrong session cookie or forged initData, and answers 429 beyond the limit', async () => {
    const server = await restServer();
    const me = (headers: Record<string, string>, remoteAddress: string) =>
      server.app.inject({ method: 'GET', url: '/api/me', headers, remoteAddress });
    const cases: [Record<string, string>, string][] = [
      [{ cookie: 'televent_session=guessed' }, '192.0.2.1'],
      [tma({ id: 6001 }, { token: '999:another-bot' }), '192.0.2.2'],
      [{ authorization: 'tma not-even-init-data' }, '192.0.2.3'],
    ];
    for (const [wrong, address] of cases) {
      for (let i = 0; i < 3; i++) expectProblem(await me(wrong, address), 401);
      const limited = await me(wrong, address);
      expectProblem(limited, 429, 'rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('keys on the X-Forwarded-For client with TRUST_PROXY=1, and ignores that header without it', async () => {
    const ping = (server: TestServer, client: string) =>
      server.app.inject({
        method: 'GET',
        url: '/api/openapi.json',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    const proxied = await restServer({ TRUST_PROXY: '1' });
    for (let i = 0; i < 3; i++) expect((await ping(proxied, '198.51.100.1')).statusCode).toBe(200);
    expect((await ping(proxied, '198.51.100.1')).statusCode).toBe(429);
    expect((await ping(proxied, '198.51.100.2')).statusCode).toBe(200);

    const direct = await restServer();
    for (let i = 0; i < 3; i++) expect((await ping(direct, `198.51.100.${10 + i}`)).statusCode).toBe(200);
    // Every "client" is really 127.0.0.1: a header cannot buy a fresh budget.
    expect((await ping(direct, '198.51.100.99')).statusCode).toBe(429);
  });

  it('believes X-Forwarded-For only from a listed proxy', async () => {
    const server = await restServer({ TRUST_PROXY: '10.0.0.0/8' });
    const ping = (remoteAddress: string, client: string) =>
      server.app.inject({
        method: 'GET',
        url: '/api/openapi.json',
        remoteAddress,
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < 3; i++) expect((await ping('10.1.2.3', '198.51.100.1')).statusCode).toBe(200);
    expect((await ping('10.1.2.3', '198.51.100.1')).statusCode).toBe(429);
    expect((await ping('10.1.2.3', '198.51.100.2')).statusCode).toBe(200);
    // A client connecting directly cannot claim to be someone else.
    for (let i = 0; i < 3; i++)
      expect((await ping('203.0.113.50', `198.51.100.${20 + i}`)).statusCode).toBe(200);
    expect((await ping('203.0.113.50', '198.51.100.30')).statusCode).toBe(429);
  });
});
