import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { type RestAndCaldav, startRestAndCaldav } from './rest-caldav-support.ts';
import { tma } from './rest-support.ts';

/** An open text/event-stream read by a real HTTP client, collecting its events. */
interface OpenStream {
  response: IncomingMessage;
  /** Resolves with the first event of that name whose data passes `match`. */
  next(name: string, match?: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): void;
}

describe(`REST change stream (server-sent events) [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: RestAndCaldav;
  let origin: string;
  const alice = { id: 3501 };
  const bob = { id: 3502 };

  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startRestAndCaldav(database);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    for (const user of [alice, bob]) await server.rest(user, 'GET', '/api/me');
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  function open(user: { id: number }): Promise<OpenStream> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${origin}/api/changes`, {
        headers: { ...tma(user), accept: 'text/event-stream' },
      });
      request.on('error', reject);
      request.on('response', (response) => {
        const events: Array<{ name: string; data: Record<string, unknown> }> = [];
        const waiters: Array<() => void> = [];
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (name && data) events.push({ name, data: JSON.parse(data) });
            for (const wake of waiters.splice(0)) wake();
            end = buffer.indexOf('\n\n');
          }
        });
        resolve({
          response,
          next: (name, match = () => true) =>
            new Promise((found) => {
              const look = () => {
                const index = events.findIndex((event) => event.name === name && match(event.data));
                if (index >= 0) found(events.splice(index, 1)[0]?.data ?? {});
                else waiters.push(look);
              };
              look();
            }),
          close: () => request.destroy(),
        });
      });
      request.end();
    });
  }

  it('tells an open stream about a change made over REST, with the calendar and its new sync token', async () => {
    const stream = await open(alice);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers['cache-control']).toBe('no-store');
    const created = await server.rest(alice, 'POST', '/api/events', {
      payload: { summary: 'Seen live', start: '2026-05-01T10:00:00Z', end: '2026-05-01T11:00:00Z' },
    });
    const change = await stream.next('change');
    const calendars = (await server.rest(alice, 'GET', '/api/calendars')).json();
    expect(change).toEqual({
      calendarId: created.json().calendarId,
      syncToken: String(calendars[0].syncRevision),
      syncRevision: calendars[0].syncRevision,
    });
    stream.close();
  });

  it('tells the stream about a change written by another process (its database notification)', async () => {
    const stream = await open(alice);
    // Another server process: its own services, sharing only the database.
    const other = createServices(database.db);
    const calendar = await other.calendars.defaultCalendar(alice.id);
    await other.calendars.putObject(
      alice.id,
      calendar.id,
      'from-caldav.ics',
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'BEGIN:VEVENT',
        'UID:from-caldav@test',
        'DTSTAMP:20260401T000000Z',
        'DTSTART:20260502T100000Z',
        'SUMMARY:From a calendar app',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    const after = await other.calendars.defaultCalendar(alice.id);
    const change = await stream.next('change', (data) => data.syncRevision === after.syncRevision);
    expect(change).toMatchObject({ calendarId: calendar.id });
    stream.close();
  });

  it('tells the stream when a calendar is made or deleted elsewhere, and watches the new one at once', async () => {
    const stream = await open(alice);
    const bobStream = await open(bob);
    // Another process makes a calendar, as MKCALENDAR from a calendar app does.
    const other = createServices(database.db);
    const work = await other.calendarCollections.createCalendar(alice.id, { slug: 'work', name: 'Work' });
    expect(await stream.next('calendars')).toEqual({});

    await other.calendars.putObject(
      alice.id,
      work.id,
      'in-work.ics',
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'BEGIN:VEVENT',
        'UID:in-work@test',
        'DTSTAMP:20260401T000000Z',
        'DTSTART:20260503T100000Z',
        'SUMMARY:In the new calendar',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    expect(await stream.next('change', (data) => data.calendarId === work.id)).toMatchObject({
      syncRevision: 1,
    });

    await other.calendarCollections.deleteCalendar(alice.id, work.id);
    expect(await stream.next('calendars')).toEqual({});
    // Bob heard none of it: his stream has only his own calendars' news.
    await server.rest(bob, 'POST', '/api/events', {
      payload: { summary: 'Bob', start: '2026-05-01T10:00:00Z', end: '2026-05-01T11:00:00Z' },
    });
    await bobStream.next('change');
    expect(await Promise.race([bobStream.next('calendars'), Promise.resolve('none')])).toBe('none');
    stream.close();
    bobStream.close();
  });

  /** Resolves once the server holds `count` open streams (closing is noticed asynchronously). */
  function openStreamsReach(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () =>
        server.services.changeFeed.openStreams === count ? resolve() : setTimeout(check, 10);
      check();
    });
  }

  it('says nothing to another user, and limits open streams per user to 8', async () => {
    await openStreamsReach(0);
    const bobs = await open(bob);
    const streams = [];
    for (let i = 0; i < 8; i++) streams.push(await open(alice));
    expect(streams.map((stream) => stream.response.statusCode)).toEqual(Array(8).fill(200));
    const refused = await open(alice);
    expect(refused.response.statusCode).toBe(429);
    expect(refused.response.headers['content-type']).toMatch(/^application\/problem\+json/);
    await server.rest(alice, 'POST', '/api/events', {
      payload: { summary: 'Alice only', start: '2026-05-03T10:00:00Z', end: '2026-05-03T11:00:00Z' },
    });
    await Promise.all(streams.map((stream) => stream.next('change')));
    // Every stream of a change hears it in the same turn: Bob's would have by now.
    const bobSees = await Promise.race([
      bobs.next('change').then(() => 'change'),
      new Promise((resolve) => setImmediate(() => setImmediate(() => resolve('nothing')))),
    ]);
    expect(bobSees).toBe('nothing');
    for (const stream of [bobs, ...streams, refused]) stream.close();
  });

  it('ends a stream when its client goes away', async () => {
    await openStreamsReach(0);
    const stream = await open(bob);
    expect(server.services.changeFeed.openStreams).toBe(1);
    stream.close();
    await openStreamsReach(0);
  });
});
