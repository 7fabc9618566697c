import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../src/app/services.ts';
import {
  defaultKeptResponseBytes,
  keptResponseStats,
  setKeptResponseBytes,
} from '../../../src/caldav/response-cache.ts';
import { testEngine } from '../../support/test-database.ts';
import {
  CALDAV_NS,
  type CaldavHarness,
  DAV_NS,
  event,
  openOtherWriter,
  parseMultistatus,
  propfindBody,
  startCaldavHarness,
} from './caldav-harness.ts';

// Listings, syncs, multigets and time-range queries of a calendar are answered from the process's
// member index and the responses it keeps (app/calendar-member-index.ts, caldav/response-cache.ts).
// These tests write behind the server's back — through services of their own, without waiting for
// any change notification — and compare every answer with what the database holds.

const base = '/calendars/1001/default';
const xmlns = `xmlns:d="${DAV_NS}" xmlns:c="${CALDAV_NS}"`;
const day = (n: number) => `202603${String(10 + n).padStart(2, '0')}`;

describe(`CalDAV answers from the member index follow every write [${testEngine}]`, () => {
  let dav: CaldavHarness;
  let otherWriter: { close(): Promise<void> } | undefined;
  let other: AppServices;
  let calendarId: string;

  beforeAll(async () => {
    dav = await startCaldavHarness();
    const writer = await openOtherWriter(dav);
    otherWriter = writer;
    other = writer.services;
    calendarId = dav.users.alice.calendarId;
  });
  afterAll(async () => {
    await otherWriter?.close();
    await dav?.close();
  });

  /** href name → ETag, as stored. */
  async function stored(): Promise<Map<string, string>> {
    const rows = await dav.database.db
      .selectFrom('calendar_objects')
      .select(['href_name', 'etag'])
      .where('calendar_id', '=', calendarId)
      .execute();
    return new Map(rows.map((row) => [row.href_name, row.etag]));
  }

  async function listing(): Promise<Map<string, string>> {
    const response = await dav.request('PROPFIND', `${base}/`, {
      headers: { depth: '1' },
      body: propfindBody('<d:getetag/><d:getcontenttype/>'),
    });
    expect(response.statusCode).toBe(207);
    const members = parseMultistatus(response.body).responses.filter((r) => r.href !== `${base}/`);
    return new Map(
      members.map((r) => [
        decodeURIComponent(r.href.slice(base.length + 1)),
        r.props.get(`{${DAV_NS}}getetag`)?.element.text ?? '',
      ]),
    );
  }

  async function initialSync(): Promise<Map<string, string>> {
    const response = await dav.request('REPORT', `${base}/`, {
      body: `<d:sync-collection ${xmlns}><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
    });
    expect(response.statusCode).toBe(207);
    return new Map(
      parseMultistatus(response.body).responses.map((r) => [
        decodeURIComponent(r.href.slice(base.length + 1)),
        r.props.get(`{${DAV_NS}}getetag`)?.element.text ?? '',
      ]),
    );
  }

  async function multiget(names: string[]): Promise<Map<string, string>> {
    const hrefs = names.map((name) => `<d:href>${base}/${name}</d:href>`).join('');
    const response = await dav.request('REPORT', `${base}/`, {
      body: `<c:calendar-multiget ${xmlns}><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs}</c:calendar-multiget>`,
    });
    expect(response.statusCode).toBe(207);
    return new Map(
      parseMultistatus(response.body).responses.map((r) => [
        r.href.slice(base.length + 1),
        r.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text ?? r.status ?? '',
      ]),
    );
  }

  async function inRange(start: string, end: string): Promise<string[]> {
    const response = await dav.request('REPORT', `${base}/`, {
      headers: { depth: '1' },
      body: `<c:calendar-query ${xmlns}><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
    });
    expect(response.statusCode).toBe(207);
    return parseMultistatus(response.body)
      .responses.map((r) => r.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text ?? '')
      .sort();
  }

  it('answers listings, syncs, multigets and queries with what another writer just stored', async () => {
    const names = ['a.ics', 'b.ics', 'c.ics', 'with space.ics'];
    for (const [i, name] of names.entries()) {
      const text = event(`index-${i}`, [], `${day(i)}T090000Z`, `${day(i)}T100000Z`);
      expect(
        (await dav.request('PUT', `${base}/${encodeURIComponent(name)}`, { body: text })).statusCode,
      ).toBe(201);
    }
    // Everything read once, so the index and the kept responses hold this state.
    expect(await listing()).toEqual(await stored());
    expect(await initialSync()).toEqual(await stored());
    expect((await multiget(['a.ics', 'b.ics'])).get('a.ics')).toContain('UID:index-0');
    expect(await inRange(`${day(0)}T000000Z`, `${day(1)}T000000Z`)).toHaveLength(1);

    // Another writer changes one, deletes one and adds one; nobody waits for a notification.
    const changed = event('index-0', ['LOCATION:Moved'], `${day(0)}T120000Z`, `${day(0)}T130000Z`);
    await other.calendars.putObject(1001, calendarId, 'a.ics', changed);
    await other.calendars.deleteObject(1001, calendarId, 'b.ics');
    const added = event('index-new', [], `${day(0)}T150000Z`, `${day(0)}T160000Z`);
    await other.calendars.putObject(1001, calendarId, 'new.ics', added);

    const now = await stored();
    expect([...now.keys()].sort()).toEqual(['a.ics', 'c.ics', 'new.ics', 'with space.ics']);
    expect(await listing()).toEqual(now);
    expect(await initialSync()).toEqual(now);
    const got = await multiget(['a.ics', 'b.ics', 'new.ics']);
    expect(got.get('a.ics')).toBe(changed);
    expect(got.get('b.ics')).toBe('HTTP/1.1 404 Not Found');
    expect(got.get('new.ics')).toBe(added);
    expect(await inRange(`${day(0)}T000000Z`, `${day(1)}T000000Z`)).toEqual([changed, added].sort());

    // And this server's own write, answered at once as well.
    const mine = event('index-2', ['SUMMARY:Renamed'], `${day(2)}T090000Z`, `${day(2)}T100000Z`);
    const put = await dav.request('PUT', `${base}/c.ics`, { body: mine });
    expect(put.statusCode).toBe(204);
    expect((await listing()).get('c.ics')).toBe(put.headers.etag);
    expect((await multiget(['c.ics'])).get('c.ics')).toBe(mine);
  });

  it('lists right after each of several changes exactly what is stored, reusing only what did not change', async () => {
    const names = ['p0.ics', 'p1.ics', 'p2.ics', 'p3.ics', 'p4.ics'];
    const window = [`${day(7)}T000000Z`, `${day(8)}T000000Z`] as const;
    const texts = new Map<string, string>();
    for (const [i, name] of names.entries()) {
      const text = event(`placed-${i}`, [], `${day(7)}T0${i}0000Z`, `${day(7)}T0${i}3000Z`);
      texts.set(name, text);
      await other.calendars.putObject(1001, calendarId, name, text);
    }
    const inWindow = () => [...texts.values()].filter((text) => text.includes(`DTSTART:${day(7)}`)).sort();
    expect(await listing()).toEqual(await stored());
    expect(await inRange(...window)).toEqual(inWindow());
    // One member at a time, in place (its href stays where it was in every order): p2 leaves the
    // window, p2 comes back, p0 and p4 are renamed, p2 is renamed again.
    const edits: Array<[string, string[], string]> = [
      ['p2.ics', [], `${day(9)}T090000Z`],
      ['p2.ics', ['SUMMARY:Back'], `${day(7)}T200000Z`],
      ['p0.ics', ['SUMMARY:Renamed'], `${day(7)}T000000Z`],
      ['p4.ics', ['SUMMARY:Renamed'], `${day(7)}T040000Z`],
      ['p2.ics', ['SUMMARY:Again'], `${day(7)}T200000Z`],
    ];
    for (const [name, lines, start] of edits) {
      const index = names.indexOf(name);
      const end = start.replace(/T(\d\d)0000Z$/, 'T$13000Z');
      const text = event(`placed-${index}`, lines, start, end);
      texts.set(name, text);
      await other.calendars.putObject(1001, calendarId, name, text);
      expect(await listing()).toEqual(await stored());
      expect(await initialSync()).toEqual(await stored());
      expect(await inRange(...window)).toEqual(inWindow());
    }
  });

  it('reads the calendar again when the change log no longer reaches back to what it knew', async () => {
    const before = await listing();
    expect(before.size).toBeGreaterThan(0);
    await other.calendars.putObject(1001, calendarId, 'gone-from-log.ics', event('index-log'));
    // What the retention job does to old history: only the newest change is left.
    const newest = await dav.database.db
      .selectFrom('calendar_changes')
      .select((eb) => eb.fn.max('revision').as('revision'))
      .where('calendar_id', '=', calendarId)
      .executeTakeFirstOrThrow();
    await dav.database.db
      .deleteFrom('calendar_changes')
      .where('calendar_id', '=', calendarId)
      .where('revision', '<', Number(newest.revision))
      .execute();
    await other.calendars.putObject(1001, calendarId, 'after-prune.ics', event('index-prune'));
    const now = await stored();
    expect(now.has('gone-from-log.ics')).toBe(true);
    expect(await listing()).toEqual(now);
    expect(await initialSync()).toEqual(now);
  });

  it('answers the owner and a sharee of one calendar each with their own addresses and rights', async () => {
    await dav.request('PUT', `${base}/shared-one.ics`, { body: event('index-shared') });
    const share = await other.sharing.share(1001, calendarId, { telegramId: 1002 }, 'read');
    await other.sharing.accept(1002, share.id);
    const body = propfindBody('<d:getetag/><d:current-user-privilege-set/>');
    const privileges = (response: { body: string }, href: string) =>
      parseMultistatus(response.body)
        .responses.find((r) => r.href === href)
        ?.props.get(`{${DAV_NS}}current-user-privilege-set`)
        ?.element.children.map((p) => p.children[0]?.name);
    // Each twice: the second answer comes from what the first kept.
    for (let round = 0; round < 2; round++) {
      const owner = await dav.request('PROPFIND', `${base}/`, { headers: { depth: '1' }, body });
      expect(privileges(owner, `${base}/shared-one.ics`)).toContain(`{${DAV_NS}}write-content`);
      const sharedBase = `/calendars/1002/shared-${share.id}`;
      const sharee = await dav.request('PROPFIND', `${sharedBase}/`, {
        as: 'bob',
        headers: { depth: '1' },
        body,
      });
      expect(sharee.statusCode).toBe(207);
      expect(sharee.body).not.toContain('/calendars/1001/');
      expect(privileges(sharee, `${sharedBase}/shared-one.ics`)).not.toContain(`{${DAV_NS}}write-content`);
    }
  });

  it('answers two filters over the same window each by its own filter, every time', async () => {
    const window = `<c:time-range start="${day(5)}T000000Z" end="${day(6)}T000000Z"/>`;
    await dav.request('PUT', `${base}/filter-a.ics`, {
      body: event('filter-a', ['SUMMARY:Standup'], `${day(5)}T090000Z`, `${day(5)}T093000Z`),
    });
    await dav.request('PUT', `${base}/filter-b.ics`, {
      body: event('filter-b', ['SUMMARY:Dentist'], `${day(5)}T140000Z`, `${day(5)}T150000Z`),
    });
    const query = async (extra: string) => {
      const response = await dav.request('REPORT', `${base}/`, {
        headers: { depth: '1' },
        body: `<c:calendar-query ${xmlns}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${window}${extra}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
      });
      expect(response.statusCode).toBe(207);
      return parseMultistatus(response.body)
        .responses.map((r) => r.href.slice(base.length + 1))
        .sort();
    };
    const dentist = '<c:prop-filter name="SUMMARY"><c:text-match>Dentist</c:text-match></c:prop-filter>';
    for (let round = 0; round < 2; round++) {
      expect(await query('')).toEqual(['filter-a.ics', 'filter-b.ics']);
      expect(await query(dentist)).toEqual(['filter-b.ics']);
    }
  });

  it('echoes each multiget href as that request wrote it', async () => {
    await dav.request('PUT', `${base}/echo.ics`, { body: event('index-echo') });
    for (const href of [`${base}/echo.ics`, `http://localhost${base}/echo.ics`, `${base}/%65cho.ics`]) {
      const response = await dav.request('REPORT', `${base}/`, {
        body: `<c:calendar-multiget ${xmlns}><d:prop><d:getetag/></d:prop><d:href>${href}</d:href></c:calendar-multiget>`,
      });
      const [only] = parseMultistatus(response.body).responses;
      expect(only?.props.get(`{${DAV_NS}}getetag`)?.status).toBe('HTTP/1.1 200 OK');
      expect(only?.href).toBe(href.replace('http://localhost', ''));
    }
  });

  it('keeps no responses past its byte bound, answers the same there, and keeps again once there is room', async () => {
    for (const i of [0, 1, 2])
      await dav.request('PUT', `${base}/bound-${i}.ics`, { body: event(`index-bound-${i}`) });
    const asked = `<d:getetag/><d:getcontenttype/><d:displayname/>`;
    const list = async () => {
      const response = await dav.request('PROPFIND', `${base}/`, {
        headers: { depth: '1' },
        body: propfindBody(asked),
      });
      expect(response.statusCode).toBe(207);
      return response.body;
    };
    try {
      setKeptResponseBytes(0);
      const before = keptResponseStats();
      const first = await list();
      expect(await list()).toBe(first);
      const full = keptResponseStats();
      // Nothing was kept: every response and the whole list were refused room, and nothing reused.
      expect(full.bytes).toBeLessThanOrEqual(before.bytes);
      expect(full.evictions - before.evictions).toBeGreaterThanOrEqual(2 * (await stored()).size);
      expect(full.hits).toBe(before.hits);
      expect(parseMultistatus(first).responses.map((r) => r.href)).toContain(`${base}/bound-0.ics`);

      setKeptResponseBytes(defaultKeptResponseBytes);
      expect(await list()).toBe(first);
      const kept = keptResponseStats();
      expect(kept.bytes).toBeGreaterThan(full.bytes);
      expect(await list()).toBe(first);
      expect(keptResponseStats().hits).toBeGreaterThan(kept.hits);
    } finally {
      setKeptResponseBytes(defaultKeptResponseBytes);
    }
  });
});
