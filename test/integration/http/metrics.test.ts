import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { type Config, loadConfig } from '../../../src/config.ts';
import { buildMetricsServer } from '../../../src/http/metrics-server.ts';
import { registerBrowserRoutes, registerRestApi } from '../../../src/http/rest-api.ts';
import { buildServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { type ChangeListener, startChangeFeed } from '../../../src/storage/change-notifications.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';
import { baseUrl, botToken, tma } from './rest-support.ts';

const token = 'metrics-token-0123456789';

/** REST, the browser routes and CalDAV as main.ts wires them, listening on 127.0.0.1. */
async function startServer(
  database: TestDatabase,
  services: AppServices,
  env: Record<string, string> = {},
): Promise<TestServer & { url: string; config: Config }> {
  const fullEnv = { TELEGRAM_BOT_TOKEN: botToken, ...env };
  const config = loadConfig(fullEnv);
  const deps = { services, config, publicBaseUrl: baseUrl };
  const metrics = createMetrics();
  const server = await buildTestServer(database, {
    metrics,
    env: fullEnv,
    // Two REST requests a minute per address: the third one is throttled.
    rateLimit: { max: 2, timeWindowMs: 60_000 },
    registerRoutes: (api) => registerRestApi(api, deps),
    registerRootRoutes: async (root) => {
      await registerBrowserRoutes(root, deps);
      await registerCaldav(
        root,
        { services, config, logger: createLogger('silent'), metrics },
        // One free failure, then 429 for that pair: the sign-in throttle shows within a few requests.
        { throttle: { freeFailures: 1, baseDelayMs: 0, maxFailures: 2 } },
      );
    },
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { ...server, url: `http://127.0.0.1:${port}`, config };
}

function basic(user: number, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers });
  expect(response.status).toBe(200);
  return response.text();
}

describe(`/metrics over HTTP [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;
  let feed: ChangeListener;
  let password: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db);
    feed = await startChangeFeed(database, services.changes, {
      databaseUrl: database.url,
      searchPath: database.schema,
      logger: createLogger('silent'),
    });
    await services.changes.whenLive();
    await services.accounts.ensureUser({ telegramId: 1001, username: 'alice', timeZone: 'Europe/Berlin' });
    password = (await services.devices.createDevice(1001, 'laptop')).password;
  });
  afterAll(async () => {
    await feed?.close();
    await database?.close();
  });

  describe('what it counts', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer(database, services);
    });
    afterAll(async () => {
      await server?.app.close();
    });

    it('counts CalDAV requests by WebDAV method, report and status', async () => {
      const dav = (method: string, path: string, body?: string, contentType = 'application/xml') =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { ...basic(1001, password), ...(body ? { 'content-type': contentType } : {}) },
          ...(body ? { body } : {}),
        });
      const propfind = await dav(
        'PROPFIND',
        '/calendars/1001/default/',
        '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>',
      );
      expect(propfind.status).toBe(207);
      const put = await dav(
        'PUT',
        '/calendars/1001/default/metrics-1.ics',
        [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//test//EN',
          'BEGIN:VEVENT',
          'UID:metrics-1',
          'DTSTAMP:20260101T000000Z',
          'DTSTART:20260301T100000Z',
          'DTEND:20260301T110000Z',
          'SUMMARY:Counted',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
        'text/calendar',
      );
      expect(put.status).toBe(201);
      const query = await dav(
        'REPORT',
        '/calendars/1001/default/',
        '<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>',
      );
      expect(query.status).toBe(207);
      const sync = await dav(
        'REPORT',
        '/calendars/1001/default/',
        '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
      );
      expect(sync.status).toBe(207);
      // A report nobody knows is counted, but never under the name the client made up.
      const unknown = await dav('REPORT', '/calendars/1001/default/', '<x:made-up-report xmlns:x="urn:x"/>');
      expect(unknown.status).toBe(403);

      const text = await scrape(server.url);
      expect(text).toContain('televent_caldav_requests_total{method="PROPFIND",report="",status="207"} 1');
      expect(text).toContain('televent_caldav_requests_total{method="PUT",report="",status="201"} 1');
      expect(text).toContain(
        'televent_caldav_requests_total{method="REPORT",report="calendar-query",status="207"} 1',
      );
      expect(text).toContain(
        'televent_caldav_requests_total{method="REPORT",report="sync-collection",status="207"} 1',
      );
      expect(text).toContain(
        'televent_caldav_requests_total{method="REPORT",report="unknown",status="403"} 1',
      );
      expect(text).not.toContain('made-up-report');
      expect(text).toMatch(
        /televent_caldav_request_duration_seconds_count\{method="REPORT",report="calendar-query"\} 1/,
      );
    });

    it('counts failed sign-ins by path, and not the anonymous first probe of a calendar app', async () => {
      const anonymous = await fetch(`${server.url}/calendars/1001/default/`, { method: 'PROPFIND' });
      expect(anonymous.status).toBe(401);
      const wrongPassword = await fetch(`${server.url}/calendars/1001/default/`, {
        method: 'PROPFIND',
        headers: basic(1001, 'not-the-password'),
      });
      expect(wrongPassword.status).toBe(401);
      const link = await fetch(`${server.url}/auth/link/not-a-real-token`, { redirect: 'manual' });
      expect(link.status).toBe(401);
      const forgedInitData = await fetch(`${server.url}/api/me`, {
        headers: tma({ id: 1001 }, { token: '999999:some-other-bots-token' }),
      });
      expect(forgedInitData.status).toBe(401);
      const widget = await fetch(`${server.url}/api/auth/telegram-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({
          id: 1001,
          first_name: 'A',
          auth_date: Math.floor(Date.now() / 1000),
          hash: 'ab',
        }),
      });
      expect(widget.status).toBe(401);

      const text = await scrape(server.url);
      expect(text).toContain('televent_sign_in_failures_total{path="caldav-basic"} 1');
      expect(text).toContain('televent_sign_in_failures_total{path="login-link"} 1');
      expect(text).toContain('televent_sign_in_failures_total{path="telegram-init-data"} 1');
      expect(text).toContain('televent_sign_in_failures_total{path="telegram-login-widget"} 1');
    });

    it('counts requests refused by the REST rate limit and by the CalDAV sign-in throttle', async () => {
      // The earlier test's REST calls came from this address too: the limit is reached by now or within two.
      let rest = 0;
      for (let i = 0; i < 3; i++) rest = (await fetch(`${server.url}/api/auth/options`)).status;
      expect(rest).toBe(429);
      let dav = 0;
      for (let i = 0; i < 4; i++) {
        dav = (
          await fetch(`${server.url}/calendars/1001/default/`, {
            method: 'PROPFIND',
            headers: basic(1001, 'still-wrong'),
          })
        ).status;
      }
      expect(dav).toBe(429);

      const text = await scrape(server.url);
      expect(text).toMatch(/^televent_requests_throttled_total\{limit="rest"\} [1-9]/m);
      expect(text).toMatch(/^televent_requests_throttled_total\{limit="caldav-sign-in"\} [1-9]/m);
    });
  });

  describe('who may read it', () => {
    /** The warnings buildServer logs for these settings (nothing listens). */
    async function startupWarnings(env: Record<string, string>): Promise<string[]> {
      const lines: Array<{ level: number; msg: string }> = [];
      const app = await buildServer({
        config: loadConfig(env),
        logger: createLogger('warn', { write: (line: string) => lines.push(JSON.parse(line)) }),
        metrics: createMetrics(),
        checkDatabase: async () => {},
      });
      await app.close();
      return lines.filter((line) => line.level === 40).map((line) => line.msg);
    }

    it('warns at start when /metrics would be open on an address other than loopback', async () => {
      const open = /GET \/metrics is open to anyone who reaches API_HOST=0\.0\.0\.0; set METRICS_TOKEN/;
      expect(await startupWarnings({ API_HOST: '0.0.0.0' })).toEqual([expect.stringMatching(open)]);
      expect(await startupWarnings({ API_HOST: '0.0.0.0', METRICS_TOKEN: token })).toEqual([]);
      expect(await startupWarnings({ API_HOST: '0.0.0.0', METRICS_PORT: '9464' })).toEqual([]);
      expect(await startupWarnings({ API_HOST: '127.0.0.1' })).toEqual([]);
    });

    it('answers anyone when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
      const server = await startServer(database, services);
      try {
        expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
      } finally {
        await server.app.close();
      }
    });

    it('asks for the bearer token when METRICS_TOKEN is set', async () => {
      const server = await startServer(database, services, { METRICS_TOKEN: token });
      try {
        const without = await fetch(`${server.url}/metrics`);
        expect(without.status).toBe(401);
        expect(without.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
        expect(await without.text()).not.toContain('televent_');
        const wrong = await fetch(`${server.url}/metrics`, {
          headers: { authorization: `Bearer ${token}x` },
        });
        expect(wrong.status).toBe(401);
        const basicAuth = await fetch(`${server.url}/metrics`, { headers: basic(1001, token) });
        expect(basicAuth.status).toBe(401);
        const text = await scrape(server.url, { authorization: `Bearer ${token}` });
        expect(text).toContain('televent_http_requests_total');
      } finally {
        await server.app.close();
      }
    });

    it('serves it on METRICS_PORT only, behind the token when both are set', async () => {
      const server = await startServer(database, services, { METRICS_PORT: '9464', METRICS_TOKEN: token });
      const metricsServer = await buildMetricsServer({
        metrics: server.metrics,
        logger: createLogger('silent'),
        token: server.config.METRICS_TOKEN,
      });
      try {
        await metricsServer.listen({ host: '127.0.0.1', port: 0 });
        const address = metricsServer.server.address();
        const metricsUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        expect((await fetch(`${server.url}/health`)).status).toBe(200);
        expect(
          (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status,
        ).toBe(404);
        expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(401);
        expect((await fetch(`${metricsUrl}/health`)).status).toBe(404);
        const text = await scrape(metricsUrl, { authorization: `Bearer ${token}` });
        // The public port's requests, counted by the process and read on the metrics port.
        expect(text).toContain('televent_http_requests_total{method="GET",route="/health",status="200"} 1');
      } finally {
        await metricsServer.close();
        await server.app.close();
      }
    });
  });
});
