import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildRestServer, expectProblem, type RestTestServer, tma } from './rest-support.ts';

const alice = { id: 2001, username: 'alice', first_name: 'Alice' };
const bob = { id: 2002, username: 'bob' };

describe(`REST /api/events [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildRestServer(database, { bodyLimit: 64 * 1024 });
    // First contact through the Mini App creates the account; Alice lives in Berlin.
    await server.app.inject({ method: 'GET', url: '/api/me', headers: tma(bob) });
    const me = await server.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: tma(alice),
      payload: { timezone: 'Europe/Berlin' },
    });
    expect(me.statusCode).toBe(200);
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  async function create(payload: Record<string, unknown>, user = alice) {
    return server.app.inject({ method: 'POST', url: '/api/events', headers: tma(user), payload });
  }

  async function storedObjectCount(): Promise<number> {
    const row = await database.db
      .selectFrom('calendar_objects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('creates an event from local times in the user’s zone and answers 201 with id, etag and Location', async () => {
    const response = await create({
      summary: 'Dentist',
      start: '2026-03-10T15:00',
      end: '2026-03-10T16:00',
      location: 'Main St 1',
      reminders: [30],
    });
    expect(response.statusCode).toBe(201);
    const event = response.json();
    expect(event).toMatchObject({
      summary: 'Dentist',
      start: '2026-03-10T14:00:00.000Z',
      end: '2026-03-10T15:00:00.000Z',
      timezone: 'Europe/Berlin',
      location: 'Main St 1',
      reminders: [30],
      allDay: false,
    });
    expect(response.headers.etag).toBe(event.etag);
    expect(response.headers.location).toBe(`/api/events/${event.id}`);
  });

  it('creates an all-day event and shows its dates', async () => {
    const response = await create({
      summary: 'Holiday',
      start: '2026-07-01',
      end: '2026-07-03',
      allDay: true,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ start: '2026-07-01', end: '2026-07-03', allDay: true });
  });

  it.each([
    ['a missing summary', { start: '2026-03-10T15:00', end: '2026-03-10T16:00' }],
    ['an end before the start', { summary: 'x', start: '2026-03-10T15:00', end: '2026-03-10T14:00' }],
    [
      'an unknown time zone',
      { summary: 'x', start: '2026-03-10T15:00', end: '2026-03-10T16:00', timezone: 'Mars/Base' },
    ],
    [
      'an invalid RRULE',
      { summary: 'x', start: '2026-03-10T15:00', end: '2026-03-10T16:00', rrule: 'FREQ=SOMETIMES' },
    ],
    ['an unknown field', { summary: 'x', start: '2026-03-10T15:00', end: '2026-03-10T16:00', colour: 'red' }],
    ['a malformed date', { summary: 'x', start: 'next tuesday', end: '2026-03-10T16:00' }],
    [
      'a negative reminder',
      { summary: 'x', start: '2026-03-10T15:00', end: '2026-03-10T16:00', reminders: [-5] },
    ],
  ])('answers 400 problem+json for %s and stores nothing', async (_case, payload) => {
    const before = await storedObjectCount();
    expectProblem(await create(payload), 400);
    expect(await storedObjectCount()).toBe(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/events',
      headers: { ...tma(alice), 'content-type': 'application/json' },
      payload: '{"summary": "x",',
    });
    expectProblem(response, 400);
  });

  it('answers 413 for an oversized body and stores nothing', async () => {
    const before = await storedObjectCount();
    const response = await create({
      summary: 'Big',
      start: '2026-03-10T15:00',
      end: '2026-03-10T16:00',
      description: 'x'.repeat(100_000),
    });
    expectProblem(response, 413);
    expect(await storedObjectCount()).toBe(before);
  });

  it('lists a range with a weekly series expanded into occurrences', async () => {
    const created = await create({
      summary: 'Yoga',
      start: '2026-09-03T09:00',
      end: '2026-09-03T10:00',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    expect(created.statusCode).toBe(201);
    const response = await server.app.inject({
      method: 'GET',
      url: '/api/events?start=2026-09-01T00:00:00Z&end=2026-10-01T00:00:00Z',
      headers: tma(alice),
    });
    expect(response.statusCode).toBe(200);
    const yoga = response.json().occurrences.filter((o: { summary: string }) => o.summary === 'Yoga');
    expect(yoga.map((o: { start: string }) => o.start)).toEqual([
      '2026-09-03T07:00:00.000Z',
      '2026-09-10T07:00:00.000Z',
      '2026-09-17T07:00:00.000Z',
    ]);
    expect(yoga.every((o: { isRecurring: boolean }) => o.isRecurring)).toBe(true);
  });

  it('answers 400 for a listing without a range or with a range over 400 days', async () => {
    expectProblem(await server.app.inject({ method: 'GET', url: '/api/events', headers: tma(alice) }), 400);
    expectProblem(
      await server.app.inject({
        method: 'GET',
        url: '/api/events?start=2026-01-01T00:00:00Z&end=2028-01-01T00:00:00Z',
        headers: tma(alice),
      }),
      400,
    );
  });

  it('reads, patches with If-Match, and refuses a stale ETag with 412 leaving the event unchanged', async () => {
    const event = (
      await create({ summary: 'Call', start: '2026-04-01T10:00', end: '2026-04-01T10:30', reminders: [10] })
    ).json();
    const read = await server.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: tma(alice),
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(event.etag);

    const patched = await server.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}`,
      headers: { ...tma(alice), 'if-match': event.etag },
      payload: { summary: 'Call with Anna' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ summary: 'Call with Anna', reminders: [10], sequence: 1 });
    expect(patched.headers.etag).not.toBe(event.etag);

    const stale = await server.app.inject({
      method: 'PATCH',
      url: `/api/events/${event.id}`,
      headers: { ...tma(alice), 'if-match': event.etag },
      payload: { summary: 'Overwritten' },
    });
    expectProblem(stale, 412, 'etag-mismatch');
    const after = await server.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: tma(alice),
    });
    expect(after.json().summary).toBe('Call with Anna');
  });

  it('replaces an event with PUT, clearing optional fields left out', async () => {
    const event = (
      await create({ summary: 'Lunch', start: '2026-04-02T12:00', end: '2026-04-02T13:00', location: 'Cafe' })
    ).json();
    const response = await server.app.inject({
      method: 'PUT',
      url: `/api/events/${event.id}`,
      headers: { ...tma(alice), 'if-match': event.etag },
      payload: { summary: 'Late lunch', start: '2026-04-02T13:00', end: '2026-04-02T14:00' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      summary: 'Late lunch',
      start: '2026-04-02T11:00:00.000Z',
      location: null,
    });
  });

  it('hides another user’s event: 404 on read, patch and delete, and the event survives', async () => {
    const event = (
      await create({ summary: 'Secret', start: '2026-05-01T10:00', end: '2026-05-01T11:00' })
    ).json();
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await server.app.inject({
        method,
        url: `/api/events/${event.id}`,
        headers: tma(bob),
        ...(method === 'PATCH' ? { payload: { summary: 'Mine now' } } : {}),
      });
      expectProblem(response, 404, 'event-not-found');
    }
    expectProblem(
      await server.app.inject({ method: 'GET', url: '/api/events/not-an-id', headers: tma(bob) }),
      404,
      'event-not-found',
    );
    const still = await server.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: tma(alice),
    });
    expect(still.json().summary).toBe('Secret');
  });

  it('deletes with If-Match: 412 for a stale ETag, 204 for the current one, then 404', async () => {
    const event = (
      await create({ summary: 'Gone soon', start: '2026-06-01T10:00', end: '2026-06-01T11:00' })
    ).json();
    const url = `/api/events/${event.id}`;
    expectProblem(
      await server.app.inject({ method: 'DELETE', url, headers: { ...tma(alice), 'if-match': '"0000"' } }),
      412,
    );
    const deleted = await server.app.inject({
      method: 'DELETE',
      url,
      headers: { ...tma(alice), 'if-match': event.etag },
    });
    expect(deleted.statusCode).toBe(204);
    expectProblem(await server.app.inject({ method: 'GET', url, headers: tma(alice) }), 404);
  });
});
