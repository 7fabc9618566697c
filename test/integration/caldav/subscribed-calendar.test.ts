import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarView } from '../../../src/app/caldav-views.ts';
import { testEngine } from '../../support/test-database.ts';
import {
  CALDAV_NS,
  type CaldavHarness,
  DAV_NS,
  event,
  parseMultistatus,
  propfindBody,
  startCaldavHarness,
} from './caldav-harness.ts';

const feed = event('holiday@feed', ['SUMMARY:Holiday']);

describe(`CalDAV: a calendar that follows a feed is read-only [${testEngine}]`, () => {
  let dav: CaldavHarness;
  let calendar: CalendarView;
  let url: string;

  beforeAll(async () => {
    dav = await startCaldavHarness();
    const alice = dav.users.alice.id;
    calendar = await dav.services.calendarSubscriptions.subscribe(
      alice,
      { url: 'webcal://example.com/holidays.ics', name: 'Holidays' },
      { allowPrivateAddresses: false },
    );
    // As the worker would after fetching the feed.
    await dav.services.calendarSubscriptions.applyFeed(
      calendar.id,
      { text: feed, etag: null, lastModified: null },
      new Date(),
    );
    url = `/calendars/${alice}/${calendar.slug}/`;
  });
  afterAll(async () => {
    await dav.close();
  });

  async function privilegesOf(path: string): Promise<string[]> {
    const response = await dav.request('PROPFIND', path, {
      body: propfindBody('<d:current-user-privilege-set/>'),
      headers: { depth: '0' },
    });
    expect(response.statusCode).toBe(207);
    const [first] = parseMultistatus(response.body).responses;
    const set = first?.props.get(`{${DAV_NS}}current-user-privilege-set`)?.element;
    return (set?.children ?? []).map((privilege) => privilege.children[0]?.name ?? '');
  }

  it('says read-only in current-user-privilege-set, while the default calendar stays writable', async () => {
    const privileges = await privilegesOf(url);
    expect(privileges).toEqual(
      expect.arrayContaining([
        `{${DAV_NS}}read`,
        `{${DAV_NS}}read-current-user-privilege-set`,
        `{${CALDAV_NS}}read-free-busy`,
      ]),
    );
    for (const write of ['write', 'write-content', 'bind', 'unbind', 'all']) {
      expect(privileges).not.toContain(`{${DAV_NS}}${write}`);
    }
    expect(await privilegesOf(`${url}holiday@feed.ics`)).not.toContain(`{${DAV_NS}}write-content`);
    const home = await dav.services.calendars.defaultCalendar(dav.users.alice.id);
    expect(await privilegesOf(`/calendars/${dav.users.alice.id}/${home.slug}/`)).toContain(
      `{${DAV_NS}}write-content`,
    );
  });

  it('refuses PUT and DELETE of its objects with 403 DAV:need-privileges', async () => {
    const created = await dav.request('PUT', `${url}mine.ics`, { body: event('mine@client') });
    expect(created.statusCode).toBe(403);
    expect(created.body).toContain('need-privileges');

    const changed = await dav.request('PUT', `${url}holiday@feed.ics`, {
      body: event('holiday@feed', ['SUMMARY:Changed']),
    });
    expect(changed.statusCode).toBe(403);
    expect(changed.body).toContain('need-privileges');

    const deleted = await dav.request('DELETE', `${url}holiday@feed.ics`);
    expect(deleted.statusCode).toBe(403);
    expect(deleted.body).toContain('need-privileges');
    const still = await dav.request('GET', `${url}holiday@feed.ics`);
    expect(still.statusCode).toBe(200);
    expect(still.body).toContain('SUMMARY:Holiday');
  });

  it('may still be renamed by its owner and deleted', async () => {
    const renamed = await dav.request('PROPPATCH', url, {
      body: '<?xml version="1.0" encoding="utf-8"?><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Public holidays</d:displayname></d:prop></d:set></d:propertyupdate>',
    });
    expect(renamed.statusCode).toBe(207);
    expect(renamed.body).toContain('200 OK');
    const calendars = await dav.services.calendars.listCalendars(dav.users.alice.id);
    expect(calendars.find((c) => c.id === calendar.id)).toMatchObject({
      name: 'Public holidays',
      readOnly: true,
    });

    expect((await dav.request('DELETE', url)).statusCode).toBe(204);
    expect((await dav.request('GET', `${url}holiday@feed.ics`)).statusCode).toBe(404);
  });
});
