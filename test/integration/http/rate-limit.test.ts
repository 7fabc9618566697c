import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';

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
