import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { loadConfig } from '../../../src/config.ts';
import { registerBrowserRoutes, registerRestApi } from '../../../src/http/rest-api.ts';
import type { TypedApp } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { type ChangeListener, startChangeFeed } from '../../../src/storage/change-notifications.ts';
import { openTestDatabase, type TestDatabase } from '../../support/test-database.ts';
import { buildTestServer } from './build-test-server.ts';
import { baseUrl, botToken, tma } from './rest-support.ts';

export interface RestAndCaldav {
  app: TypedApp;
  services: AppServices;
  feed: ChangeListener;
  /** A REST call as `user` (Mini App initData). */
  rest(
    user: { id: number },
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { payload?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** GET of one calendar object over CalDAV with a device password, as a calendar app reads it. */
  caldavGet(userId: number, hrefName: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A fresh test database and startRestAndCaldav for the calling test file, opened before its tests
 * and closed after them. Read `server` and `database` inside tests (they exist from beforeAll on).
 */
export function restAndCaldavPerFile(): { readonly server: RestAndCaldav; readonly database: TestDatabase } {
  let database: TestDatabase | undefined;
  let server: RestAndCaldav | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startRestAndCaldav(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test server starts in beforeAll');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get database() {
      return started(database);
    },
  };
}

/** REST, browser routes and CalDAV on one server, with the change feed running, as main.ts wires them. */
export async function startRestAndCaldav(database: TestDatabase): Promise<RestAndCaldav> {
  const services = createServices(database.db);
  const logger = createLogger('silent');
  const feed = await startChangeFeed(database, services.changes, {
    databaseUrl: database.url,
    searchPath: database.schema,
    logger,
  });
  await services.changes.whenLive();
  const env = { TELEGRAM_BOT_TOKEN: botToken };
  const config = loadConfig(env);
  const deps = { services, config, publicBaseUrl: baseUrl };
  const { app } = await buildTestServer(database, {
    env,
    registerRoutes: (api) => registerRestApi(api, deps),
    registerRootRoutes: async (root) => {
      await registerBrowserRoutes(root, deps);
      await registerCaldav(root, { services, config, logger });
    },
  });
  const passwords = new Map<number, string>();
  return {
    app,
    services,
    feed,
    rest: (user, method, url, options = {}) =>
      app.inject({
        method,
        url,
        headers: { ...tma({ id: user.id }), ...options.headers },
        ...(options.payload === undefined ? {} : { payload: options.payload as string }),
      }),
    caldavGet: async (userId, hrefName) => {
      let password = passwords.get(userId);
      if (!password) {
        password = (await services.devices.createDevice(userId, 'test client')).password;
        passwords.set(userId, password);
      }
      const calendar = await services.calendars.defaultCalendar(userId);
      return app.inject({
        method: 'GET',
        url: `/calendars/${userId}/${calendar.slug}/${encodeURIComponent(hrefName)}`,
        headers: { authorization: `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}` },
      });
    },
    close: async () => {
      await app.close();
      await feed.close();
    },
  };
}
