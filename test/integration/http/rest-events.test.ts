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

  async function storedIcal(id: string): Promise<string> {
    const row = await database.db
      .selectFrom('calendar_objects')
      .select('ical')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.ical;
  }

  /** A 400 problem whose invalid parameters (or `field`) name `field`. */
  function expectFieldRefused(response: Awaited<ReturnType<typeof create>>, field: string): void {
    expectProblem(response, 400);
    const problem = response.json() as { field?: string; invalidParams?: { name: string }[] };
    const named = [problem.field, ...(problem.invalidParams ?? []).map((p) => p.name)];
    expect(named).toContainEqual(expect.stringMatching(new RegExp(`(^|\\.)${field}$`)));
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

  const times = { start: '2026-03-10T15:00', end: '2026-03-10T16:00' };

  it.each([
    ['summary', { summary: 'Dentist\u0000', ...times }],
    ['summary', { summary: 'Bell\u0007', ...times }],
    ['description', { summary: 'x', ...times, description: 'a\u0000b' }],
    ['description', { summary: 'x', ...times, description: 'escape \u001b[31m red' }],
    ['location', { summary: 'x', ...times, location: 'Room\u0000 1' }],
    ['location', { summary: 'x', ...times, location: 'Room\u007f 1' }],
    ['rrule', { summary: 'x', ...times, rrule: 'FREQ=DAILY\u0000' }],
    ['rrule', { summary: 'x', ...times, rrule: 'FREQ=DAILY\r\nATTENDEE:mailto:x@example.org' }],
  ])('refuses a control character in %s with 400 naming it, and stores nothing', async (field, payload) => {
    const before = await storedObjectCount();
    expectFieldRefused(await create(payload), field);
    expect(await storedObjectCount()).toBe(before);
  });

  it('refuses NUL on PUT and PATCH too, leaving the event as it was', async () => {
    const event = (await create({ summary: 'Untouched', ...times, description: 'as is' })).json();
    for (const [method, payload] of [
      ['PATCH', { description: 'bad\u0000' }],
      ['PUT', { summary: 'Bad\u0000', ...times }],
    ] as const) {
      const response = await server.app.inject({
        method,
        url: `/api/events/${event.id}`,
        headers: tma(alice),
        payload,
      });
      expectFieldRefused(response, method === 'PATCH' ? 'description' : 'summary');
    }
    const after = await server.app.inject({
      method: 'GET',
      url: `/api/events/${event.id}`,
      headers: tma(alice),
    });
    expect(after.json()).toMatchObject({ summary: 'Untouched', description: 'as is', etag: event.etag });
  });

  it('stores CRLF and lone CR in text as line feeds (RFC 5545 §3.3.11), never a raw CR', async () => {
    const response = await create({
      summary: 'Plan\r\nB',
      ...times,
      description: 'one\r\ntwo\rthree\nfour\tfive',
      location: 'Hall\rA',
    });
    expect(response.statusCode).toBe(201);
    const event = response.json();
    expect(event).toMatchObject({
      summary: 'Plan\nB',
      description: 'one\ntwo\nthree\nfour\tfive',
      location: 'Hall\nA',
    });
    const ical = await storedIcal(event.id);
    // Content lines end in CRLF (§3.1); no CR may stand anywhere else.
    expect(ical.replaceAll('\r\n', '')).not.toContain('\r');
    expect(ical).toContain('one\\ntwo\\nthree\\nfour');
  });

  const unrealTimes = ['2026-02-30T10:00', '2026-13-01T10:00', '2026-02-29T10:00', '2026-03-10T25:00'];

  it.each(unrealTimes)('refuses %s with 400 naming the field on POST, PUT and PATCH', async (unreal) => {
    const before = await storedObjectCount();
    expectFieldRefused(await create({ summary: 'x', start: unreal, end: '2026-03-20T10:00' }), 'start');
    expectFieldRefused(await create({ summary: 'x', start: '2026-01-20T10:00', end: unreal }), 'end');
    expect(await storedObjectCount()).toBe(before);

    const event = (await create({ summary: 'Fixed', ...times })).json();
    const url = `/api/events/${event.id}`;
    for (const [method, payload] of [
      ['PATCH', { start: unreal }],
      ['PUT', { summary: 'Moved', start: unreal, end: '2026-03-31T10:00' }],
    ] as const) {
      expectFieldRefused(await server.app.inject({ method, url, headers: tma(alice), payload }), 'start');
    }
    expect((await server.app.inject({ method: 'GET', url, headers: tma(alice) })).json().etag).toBe(
      event.etag,
    );
  });

  it.each(unrealTimes)('refuses %s in a listing range with 400 naming the field', async (unreal) => {
    const list = (start: string, end: string) =>
      server.app.inject({ method: 'GET', url: `/api/events?start=${start}&end=${end}`, headers: tma(alice) });
    expectFieldRefused(await list(unreal, '2026-04-01T00:00'), 'start');
    expectFieldRefused(await list('2026-02-01T00:00', unreal), 'end');
  });

  it('refuses an all-day date that does not exist (2026-02-30)', async () => {
    expectFieldRefused(
      await create({ summary: 'x', start: '2026-02-30', end: '2026-03-02', allDay: true }),
      'start',
    );
  });

  it('refuses an end before the start: a listing range, and a PATCH moving one end past the stored other', async () => {
    expectFieldRefused(
      await server.app.inject({
        method: 'GET',
        url: '/api/events?start=2026-03-10T00:00:00Z&end=2026-03-01T00:00:00Z',
        headers: tma(alice),
      }),
      'end',
    );
    const event = (await create({ summary: 'Short', ...times })).json();
    const url = `/api/events/${event.id}`;
    const patch = (payload: Record<string, string>) =>
      server.app.inject({ method: 'PATCH', url, headers: tma(alice), payload });
    expectFieldRefused(await patch({ end: '2026-03-10T14:00' }), 'end');
    expectFieldRefused(await patch({ start: '2026-03-10T17:00' }), 'start');
    expect((await server.app.inject({ method: 'GET', url, headers: tma(alice) })).json()).toMatchObject({
      start: '2026-03-10T14:00:00.000Z',
      end: '2026-03-10T15:00:00.000Z',
      etag: event.etag,
    });
  });
});
