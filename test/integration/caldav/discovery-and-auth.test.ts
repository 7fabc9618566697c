import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThrottleOptions } from '../../../src/caldav/login-throttle.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { loadConfig } from '../../../src/config.ts';
import type { TypedApp } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { testEngine } from '../../support/test-database.ts';
import { buildTestServer } from '../http/build-test-server.ts';
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
    // The Televent address first: calendar apps write it as ORGANIZER, and invitations recognise it.
    const addresses = principal?.props
      .get(`{${CALDAV_NS}}calendar-user-address-set`)
      ?.element.children.map((c) => c.text);
    expect(addresses).toEqual(['mailto:1001@telegram.invalid', '/principals/1001/']);
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

  describe('sign-in throttling that cannot be raced or turned against the owner', () => {
    const apps: TypedApp[] = [];
    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    /** Another CalDAV server over the same database, with its own throttle and environment. */
    async function caldavServer(throttle: Partial<ThrottleOptions>, env: Record<string, string> = {}) {
      const { app } = await buildTestServer(dav.database, {
        env,
        registerRootRoutes: (root) =>
          registerCaldav(
            root,
            { services: dav.services, config: loadConfig(env), logger: createLogger('silent') },
            { throttle: { freeFailures: 10, baseDelayMs: 1, maxDelayMs: 1, ...throttle } },
          ),
      });
      apps.push(app);
      return (user: number, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
        app.inject({
          method: 'PROPFIND',
          url: '/',
          remoteAddress,
          headers: {
            authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
            depth: '0',
            ...headers,
          },
        });
    }

    it('checks at most the limit of 20 concurrent wrong passwords, and answers the rest 429', async () => {
      const propfind = await caldavServer({ maxFailures: 4 });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => propfind(dav.users.bob.id, `wrong-${i}`, '203.0.113.20')),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 401)).toHaveLength(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(16);
      expect(Number(responses.find((r) => r.statusCode === 429)?.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('still lets the owner in from an address that did not fail after guessers locked the account', async () => {
      const propfind = await caldavServer({ maxFailures: 3, maxAccountFailures: 6, cleanAddressChecks: 2 });
      // A device password this process has never verified, so the check needs Argon2.
      const device = await dav.services.devices.createDevice(dav.users.bob.id, 'tablet');
      for (const address of ['198.51.100.1', '198.51.100.2']) {
        for (let i = 0; i < 3; i++) {
          expect((await propfind(dav.users.bob.id, `guess-${i}`, address)).statusCode).toBe(401);
        }
      }
      // The guessers' addresses are out, even with the right password…
      expect((await propfind(dav.users.bob.id, device.password, '198.51.100.1')).statusCode).toBe(429);
      // …while the owner's own address is checked and let in; once verified, the password works
      // from any address whose own pair is not full.
      expect((await propfind(dav.users.bob.id, device.password, '192.0.2.44')).statusCode).toBe(207);
      const laptop = await dav.services.devices.createDevice(dav.users.bob.id, 'old-laptop');
      expect((await propfind(dav.users.bob.id, laptop.password, '192.0.2.45')).statusCode).toBe(207);
      // Fresh addresses share a small allowance of checks; after it, only known passwords pass.
      expect((await propfind(dav.users.bob.id, 'guess-x', '192.0.2.46')).statusCode).toBe(401);
      expect((await propfind(dav.users.bob.id, 'guess-y', '192.0.2.47')).statusCode).toBe(401);
      expect((await propfind(dav.users.bob.id, 'guess-z', '192.0.2.48')).statusCode).toBe(429);
      expect((await propfind(dav.users.bob.id, device.password, '192.0.2.48')).statusCode).toBe(207);
      // Another account is not affected by any of this.
      expect((await propfind(dav.users.alice.id, dav.users.alice.password, '198.51.100.1')).statusCode).toBe(
        207,
      );
    });

    it('throttles two clients behind the proxy separately with TRUST_PROXY=1, and ignores X-Forwarded-For without it', async () => {
      const client = (address: string) => ({ 'x-forwarded-for': address });
      const proxied = await caldavServer({ maxFailures: 2 }, { TRUST_PROXY: '1' });
      const bob = dav.users.bob.id;
      expect((await proxied(bob, 'nope', '127.0.0.1', client('198.51.100.7'))).statusCode).toBe(401);
      expect((await proxied(bob, 'nope', '127.0.0.1', client('198.51.100.7'))).statusCode).toBe(401);
      expect((await proxied(bob, 'nope', '127.0.0.1', client('198.51.100.7'))).statusCode).toBe(429);
      expect((await proxied(bob, 'nope', '127.0.0.1', client('198.51.100.8'))).statusCode).toBe(401);

      const direct = await caldavServer({ maxFailures: 2 });
      expect((await direct(bob, 'nope', '127.0.0.1', client('198.51.100.7'))).statusCode).toBe(401);
      expect((await direct(bob, 'nope', '127.0.0.1', client('198.51.100.8'))).statusCode).toBe(401);
      expect((await direct(bob, 'nope', '127.0.0.1', client('198.51.100.9'))).statusCode).toBe(429);
    });
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
