import { existsSync } from 'node:fs';
import type { Server } from 'node:net';
import { createBotSupport } from './app/bot-support.ts';
import { createServices } from './app/services.ts';
import { createBot } from './bot/create-bot.ts';
import { startBot } from './bot/start-bot.ts';
import { telegramWebhookEndpoint } from './bot/webhook.ts';
import { registerCaldav } from './caldav/plugin.ts';
import { adminSocketPath, runThroughAdminSocket, startAdminSocket } from './cli/admin-socket.ts';
import type { CliOutput, CliRuntime, DatabaseAdmin, OpenRuntime, ServerRole } from './cli/cli-runtime.ts';
import { runCommand } from './cli/run-command.ts';
import { runCli, terminalOutput } from './cli/televent.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { timeZoneCacheStats } from './domain/time/time-zone.ts';
import { registerBrowserRoutes, registerRestApi } from './http/rest-api.ts';
import { buildServer } from './http/server.ts';
import { registerTelegramWebhook } from './http/telegram-webhook.ts';
import { ensureWebAppBuilt } from './http/web-app.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, registerCacheMetrics } from './observability/metrics.ts';
import { startTracing } from './observability/tracing.ts';
import { publicBaseUrl, publicUrlIsGuessed } from './public-url.ts';
import { startChangeFeed } from './storage/change-notifications.ts';
import { createDatabase, type DatabaseHandle, pingDatabase } from './storage/database.ts';
import { migrateDown, migrateToLatest, migrationStatus } from './storage/migrate.ts';
import { listenForOutboxJobs } from './storage/outbox-notifications.ts';
import { startWorker } from './worker/run-worker.ts';

// The composition root: the only file that constructs and wires everything.

function databaseAdminFor(database: DatabaseHandle): DatabaseAdmin {
  return {
    migrateUp: () => migrateToLatest(database.db),
    migrateDown: (options) => migrateDown(database.db, { toZero: options.all }),
    migrationStatus: () => migrationStatus(database.db),
  };
}

