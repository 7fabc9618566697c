import type { LightMyRequestResponse } from 'fastify';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { type CaldavOptions, registerCaldav } from '../../../src/caldav/plugin.ts';
import { parseXml, type XmlElement } from '../../../src/caldav/xml/parse-xml.ts';
import { loadConfig } from '../../../src/config.ts';
import type { TypedApp } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { type ChangeListener, startChangeFeed } from '../../../src/storage/change-notifications.ts';
import { createDatabase } from '../../../src/storage/database.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer } from '../http/build-test-server.ts';

export const DAV_NS = 'DAV:';
export const CALDAV_NS = 'urn:ietf:params:xml:ns:caldav';

export interface CaldavHarness {
  database: TestDatabase;
  services: AppServices;
  app: TypedApp;
  /** The change feed that keeps the server's caches honest (a test may cut it). */
  feed: ChangeListener;
  users: Record<'alice' | 'bob', { id: number; password: string; calendarId: string }>;
  request(
    method: string,
    url: string,
    options?: { body?: string; headers?: Record<string, string>; as?: 'alice' | 'bob' | null },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The real server (buildServer + registerCaldav, as main.ts wires it) over a fresh test database;
 * `env` is the environment its configuration is read from.
 */
export async function startCaldavHarness(
  options: CaldavOptions = {},
  env: Record<string, string> = {},
): Promise<CaldavHarness> {
  const database = await openTestDatabase();
  const services = createServices(database.db);
  // As main.ts does: sign-ins and GETs are answered from memory while the change feed is live.
  const feed = await startChangeFeed(database, services.changes, {
    databaseUrl: database.url,
    searchPath: database.schema,
    logger: createLogger('silent'),
  });
  await services.changes.whenLive();
  const config = loadConfig(env);
  const { app } = await buildTestServer(database, {
    env,
    registerRootRoutes: (root) =>
      registerCaldav(root, { services, config, logger: createLogger('silent') }, options),
  });
  const users = {} as CaldavHarness['users'];
  for (const [name, id] of [
    ['alice', 1001],
    ['bob', 1002],
  ] as const) {
    await services.accounts.ensureUser({ telegramId: id, username: name, timeZone: 'Europe/Berlin' });
    const device = await services.devices.createDevice(id, 'laptop');
    users[name] = {
      id,
      password: device.password,
      calendarId: (await services.calendars.defaultCalendar(id)).id,
    };
  }
  return {
    database,
    services,
    app,
    feed,
    users,
    request: (method, url, requestOptions = {}) => {
      const who = requestOptions.as === undefined ? 'alice' : requestOptions.as;
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (who) {
        const user = users[who];
        headers.authorization = `Basic ${Buffer.from(`${user.id}:${user.password}`).toString('base64')}`;
      }
      if (requestOptions.body !== undefined && headers['content-type'] === undefined) {
        headers['content-type'] = requestOptions.body.startsWith('BEGIN:VCALENDAR')
          ? 'text/calendar; charset=utf-8'
          : 'application/xml; charset=utf-8';
      }
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(requestOptions.body === undefined ? {} : { payload: requestOptions.body }),
      });
    },
    close: async () => {
      await app.close();
      await feed.close();
      await database.close();
    },
  };
}

/** One DAV:response of a multistatus: its href, its status, and every property with its status. */
export interface ParsedResponse {
  href: string;
  status: string | undefined;
  props: Map<string, { status: string; element: XmlElement }>;
  element: XmlElement;
}

export function parseMultistatus(body: string): { responses: ParsedResponse[]; root: XmlElement } {
  const root = parseXml(body);
  const responses = root.children
    .filter((child) => child.name === `{${DAV_NS}}response`)
    .map((response) => {
      const props = new Map<string, { status: string; element: XmlElement }>();
      for (const propstat of response.children.filter((c) => c.name === `{${DAV_NS}}propstat`)) {
        const status = propstat.children.find((c) => c.name === `{${DAV_NS}}status`)?.text ?? '';
        const prop = propstat.children.find((c) => c.name === `{${DAV_NS}}prop`);
        for (const element of prop?.children ?? []) props.set(element.name, { status, element });
      }
      return {
        href: response.children.find((c) => c.name === `{${DAV_NS}}href`)?.text ?? '',
        status: response.children.find((c) => c.name === `{${DAV_NS}}status`)?.text,
        props,
        element: response,
      };
    });
  return { responses, root };
}

export function findChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function propfindBody(props: string, namespaces = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:ical="http://apple.com/ns/ical/"${namespaces}><d:prop>${props}</d:prop></d:propfind>`;
}

export function event(
  uid: string,
  lines: string[] = [],
  start = '20260310T090000Z',
  end = '20260310T100000Z',
): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${start}`,
    `DTEND:${end}`,
    'SUMMARY:Test event',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/**
 * Another writer on the harness's database: on PostgreSQL its own connection pool, as another
 * `televent serve` or the CLI would be; on PGlite (one process only) services over the same
 * database that bypass this server's own invalidation calls.
 */
export async function openOtherWriter(
  dav: CaldavHarness,
): Promise<{ services: AppServices; close(): Promise<void> }> {
  const database =
    testEngine === 'postgres'
      ? await createDatabase({ databaseUrl: dav.database.url, searchPath: dav.database.schema, poolSize: 2 })
      : undefined;
  return {
    services: createServices(database?.db ?? dav.database.db),
    close: async () => {
      await database?.close();
    },
  };
}
