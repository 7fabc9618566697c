import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, type ErrorReason, errorCatalogue } from '../../../src/app/errors.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';

const reasons = Object.keys(errorCatalogue) as ErrorReason[];

/** One reason of each kind, with the status REST must answer. */
const statusByReason: ReadonlyArray<[ErrorReason, number]> = [
  ['invalid-field', 400],
  ['authentication-required', 401],
  ['account-deletion-pending', 403],
  ['event-not-found', 404],
  ['uid-conflict', 409],
  ['etag-mismatch', 412],
  ['payload-too-large', 413],
  ['rate-limited', 429],
];

describe(`problem+json errors [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildTestServer(database, {
      bodyLimit: 1024,
      registerRoutes: async (api) => {
        api.get(
          '/fail/:reason',
          { schema: { params: z.object({ reason: z.enum(reasons) }) } },
          async (request) => {
            throw new AppError(request.params.reason, undefined, { details: { field: 'title' } });
          },
        );
        api.get('/boom', async () => {
          throw new Error('password=hunter2 at /srv/secret.ts:12');
        });
        api.post(
          '/events',
          {
            schema: {
              body: z.object({ title: z.string().min(1), startsAt: z.iso.datetime() }),
              response: { 201: z.object({ title: z.string() }) },
            },
          },
          async (request, reply) => reply.code(201).send({ title: request.body.title }),
        );
        api.get('/bad-reply', { schema: { response: { 200: z.object({ id: z.number() }) } } }, async () =>
          // A bug: the handler returns something its own response schema does not allow.
          JSON.parse('{"id":"not a number"}'),
        );
      },
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  it.each(statusByReason)(
    'renders AppError(%s) thrown by a route as a %i problem',
    async (reason, status) => {
      const response = await server.app.inject({ method: 'GET', url: `/api/fail/${reason}` });
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toEqual({
        type: `/problems/${reason}`,
        title: expect.any(String),
        status,
        detail: errorCatalogue[reason].message,
        field: 'title',
      });
    },
  );

  it('names the sign-in scheme in WWW-Authenticate on a 401', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/fail/authentication-required' });
    expect(response.headers['www-authenticate']).toBe('tma realm="televent"');
  });

  it('answers an unexpected exception with a 500 that leaks nothing', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: '/problems/internal-error',
      title: 'Internal error',
      status: 500,
    });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('secret.ts');
  });

  it('answers a reply that breaks its own response schema with a 500, not the bad data', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/bad-reply' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('not a number');
  });

  it('answers a body that fails its zod schema with a 400 naming each bad field', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      payload: { title: '', startsAt: 'tomorrow' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({
      type: '/problems/invalid-request',
      title: 'Invalid request',
      status: 400,
    });
    expect(problem.detail).toContain('body.title');
    expect(problem.detail).toContain('body.startsAt');
    expect(problem.invalidParams.map((p: { name: string }) => p.name).sort()).toEqual([
      'body.startsAt',
      'body.title',
    ]);
  });

  it('accepts a body that matches its schema', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      payload: { title: 'Dentist', startsAt: '2026-03-01T09:00:00Z' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ title: 'Dentist' });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { 'content-type': 'application/json' },
      payload: '{"title": "Dentist",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: '/problems/invalid-json', status: 400 });
  });

  it('answers an empty body labelled as JSON with a 400 problem', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: '/problems/invalid-json', status: 400 });
  });

  it('answers a body over the size limit with a 413 problem', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      payload: { title: 'x'.repeat(2048), startsAt: '2026-03-01T09:00:00Z' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
  });

  it('answers a body that is not JSON with a 415 problem', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { 'content-type': 'text/plain' },
      payload: 'title=Dentist',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ type: '/problems/unsupported-media-type', status: 415 });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/no-such-thing?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: '/problems/route-not-found',
      title: 'Not found',
      status: 404,
      detail: 'Nothing is served at GET /api/no-such-thing.',
    });
  });
});