async function openRuntime(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<OpenRuntime & { database: DatabaseHandle }> {
  const database = await createDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  const services = createServices(database.db);
  return { database, databaseAdmin: databaseAdminFor(database), services, close: () => database.close() };
}

async function serve(
  config: Config,
  roles: readonly ServerRole[],
  logger: Logger,
  output: CliOutput,
): Promise<void> {
  if (!config.DATABASE_URL) {
    const socket = adminSocketPath(config.DATA_DIR);
    if (
      existsSync(socket) &&
      (await runThroughAdminSocket(socket, ['--version'], { out() {}, err() {} })) !== null
    ) {
      throw new Error(
        `another Televent server already runs on ${config.DATA_DIR} (embedded PGlite is single-process)`,
      );
    }
  }
  const startedAt = Date.now();
  const runtime = await openRuntime(config);
  const { database, services } = runtime;
  const metrics = createMetrics();
  registerCacheMetrics(metrics.registry, {
    'time-zone-formats': () => timeZoneCacheStats().formatters,
    'time-zone-definitions': () => timeZoneCacheStats().vtimezones,
    'time-zones': () => timeZoneCacheStats().zones,
    occurrences: () => services.occurrences.stats(),
    'calendar-objects': () => services.objectReader.cacheStats(),
  });
  const tracing = startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const baseUrl = publicBaseUrl(config);
  const closers: Array<() => Promise<void>> = [];
  if (tracing) closers.push(() => tracing.shutdown());

  const botSupport = createBotSupport(database.db, services.reachability);
  const webhookMode = config.PUBLIC_URL?.startsWith('https://') ?? false;
  // In webhook mode every HTTP process answers Telegram's deliveries, so it needs a bot too.
  const bot =
    config.TELEGRAM_BOT_TOKEN && (roles.includes('bot') || (webhookMode && roles.includes('http')))
      ? createBot({ services, config, logger, publicBaseUrl: baseUrl, ...botSupport })
      : undefined;

  if (roles.includes('http')) {
    // CalDAV answers sign-ins and GETs from memory only while this feed reports every write.
    const feed = await startChangeFeed(database, services.changes, {
      databaseUrl: config.DATABASE_URL,
      logger,
    });
    closers.push(() => feed.close());
    await ensureWebAppBuilt(logger);
    const restDeps = { services, config, publicBaseUrl: baseUrl };
    const app = await buildServer({
      config,
      logger,
      metrics,
      checkDatabase: () => pingDatabase(database.db),
      tracing,
      registerRootRoutes: async (root) => {
        await registerBrowserRoutes(root, restDeps);
        await registerCaldav(root, { services, config, logger });
        if (bot) registerTelegramWebhook(root, telegramWebhookEndpoint(bot, config, logger));
      },
      registerRoutes: (api) => registerRestApi(api, restDeps),
    });
    await app.listen({ host: config.API_HOST, port: config.API_PORT });
    closers.push(() => app.close());
  }

  if (roles.includes('worker')) {
    const databaseUrl = config.DATABASE_URL;
    const worker = startWorker({
      services,
      config,
      logger,
      metrics,
      // PostgreSQL: new jobs wake the worker through LISTEN; PGlite has no second connection.
      listenForNewJobs: databaseUrl ? (events) => listenForOutboxJobs(databaseUrl, events) : undefined,
    });
    closers.push(() => worker.stop());
  }

  // Listening comes first: in webhook mode Telegram delivers as soon as setWebhook returns.
  if (bot && roles.includes('bot')) {
    const runningBot = await startBot({ services, config, logger, ...botSupport, bot });
    closers.push(() => runningBot.stop());
  }

  let adminSocket: Server | undefined;
  if (database.engine === 'pglite') {
    adminSocket = await startAdminSocket(
      adminSocketPath(config.DATA_DIR),
      (argv, out) =>
        runCommand(argv, {
          config,
          output: out,
          withServices: (work) => work(services),
          withDatabase: (work) => work(runtime.databaseAdmin),
          serve: async () => {
            throw new Error('the server is already running');
          },
        }),
      logger,
    );
    closers.push(
      () => new Promise<void>((resolve) => (adminSocket ? adminSocket.close(() => resolve()) : resolve())),
    );
  }

  // last_used_at of device passwords is written once a minute, not on every CalDAV request.
  const flushTimer = setInterval(() => {
    services.devices
      .flushLastUsed()
      .catch((error: unknown) => logger.warn({ err: error }, 'last-used flush failed'));
  }, 60_000);
  flushTimer.unref();
  closers.push(async () => {
    clearInterval(flushTimer);
    await services.devices.flushLastUsed();
  });

  const readyMs = Date.now() - startedAt;
  logger.info({ roles, database: database.location, engine: database.engine, readyMs }, 'Televent started');
  output.out(`Televent is running at ${baseUrl}/ (database: ${database.engine} at ${database.location}).`);
  output.out(
    `  CalDAV: add ${baseUrl}/ to your calendar app; user name = Telegram id, password = a device password.`,
  );
  if (publicUrlIsGuessed(config)) {
    // Listening on every interface (the Dockerfile's default) says nothing about the name people use.
    logger.warn({ apiHost: config.API_HOST, guessed: baseUrl }, 'PUBLIC_URL is unset; links use a guess');
    output.out(
      `  Set PUBLIC_URL to the address people reach this server at: API_HOST=${config.API_HOST} listens on every interface, so links and the bot say ${baseUrl} for now.`,
    );
  }
  if (!config.TELEGRAM_BOT_TOKEN) {
    output.out('  Telegram bot: off. Set TELEGRAM_BOT_TOKEN (from @BotFather) and restart to turn it on.');
  } else if (roles.includes('bot')) {
    output.out(`  Telegram bot: on (${webhookMode ? 'webhook' : 'long polling'}).`);
  }
  output.out('  Sign in on the web without the bot:');
  output.out('    npx televent user create --telegram-id 1001 --timezone Europe/Berlin');
  output.out('    npx televent login-link --telegram-id 1001');

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  for (const close of closers.reverse()) {
    await close().catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'));
  }
  await runtime.close();
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      terminalOutput.err(error.message);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const runtime: CliRuntime = {
    config,
    open: (options) => openRuntime(config, options),
    serve: (roles) => serve(config, roles, logger, terminalOutput),
  };
  return runCli(process.argv.slice(2), runtime);
}

try {
  process.exitCode = await main();
} catch (error) {
  terminalOutput.err(`televent: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
