import type { AddressInfo } from 'node:net';
import { DAVClient } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
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

// What each client sends for a first sync of one calendar of `n` events: DAVx5 multigets 10 hrefs at a
// time (docs/caldav-client-quirks.md#davx5-multiget-etags), Evolution 100, tsdav all of them in one.
const davx5Discovery = 4; // PROPFIND /, the principal, the home (Depth 1), the calendar (Depth 0)
function davx5FirstSync(n: number): number {
  return davx5Discovery + 1 + Math.ceil(n / 10); // + sync-collection + multigets of 10
}

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

  /** Every status and every href with calendar-data one client received. */
  function tally() {
    const statuses: number[] = [];
    const fetched = new Set<string>();
    return {
      statuses,
      fetched,
      record(status: number, body: string) {
        statuses.push(status);
        for (const match of body.matchAll(/<d:href>([^<]+\.ics)<\/d:href>[\s\S]*?<\/d:response>/g)) {
          if (match[0].includes('calendar-data')) fetched.add(match[1]?.split('/').pop() ?? '');
        }
      },
    };
  }

  const hrefsIn = (body: string) =>
    [...body.matchAll(/<d:href>([^<]+\.ics)<\/d:href>/g)].map((m) => m[1] ?? '');

  /** DAVx5 (bitfireAT/davx5-ose SyncManager): discovery, sync-collection, then multigets of 10. */
  async function davx5Like() {
    const t = tally();
    const step = async (method: string, path: string, body: string, depth: string) => {
      const response = await dav('alice', method, path, body, { depth });
      const text = await response.text();
      t.record(response.status, text);
      return text;
    };
    const alice = harness.users.alice;
    await step('PROPFIND', '/', propfindBody('<d:current-user-principal/>'), '0');
    await step('PROPFIND', `/principals/${alice.id}/`, propfindBody('<c:calendar-home-set/>'), '0');
    await step(
      'PROPFIND',
      `/calendars/${alice.id}/`,
      propfindBody('<d:resourcetype/><d:displayname/><d:current-user-privilege-set/>'),
      '1',
    );
    const calendarPath = `/calendars/${alice.id}/default/`;
    await step(
      'PROPFIND',
      calendarPath,
      propfindBody('<d:supported-report-set/><cs:getctag/><d:sync-token/>'),
      '0',
    );
    const listing = await step(
      'REPORT',
      calendarPath,
      '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
      '1',
    );
    const hrefs = hrefsIn(listing);
    for (let i = 0; i < hrefs.length; i += 10) {
      const batch = hrefs.slice(i, i + 10).map((href) => `<d:href>${href}</d:href>`);
      await step(
        'REPORT',
        calendarPath,
        `<?xml version="1.0"?><c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${batch.join('')}</c:calendar-multiget>`,
        '1',
      );
    }
    return t;
  }

  /** Evolution (evolution-data-server's CalDAV backend): ctag, two calendar-queries, multigets of 100. */
  async function evolutionLike() {
    const t = tally();
    const alice = harness.users.alice;
    const calendarPath = `/calendars/${alice.id}/default/`;
    const step = async (method: string, body: string, depth: string) => {
      const response = await dav('alice', method, calendarPath, body, { depth });
      const text = await response.text();
      t.record(response.status, text);
      return text;
    };
    await step('PROPFIND', propfindBody('<cs:getctag/>'), '0');
    const query = (range: string) =>
      `<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${range}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
    await step('REPORT', query('<c:time-range start="20260301T000000Z" end="20260315T000000Z"/>'), '1');
    const hrefs = hrefsIn(await step('REPORT', query(''), '1'));
    for (let i = 0; i < hrefs.length; i += 100) {
      const batch = hrefs.slice(i, i + 100).map((href) => `<d:href>${href}</d:href>`);
      await step(
        'REPORT',
        `<?xml version="1.0"?><c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${batch.join('')}</c:calendar-multiget>`,
        '1',
      );
    }
    return t;
  }

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
    const [davx5, evolution, tsdav] = await Promise.all([davx5Like(), evolutionLike(), tsdavFirstSync()]);
    for (const client of [davx5, evolution, tsdav]) {
      expect(client.statuses.filter((status) => status >= 400)).toEqual([]);
      expect([...client.fetched].sort()).toEqual([...hrefNames].sort());
    }
    // The count the README's arithmetic rests on: DAVx5 is the chattiest real client.
    expect(davx5.statuses).toHaveLength(davx5FirstSync(n));
    expect(evolution.statuses.length).toBeLessThan(davx5.statuses.length);
    expect(tsdav.statuses.length).toBeLessThan(davx5.statuses.length);
  });

  it('has a default burst that holds three DAVx5 first syncs of 5,000 events', () => {
    const { CALDAV_RATE_LIMIT_BURST: burst } = loadConfig({});
    expect(3 * davx5FirstSync(5_000)).toBeLessThanOrEqual(burst);
  });
});
