import type { AddressInfo } from 'node:net';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { loadConfig } from '../../../src/config.ts';
import { buildServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { startChangeFeed } from '../../../src/storage/change-notifications.ts';
import { pingDatabase } from '../../../src/storage/database.ts';
import { migrateToLatest } from '../../../src/storage/migrate.ts';
import { openTestDatabase } from '../../support/test-database.ts';

export interface RunningCaldavServer {
  baseUrl: string;
  services: AppServices;
  user: { id: number; password: string };
  close(): Promise<void>;
}

/**
 * The real HTTP server with the CalDAV door, wired as main.ts does, listening on 127.0.0.1 on a
 * free port, over a fresh database with one user and one device password.
 */
export async function startCaldavServer(): Promise<RunningCaldavServer> {
  // The interop project has no global PGlite snapshot: migrate this database here.
  const database = await openTestDatabase({ migrated: false });
  await migrateToLatest(database.db);
  const services = createServices(database.db);
  const config = loadConfig({});
  const logger = createLogger('silent');
  const feed = await startChangeFeed(database, services.changes, {
    databaseUrl: database.url,
    searchPath: database.schema,
    logger,
  });
  await services.changes.whenLive();
  const app = await buildServer({
    config,
    logger,
    metrics: createMetrics(),
    checkDatabase: () => pingDatabase(database.db),
    registerRootRoutes: (root) => registerCaldav(root, { services, config, logger }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  await services.accounts.ensureUser({ telegramId: 4242, username: 'interop', timeZone: 'Europe/Berlin' });
  const device = await services.devices.createDevice(4242, 'interop');
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    services,
    user: { id: 4242, password: device.password },
    close: async () => {
      await app.close();
      await feed.close();
      await database.close();
    },
  };
}
