import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultFeedFetchLimits, type FeedFetchLimits } from '../../../src/worker/feed-fetcher.ts';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, openWorkerTest, type WorkerTest } from './worker-support.ts';

const hour = 3_600_000;
let nextUser = 7101;

/** A feed of events, one per UID, as a holiday or team calendar publishes it. */
function feedText(events: Array<{ uid: string; summary: string }>, name = 'Team holidays'): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Feed//EN', `X-WR-CALNAME:${name}`];
  for (const [index, event] of events.entries()) {
    const day = String(10 + index).padStart(2, '0');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:2026120${(index % 9) + 1}T000000Z`,
      `DTSTART:202701${day}T090000Z`,
      `DTEND:202701${day}T100000Z`,
      `SUMMARY:${event.summary}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

/** A local feed server: the feed with ETag revalidation, plus slow, huge and redirecting ones. */
class FeedServer {
  feed = feedText([]);
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  readonly #server: Server;
  #base = '';

  constructor() {
    this.#server = createServer((request, response) => {
      const path = request.url ?? '/';
      this.requests.push({ path, headers: request.headers });
      this.#answer(path, request.headers, response);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `${this.#base}${path}`;
  }

  requestsTo(path: string) {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #answer(path: string, headers: IncomingHttpHeaders, response: ServerResponse): void {
    if (path.startsWith('/feed')) {
      const etag = `"${createHash('sha256').update(this.feed).digest('hex').slice(0, 16)}"`;
      if (headers['if-none-match'] === etag) {
        response.writeHead(304, { etag }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/calendar', etag }).end(this.feed);
      return;
    }
    if (path === '/slow.ics') {
      // Headers at once, then nothing: only the fetch's time bound ends this.
      response.writeHead(200, { 'content-type': 'text/calendar' });
      response.write('BEGIN:VCALENDAR\r\n');
      return;
    }
    if (path === '/huge.ics') {
      response.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = `X-FILLER:${'x'.repeat(1000)}\r\n`.repeat(64);
      let sent = 0;
      const pump = () => {
        while (sent < 7 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end('END:VCALENDAR\r\n');
      };
      pump();
      return;
    }
    if (path === '/page.html') {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>Not a calendar</body></html>');
      return;
    }
    const redirect = /^\/r\/(\d+)$/.exec(path);
    if (redirect) {
      const left = Number(redirect[1]);
      response
        .writeHead(302, { location: left === 0 ? '/feed-after-redirects.ics' : `/r/${left - 1}` })
        .end();
      return;
    }
    response.writeHead(404).end();
  }
}

describe(`feed subscriptions [${testEngine}]`, () => {
  let test: WorkerTest;
  let server: FeedServer;
  let worker: WorkerHandle;
  let user: number;

  const allowed: FeedFetchLimits = { ...defaultFeedFetchLimits, timeoutMs: 300, allowPrivateAddresses: true };

  beforeAll(async () => {
    test = await openWorkerTest();
    server = new FeedServer();
    await server.listen();
    worker = test.start({ workerId: 'feeds', feedFetch: allowed });
  });
  afterAll(async () => {
    await worker.stop();
    await server.close();
    await test.close();
  });
  beforeEach(async () => {
    user = nextUser++;
    await test.services.accounts.ensureUser({ telegramId: user });
  });

  async function subscribe(url: string, name?: string) {
    const calendar = await test.services.calendarSubscriptions.subscribe(
      user,
      { url, ...(name ? { name } : {}) },
      { allowPrivateAddresses: true },
    );
    await drained(test, 'calendar.fetch-subscription');
    return calendar;
  }

  async function refresh(calendarId: string) {
    test.clock.advance(61_000); // one refresh a minute
    await test.services.calendarSubscriptions.requestRefresh(user, calendarId);
    await drained(test, 'calendar.fetch-subscription');
  }

  function subscriptionRow(calendarId: string) {
    return test.database.db
      .selectFrom('calendar_subscriptions')
      .selectAll()
      .where('calendar_id', '=', calendarId)
      .executeTakeFirstOrThrow();
  }

  function objectsOf(calendarId: string) {
    return test.database.db
      .selectFrom('calendar_objects')
      .select(['uid', 'href_name', 'etag', 'summary'])
      .where('calendar_id', '=', calendarId)
      .orderBy('uid')
      .execute();
  }

  async function calendarOf(calendarId: string) {
    const calendars = await test.services.calendars.listCalendars(user);
    const calendar = calendars.find((c) => c.id === calendarId);
    if (!calendar) throw new Error('calendar gone');
    return calendar;
  }

  it('fills the calendar on the first fetch, revalidates with a 304, then applies exactly the diff', async () => {
    server.feed = feedText([
      { uid: 'a@feed', summary: 'New Year' },
      { uid: 'b@feed', summary: 'Offsite' },
      { uid: 'c@feed', summary: 'Retro' },
    ]);
    const calendar = await subscribe(server.url('/feed-1.ics'));
    const first = await objectsOf(calendar.id);
    expect(first.map((o) => o.summary)).toEqual(['New Year', 'Offsite', 'Retro']);
    const named = await calendarOf(calendar.id);
    expect(named.name).toBe('Team holidays'); // X-WR-CALNAME, as no name was given
    expect(named.readOnly).toBe(true);
    const afterFirst = await subscriptionRow(calendar.id);
    expect(afterFirst.last_error).toBeNull();
    expect(afterFirst.etag).not.toBeNull();

    await refresh(calendar.id);
    const revalidation = server.requestsTo('/feed-1.ics').at(-1);
    expect(revalidation?.headers['if-none-match']).toBe(afterFirst.etag);
    expect(await objectsOf(calendar.id)).toEqual(first);
    expect((await calendarOf(calendar.id)).syncRevision).toBe(named.syncRevision);
    const afterNotModified = await subscriptionRow(calendar.id);
    expect(afterNotModified.last_success_at?.getTime()).toBeGreaterThan(
      afterFirst.last_success_at?.getTime() ?? 0,
    );

    server.feed = feedText([
      { uid: 'a@feed', summary: 'New Year' },
      { uid: 'b@feed', summary: 'Offsite (moved)' },
      { uid: 'd@feed', summary: 'Planning' },
    ]);
    await refresh(calendar.id);
    const second = await objectsOf(calendar.id);
    expect(second.map((o) => o.summary)).toEqual(['New Year', 'Offsite (moved)', 'Planning']);
    const [a0, b0] = first;
    const [a1, b1] = second;
    expect(a1).toEqual(a0); // unchanged: same href and etag
    expect(b1?.href_name).toBe(b0?.href_name);
    expect(b1?.etag).not.toBe(b0?.etag);
    const changes = await test.database.db
      .selectFrom('calendar_changes')
      .select(['href_name', 'operation'])
      .where('calendar_id', '=', calendar.id)
      .where('revision', '>', named.syncRevision)
      .orderBy('href_name')
      .execute();
    expect(changes).toEqual([
      { href_name: b0?.href_name, operation: 'modified' },
      { href_name: first[2]?.href_name, operation: 'deleted' },
      { href_name: 'd@feed.ics', operation: 'created' },
    ]);
  });

  it('ends a stalled feed with feed-timeout while other feeds are fetched', async () => {
    server.feed = feedText([{ uid: 'x@feed', summary: 'Standup' }]);
    const [slow, normal] = await Promise.all([
      test.services.calendarSubscriptions.subscribe(
        user,
        { url: server.url('/slow.ics'), name: 'Slow' },
        { allowPrivateAddresses: true },
      ),
      test.services.calendarSubscriptions.subscribe(
        user,
        { url: server.url('/feed-2.ics'), name: 'Normal' },
        { allowPrivateAddresses: true },
      ),
    ]);
    await drained(test, 'calendar.fetch-subscription');
    expect((await objectsOf(normal.id)).map((o) => o.summary)).toEqual(['Standup']);
    const stalled = await subscriptionRow(slow.id);
    expect(stalled.last_error).toMatch(/^feed-timeout: /);
    expect(await objectsOf(slow.id)).toEqual([]);
  });

  it('stops reading a huge feed (feed-too-large) and leaves the calendar as it was', async () => {
    server.feed = feedText([{ uid: 'h@feed', summary: 'Kept' }]);
    const calendar = await subscribe(server.url('/feed-3.ics'), 'Big');
    const before = await objectsOf(calendar.id);
    await test.database.db
      .updateTable('calendar_subscriptions')
      .set({ url: server.url('/huge.ics') })
      .where('calendar_id', '=', calendar.id)
      .execute();
    await refresh(calendar.id);
    expect((await subscriptionRow(calendar.id)).last_error).toMatch(/^feed-too-large: /);
    expect(await objectsOf(calendar.id)).toEqual(before);
  });

  it('refuses a page that is not iCalendar (feed-invalid) and keeps the calendar as it was', async () => {
    server.feed = feedText([{ uid: 'k@feed', summary: 'Kept too' }]);
    const calendar = await subscribe(server.url('/feed-5.ics'), 'Turned into a page');
    await test.database.db
      .updateTable('calendar_subscriptions')
      .set({ url: server.url('/page.html') })
      .where('calendar_id', '=', calendar.id)
      .execute();
    await refresh(calendar.id);
    expect((await subscriptionRow(calendar.id)).last_error).toMatch(/^feed-invalid: /);
    expect((await objectsOf(calendar.id)).map((o) => o.summary)).toEqual(['Kept too']);
  });

  it('follows redirects up to five and refuses a longer chain', async () => {
    server.feed = feedText([{ uid: 'r@feed', summary: 'Redirected' }]);
    const five = await subscribe(server.url('/r/4'), 'Five hops'); // /r/4 … /r/0 → feed: 5 redirects
    expect((await objectsOf(five.id)).map((o) => o.summary)).toEqual(['Redirected']);
    const six = await subscribe(server.url('/r/5'), 'Six hops');
    expect((await subscriptionRow(six.id)).last_error).toMatch(/^feed-too-many-redirects: /);
    expect(await objectsOf(six.id)).toEqual([]);
  });

  it('backs off after failures and tells the owner once', async () => {
    const calendar = await subscribe(server.url('/missing.ics'), 'Broken');
    const first = await subscriptionRow(calendar.id);
    expect(first.failure_count).toBe(1);
    expect(first.last_error).toMatch(/^feed-http-error: .*404/);
    const firstDelay = first.next_fetch_at.getTime() - (first.last_attempt_at?.getTime() ?? 0);
    expect(firstDelay).toBe(hour);

    await refresh(calendar.id);
    const second = await subscriptionRow(calendar.id);
    expect(second.failure_count).toBe(2);
    expect(second.next_fetch_at.getTime() - (second.last_attempt_at?.getTime() ?? 0)).toBe(2 * hour);

    const view = await test.services.calendarSubscriptions.subscriptionOf(user, calendar.id);
    expect(view?.error?.reason).toBe('feed-http-error');
    const messages = test.telegram.sentMessages(user);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain('Broken');
  });

  it('fetches again when due, found by the periodic scan, every 6 hours by default', async () => {
    server.feed = feedText([{ uid: 's@feed', summary: 'Before' }]);
    const calendar = await subscribe(server.url('/feed-4.ics'), 'Scanned');
    const first = await subscriptionRow(calendar.id);
    expect(first.next_fetch_at.getTime() - (first.last_success_at?.getTime() ?? 0)).toBe(6 * hour);

    server.feed = feedText([{ uid: 's@feed', summary: 'After' }]);
    test.clock.advance(6 * hour + 60_000);
    await test.services.jobQueue.enqueue([{ kind: 'subscriptions.fetch-due', payload: {} }]);
    await drained(test, 'subscriptions.fetch-due');
    await drained(test, 'calendar.fetch-subscription');
    expect((await objectsOf(calendar.id)).map((o) => o.summary)).toEqual(['After']);
  });

  describe('with FEED_FETCH_ALLOW_PRIVATE off', () => {
    let strict: WorkerHandle;

    beforeAll(async () => {
      await worker.stop();
      strict = test.start({
        workerId: 'feeds-strict',
        feedFetch: { ...allowed, allowPrivateAddresses: false },
      });
    });
    afterAll(async () => {
      await strict.stop();
    });

    it.each([
      ['a loopback address', (port: number) => `http://127.0.0.1:${port}/feed-private.ics`],
      ['a name resolving to loopback', (port: number) => `http://localhost:${port}/feed-private.ics`],
      ['IPv6 loopback', (port: number) => `http://[::1]:${port}/feed-private.ics`],
      ['a private network address', () => 'http://10.0.0.1/feed-private.ics'],
    ])('refuses %s without connecting', async (_label, urlOf) => {
      const calendar = await subscribe(urlOf(server.port), 'Private');
      expect((await subscriptionRow(calendar.id)).last_error).toMatch(/^feed-address-refused: /);
      expect(server.requestsTo('/feed-private.ics')).toEqual([]);
    });
  });
});
