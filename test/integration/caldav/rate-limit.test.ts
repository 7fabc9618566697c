import type { AddressInfo } from 'node:net';
import { DAVClient } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import {
  type DavRequest,
  davx5FirstSync,
  davx5FirstSyncRequests,
  evolutionFirstSync,
} from '../../support/first-sync-clients.ts';
import { testEngine } from '../../support/test-database.ts';
import { type CaldavHarness, event, propfindBody, startCaldavHarness } from './caldav-harness.ts';

type Who = 'alice' | 'bob';

/** The harness's server listening on 127.0.0.1, and a CalDAV request over real HTTP as `who`. */
async function listen(harness: CaldavHarness) {
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
  const authorization = (who: Who) => {
    const { id, password } = harness.users[who];
    return `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`;
  };
  const dav = (who: Who, method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: authorization(who),
        ...(body === undefined ? {} : { 'content-type': 'application/xml; charset=utf-8' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
  return { baseUrl, dav };
}

describe(`CalDAV per-user rate limit over HTTP [${testEngine}]`, () => {
  let harness: CaldavHarness;
  let dav: Awaited<ReturnType<typeof listen>>['dav'];

  beforeAll(async () => {
    // A burst of 4 earning 2 requests a second back: small enough to run out of, quick to refill.
    harness = await startCaldavHarness(
      {},
      { CALDAV_RATE_LIMIT_BURST: '4', CALDAV_RATE_LIMIT_PER_MINUTE: '120' },
    );
    ({ dav } = await listen(harness));
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a user past the burst with 503, Retry-After and a DAV error, changing nothing; serves another user meanwhile; serves the first again once refilled', async () => {
    const alice = harness.users.alice;
    const calendarPath = `/calendars/${alice.id}/default/`;
    const ctag = propfindBody('<cs:getctag/>');
    for (let i = 0; i < 4; i++) {
      expect((await dav('alice', 'PROPFIND', calendarPath, ctag, { depth: '0' })).status).toBe(207);
    }
    const before = await harness.services.caldav.findCalendar(alice.id, 'default');

    const put = () =>
      dav('alice', 'PUT', `${calendarPath}over-limit.ics`, event('over-limit'), {
        'content-type': 'text/calendar; charset=utf-8',
        'if-none-match': '*',
      });
    const refused = await put();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-type')).toMatch(/^application\/xml/);
    const body = await refused.text();
    expect(body).toContain('<d:error');
    expect(body).toContain('Too many requests from this account');

    // The operator sees it as throttling, not as a server fault.
    const metrics = await harness.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^televent_requests_throttled_total\{limit="caldav-requests"\} 1$/m);

    // Bob has his own bucket, whatever Alice does.
    const bobPath = `/calendars/${harness.users.bob.id}/default/`;
    expect((await dav('bob', 'PROPFIND', bobPath, ctag, { depth: '0' })).status).toBe(207);

    // The refused PUT stored nothing and moved no sync token.
    const after = await harness.services.caldav.findCalendar(alice.id, 'default');
    expect(after?.syncRevision).toBe(before?.syncRevision);
    await expect(
      harness.services.calendars.getObject(alice.id, alice.calendarId, 'over-limit.ics'),
    ).rejects.toMatchObject({ reason: 'event-not-found' });

    // Refused requests spend nothing: once a token has come back, the same PUT goes through.
    await vi.waitFor(
      async () => {
        expect((await put()).status).toBe(201);
      },
      { timeout: 20_000, interval: 100 },
    );
    const stored = await harness.services.calendars.getObject(alice.id, alice.calendarId, 'over-limit.ics');
    expect(stored.ical).toBe(event('over-limit'));
  });
});

describe(`A full first sync by three clients stays under the default CalDAV rate limit [${testEngine}]`, () => {
  const n = 300;
  let harness: CaldavHarness;
  let baseUrl: string;
  let dav: Awaited<ReturnType<typeof listen>>['dav'];
  const hrefNames = Array.from({ length: n }, (_, i) => `first-sync-${i}.ics`);

  beforeAll(async () => {
    harness = await startCaldavHarness();
    ({ baseUrl, dav } = await listen(harness));
    const alice = harness.users.alice;
    for (let i = 0; i < n; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const hour = String(8 + (i % 10)).padStart(2, '0');
      await harness.services.calendars.putObject(
        alice.id,
        alice.calendarId,
        hrefNames[i] ?? '',
        event(
          `first-sync-${i}`,
          [`LOCATION:Room ${i % 40}`],
          `202603${day}T${hour}0000Z`,
          `202603${day}T${hour}3000Z`,
        ),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  /** tsdav: discovery, then a calendar-query for hrefs and one multiget for all of them. */
  async function tsdavFirstSync() {
    const statuses: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    const alice = harness.users.alice;
    const client = new DAVClient({
      serverUrl: `${baseUrl}/`,
      credentials: { username: String(alice.id), password: alice.password },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
      fetch: counting,
    });
    await client.login();
    const [calendar] = await client.fetchCalendars();
    if (!calendar) throw new Error('tsdav found no calendar');
    const objects = await client.fetchCalendarObjects({ calendar });
    return {
      statuses,
      fetched: new Set(objects.filter((o) => o.data).map((o) => o.url.split('/').pop() ?? '')),
    };
  }

  it('fetches every event in all three clients at once, with no request refused', async () => {
    const request: DavRequest = (method, path, body, depth) => dav('alice', method, path, body, { depth });
    const alice = harness.users.alice.id;
    const [davx5, evolution, tsdav] = await Promise.all([
      davx5FirstSync(request, alice),
      evolutionFirstSync(request, alice),
      tsdavFirstSync(),
    ]);
    for (const client of [davx5, evolution, tsdav]) {
      expect(client.statuses.filter((status) => status >= 400)).toEqual([]);
      expect([...client.fetched].sort()).toEqual([...hrefNames].sort());
    }
    // The count the README's arithmetic rests on: DAVx5 is the chattiest real client.
    expect(davx5.statuses).toHaveLength(davx5FirstSyncRequests(n));
    expect(evolution.statuses.length).toBeLessThan(davx5.statuses.length);
    expect(tsdav.statuses.length).toBeLessThan(davx5.statuses.length);
  });

  it('has a default burst that holds three DAVx5 first syncs of 5,000 events', () => {
    const { CALDAV_RATE_LIMIT_BURST: burst } = loadConfig({});
    expect(3 * davx5FirstSyncRequests(5_000)).toBeLessThanOrEqual(burst);
  });
});
