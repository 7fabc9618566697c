import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildRestServer, expectProblem, type RestTestServer, tma } from './rest-support.ts';

const grace = { id: 4301, username: 'grace' };
const heidi = { id: 4302, username: 'heidi' };

const todo = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VTODO',
  'UID:task-1@test',
  'DTSTAMP:20260401T000000Z',
  'SUMMARY:Private errand',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe(`calendar feeds: a secret read-only .ics URL per calendar [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestTestServer;
  let origin: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await buildRestServer(database);
    // A real socket: the feed is followed by a plain HTTP client, as Google Calendar would.
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.app.close();
    await database?.close();
  });

  const call = (user: { id: number }, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: tma(user), ...(payload ? { payload } : {}) });
  const calendarOf = async (user: { id: number }) => (await call(user, 'GET', '/api/calendars')).json()[0].id;
  const createEvent = async (user: { id: number }, summary: string, start: string) => {
    const end = start.replace('T10', 'T11');
    expect((await call(user, 'POST', '/api/events', { summary, start, end })).statusCode).toBe(201);
  };
  /** Fetches a feed URL from the REST answer on the listening server. */
  const follow = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${new URL(url).pathname}`, { headers });
  const makeFeed = async (user: { id: number }, calendarId: string) => {
    const response = await call(user, 'POST', `/api/calendars/${calendarId}/feed`);
    expect(response.statusCode).toBe(201);
    return response.json() as { url: string; webcalUrl: string };
  };

  it('serves the calendar to a plain HTTP client, revalidates with 304 and changes with the calendar', async () => {
    await createEvent(grace, 'Standup', '2026-05-04T10:00:00Z');
    await createEvent(heidi, 'Heidi secret meeting', '2026-05-04T10:00:00Z');
    const calendarId = await calendarOf(grace);
    await server.services.calendars.putObject(grace.id, calendarId, 'task-1.ics', todo);

    const feed = await makeFeed(grace, calendarId);
    expect(feed.url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(feed.webcalUrl).toBe(feed.url.replace(/^http:/, 'webcal:'));

    const first = await follow(feed.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(first.headers.get('cache-control')).toMatch(/private|no-cache/);
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(lastModified).toBeTruthy();
    const body = await first.text();
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(body).toContain('SUMMARY:Standup');
    // The calendar's events only: no tasks, nothing of another user.
    expect(body).not.toContain('Private errand');
    expect(body).not.toContain('Heidi');

    const revalidated = await follow(feed.url, { 'if-none-match': etag as string });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(await revalidated.text()).toBe('');
    expect((await follow(feed.url, { 'if-modified-since': lastModified as string })).status).toBe(304);

    await createEvent(grace, 'Retro', '2026-05-05T10:00:00Z');
    const changed = await follow(feed.url, { 'if-none-match': etag as string });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain('SUMMARY:Retro');
  });

  it('rotating replaces the URL: the old one is 404, the new one works', async () => {
    const calendarId = await calendarOf(grace);
    const old = await makeFeed(grace, calendarId);
    const rotated = await makeFeed(grace, calendarId);
    expect(rotated.url).not.toBe(old.url);
    expect((await follow(old.url)).status).toBe(404);
    const fresh = await follow(rotated.url);
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toContain('SUMMARY:Standup');
  });

  it('revoking ends the feed with the same 404 as an unknown secret', async () => {
    const calendarId = await calendarOf(grace);
    const feed = await makeFeed(grace, calendarId);
    expect((await call(grace, 'DELETE', `/api/calendars/${calendarId}/feed`)).statusCode).toBe(204);
    const revoked = await follow(feed.url);
    const unknown = await fetch(`${origin}/feeds/${'A'.repeat(43)}.ics`);
    expect(revoked.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await revoked.json()).toEqual(await unknown.json());
    expect((await fetch(`${origin}/feeds/not-a-secret.ics`)).status).toBe(404);
  });

  it("answers another user's calendar like a missing one", async () => {
    const heidisCalendar = await calendarOf(heidi);
    expectProblem(
      await call(grace, 'POST', `/api/calendars/${heidisCalendar}/feed`),
      404,
      'calendar-not-found',
    );
    expectProblem(
      await call(grace, 'DELETE', `/api/calendars/${heidisCalendar}/feed`),
      404,
      'calendar-not-found',
    );
    expectProblem(await call(grace, 'POST', '/api/calendars/not-a-uuid/feed'), 404, 'calendar-not-found');
    // Heidi's own feed, if she has one, was not touched by Grace's attempts.
    const heidisFeed = await makeFeed(heidi, heidisCalendar);
    expectProblem(
      await call(grace, 'DELETE', `/api/calendars/${heidisCalendar}/feed`),
      404,
      'calendar-not-found',
    );
    const body = await (await follow(heidisFeed.url)).text();
    expect(body).toContain('Heidi secret meeting');
    expect(body).not.toContain('Standup');
  });

  it('is described in the OpenAPI document (the feed itself speaks iCalendar and stays out)', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const path = document.paths['/api/calendars/{id}/feed'];
    expect(Object.keys(path.post.responses)).toContain('201');
    expect(path.delete).toBeDefined();
    expect(Object.keys(document.paths).some((p: string) => p.startsWith('/feeds'))).toBe(false);
  });

  it('requires sign-in to make or revoke a feed', async () => {
    const calendarId = await calendarOf(grace);
    const response = await server.app.inject({ method: 'POST', url: `/api/calendars/${calendarId}/feed` });
    expectProblem(response, 401);
  });
});
