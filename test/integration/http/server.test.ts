import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';

describe(`HTTP server [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildTestServer(database, {
      registerRoutes: async (api) => {
        api.get(
          '/things/:thingId',
          {
            schema: {
              summary: 'One thing',
              params: z.object({ thingId: z.coerce.number().int() }),
              response: { 200: z.object({ id: z.number() }) },
            },
          },
          async (request) => ({ id: request.params.thingId }),
        );
      },
      registerRootRoutes: async (app) => {
        app.get('/hello', async (request) => ({ session: request.cookies.televent_session ?? null }));
      },
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  it('reports itself and its database healthy', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok', bot: 'off' });
  });

  it('counts a request in /metrics under its route pattern, not its raw URL', async () => {
    await server.app.inject({ method: 'GET', url: '/api/things/17' });
    await server.app.inject({ method: 'GET', url: '/no/such/page-abc123' });
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(
      /televent_http_requests_total\{method="GET",route="\/api\/things\/:thingId",status="200"\} 1/,
    );
    expect(text).toMatch(
      /televent_http_request_duration_seconds_count\{method="GET",route="\/api\/things\/:thingId"/,
    );
    expect(text).toMatch(/televent_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toContain('/api/things/17');
    expect(text).not.toContain('page-abc123');
  });

  it('serves an OpenAPI 3 document listing the API routes with their zod schemas as JSON Schema', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Televent', version: '0.1.0' });
    const thing = document.paths['/api/things/{thingId}'];
    expect(thing.get.summary).toBe('One thing');
    expect(thing.get.responses['200'].content['application/json'].schema).toMatchObject({
      type: 'object',
      properties: { id: { type: 'number' } },
    });
    expect(document.paths['/health']).toBeDefined();
    expect(document.paths['/metrics']).toBeUndefined();
    expect(document.paths['/api/openapi.json']).toBeUndefined();
  });

  it('sends a Content-Security-Policy that lets Telegram web clients frame the app', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/health' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'self' https://web.telegram.org https://*.telegram.org");
    // Nothing runs from outside the server: not even Telegram's scripts (web/src/telegram.ts).
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // X-Frame-Options cannot allow Telegram's origins, so it must not be sent at all.
    expect(response.headers['x-frame-options']).toBeUndefined();
  });

  it('sends no HSTS header when PUBLIC_URL is plain http', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/health' });
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(String(response.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });

  it('sends HSTS and upgrade-insecure-requests when PUBLIC_URL is https', async () => {
    const secure = await buildTestServer(database, { env: { PUBLIC_URL: 'https://cal.example.org' } });
    try {
      const response = await secure.app.inject({ method: 'GET', url: '/health' });
      expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(String(response.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await secure.app.close();
    }
  });

  it('serves routes registered outside /api at the root, with cookies parsed', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/hello',
      headers: { cookie: 'televent_session=abc' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ session: 'abc' });
  });

  it('echoes a plain X-Request-Id from the caller and invents one otherwise', async () => {
    const given = await server.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'proxy-42' },
    });
    expect(given.headers['x-request-id']).toBe('proxy-42');
    const invented = await server.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'not ok\u0000' },
    });
    expect(invented.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe(`HTTP server with an unreachable database [${testEngine}]`, () => {
  it('goes from healthy to 503 unavailable once its database is gone', async () => {
    const database = await openTestDatabase();
    const server = await buildTestServer(database);
    try {
      expect((await server.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      await database.close();
      const response = await server.app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'unavailable', database: 'unreachable', bot: 'off' });
    } finally {
      await server.app.close();
    }
  });
});
