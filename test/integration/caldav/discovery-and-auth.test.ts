import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import {
  CALDAV_NS,
  type CaldavHarness,
  DAV_NS,
  findChild,
  parseMultistatus,
  propfindBody,
  startCaldavHarness,
} from './caldav-harness.ts';

describe(`CalDAV discovery and authentication [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness({
      throttle: { freeFailures: 2, baseDelayMs: 1, maxDelayMs: 5, maxFailures: 4 },
    });
  });
  afterAll(async () => {
    await dav.close();
  });

  it('redirects /.well-known/caldav to the root with 301', async () => {
    const response = await dav.request('PROPFIND', '/.well-known/caldav', { as: null });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/');
  });

  it('challenges an anonymous PROPFIND with 401 and a Basic realm', async () => {
    const response = await dav.request('PROPFIND', '/', { as: null, headers: { depth: '0' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="Televent"/);
    expect(response.body).not.toContain('multistatus');
  });

  it('answers OPTIONS without credentials with the DAV and Allow headers', async () => {
    const response = await dav.request('OPTIONS', '/calendars/1001/default/', { as: null });
    expect(response.statusCode).toBe(200);
    expect(response.headers.dav).toBe('1, 3, calendar-access');
    expect(response.headers.allow).toContain('PROPFIND');
    expect(response.headers.allow).toContain('REPORT');
  });

  it('rejects a wrong device password with 401', async () => {
    const response = await dav.request('PROPFIND', '/', {
      as: null,
      headers: { authorization: `Basic ${Buffer.from('1001:wrong').toString('base64')}`, depth: '0' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('never accepts a Telegram session cookie or initData in place of Basic credentials', async () => {
    const response = await dav.request('PROPFIND', '/', {
      as: null,
      headers: {
        cookie: 'televent_session=abc',
        authorization: 'tma query_id=1&user=%7B%7D&hash=00',
        depth: '0',
      },
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers current-user-principal and calendar-home-set on the root, with the DAV header', async () => {
    const response = await dav.request('PROPFIND', '/', {
      headers: { depth: '0' },
      body: propfindBody('<d:current-user-principal/><c:calendar-home-set/><d:resourcetype/>'),
    });
    expect(response.statusCode).toBe(207);
    expect(response.headers.dav).toBe('1, 3, calendar-access');
    const [root] = parseMultistatus(response.body).responses;
    const principal = root?.props.get(`{${DAV_NS}}current-user-principal`);
    expect(principal?.status).toContain('200');
    expect(findChild(principal?.element, `{${DAV_NS}}href`)?.text).toBe('/principals/1001/');
    expect(
      findChild(root?.props.get(`{${CALDAV_NS}}calendar-home-set`)?.element, `{${DAV_NS}}href`)?.text,
    ).toBe('/calendars/1001/');
  });

  it('answers the principal properties clients read during discovery', async () => {
    const response = await dav.request('PROPFIND', '/principals/1001/', {
      headers: { depth: '0' },
      body: propfindBody(
        '<d:current-user-principal/><d:principal-URL/><c:calendar-home-set/><c:calendar-user-address-set/><d:displayname/><d:resourcetype/>',
      ),
    });
    expect(response.statusCode).toBe(207);
    const [principal] = parseMultistatus(response.body).responses;
    for (const name of [
      `{${DAV_NS}}current-user-principal`,
      `{${DAV_NS}}principal-URL`,
      `{${CALDAV_NS}}calendar-home-set`,
      `{${CALDAV_NS}}calendar-user-address-set`,
      `{${DAV_NS}}displayname`,
    ]) {
      expect(principal?.props.get(name)?.status, name).toContain('200');
    }
    const types = principal?.props.get(`{${DAV_NS}}resourcetype`)?.element.children.map((c) => c.name);
    expect(types).toContain(`{${DAV_NS}}principal`);
  });

  it('lists the calendars of the home at Depth 1', async () => {
    const response = await dav.request('PROPFIND', '/calendars/1001/', {
      headers: { depth: '1' },
      body: propfindBody('<d:resourcetype/><d:displayname/><cs:getctag/>'),
    });
    const { responses } = parseMultistatus(response.body);
    expect(responses.map((r) => r.href)).toEqual(['/calendars/1001/', '/calendars/1001/default/']);
    const calendar = responses[1];
    expect(calendar?.props.get(`{${DAV_NS}}resourcetype`)?.element.children.map((c) => c.name)).toContain(
      `{${CALDAV_NS}}calendar`,
    );
  });

  it('answers a guessed path that is not part of the tree with 404, not 500', async () => {
    const response = await dav.request('PROPFIND', '/principals/users/1001/', { headers: { depth: '0' } });
    expect(response.statusCode).toBe(404);
  });

  it("hides another user's principal, home, calendar and objects as 404", async () => {
    await dav.services.calendars.putObject(
      dav.users.bob.id,
      dav.users.bob.calendarId,
      'secret.ics',
      secretEvent,
    );
    for (const url of [
      '/principals/1002/',
      '/calendars/1002/',
      '/calendars/1002/default/',
      '/calendars/1002/default/secret.ics',
    ]) {
      const response = await dav.request('PROPFIND', url, { headers: { depth: '0' } });
      expect(response.statusCode, url).toBe(404);
    }
    const missing = await dav.request('PROPFIND', '/calendars/9999/default/', { headers: { depth: '0' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body.replace('9999', '1002')).toBe(
      (await dav.request('PROPFIND', '/calendars/1002/default/', { headers: { depth: '0' } })).body,
    );
    const get = await dav.request('GET', '/calendars/1002/default/secret.ics');
    expect(get.statusCode).toBe(404);
    const put = await dav.request('PUT', '/calendars/1002/default/new.ics', { body: secretEvent });
    expect(put.statusCode).toBe(404);
  });

  it('refuses PROPFIND with Depth: infinity with 403 propfind-finite-depth', async () => {
    const response = await dav.request('PROPFIND', '/calendars/1001/', { headers: { depth: 'infinity' } });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('propfind-finite-depth');
  });

  it('throttles repeated failures per account and IP with 429 and Retry-After', async () => {
    const wrong = { authorization: `Basic ${Buffer.from('1002:nope').toString('base64')}`, depth: '0' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await dav.request('PROPFIND', '/', { as: null, headers: wrong })).statusCode);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    const blocked = await dav.request('PROPFIND', '/', { as: null, headers: wrong });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not affected.
    const alice = await dav.request('PROPFIND', '/', { headers: { depth: '0' } });
    expect(alice.statusCode).toBe(207);
  });

  it('stops accepting a revoked device password on the next request', async () => {
    const device = await dav.services.devices.createDevice(1001, 'phone');
    const auth = {
      authorization: `Basic ${Buffer.from(`1001:${device.password}`).toString('base64')}`,
      depth: '0',
    };
    expect((await dav.request('PROPFIND', '/', { as: null, headers: auth })).statusCode).toBe(207);
    await dav.services.devices.revokeDevice(1001, device.id);
    expect((await dav.request('PROPFIND', '/', { as: null, headers: auth })).statusCode).toBe(401);
  });
});

const secretEvent = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Test//EN',
  'BEGIN:VEVENT',
  'UID:secret-1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260310T090000Z',
  'DTEND:20260310T100000Z',
  'SUMMARY:Bob only',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
