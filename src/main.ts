import { existsSync } from 'node:fs';
import type { Server } from 'node:net';
import { createBotSupport } from './app/bot-support.ts';
import { createServices } from './app/services.ts';
import { checkBotToken, startBotWhenReachable } from './bot/bot-startup.ts';
import { createBot } from './bot/create-bot.ts';
import { startBot } from './bot/start-bot.ts';
import { telegramWebhookEndpoint } from './bot/webhook.ts';
import { registerCaldav } from './caldav/plugin.ts';
import { keptResponseStats } from './caldav/response-cache.ts';
import { adminSocketPath, runThroughAdminSocket, startAdminSocket } from './cli/admin-socket.ts';
import type { CliOutput, CliRuntime, DatabaseAdmin, OpenRuntime, ServerRole } from './cli/cli-runtime.ts';
import { runCommand } from './cli/run-command.ts';
import { runCli, terminalOutput } from './cli/televent.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { timeZoneCacheStats } from './domain/time/time-zone.ts';
import { buildMetricsServer } from './http/metrics-server.ts';
import type { BotHealth } from './http/plugins/health.ts';
import { registerBrowserRoutes, registerRestApi } from './http/rest-api.ts';
import { buildServer } from './http/server.ts';
import { registerTelegramWebhook } from './http/telegram-webhook.ts';
import { ensureWebAppBuilt } from './http/web-app.ts';
import { createProcessLogger, type Logger } from './observability/logger.ts';
import { createMetrics, registerCacheMetrics } from './observability/metrics.ts';
import { startTracing } from './observability/tracing.ts';
import { packageVersion } from './package-root.ts';
import { describeListenError, ensurePortFree } from './port-check.ts';
import { publicBaseUrl, publicUrlIsGuessed } from './public-url.ts';
import { startChangeFeed } from './storage/change-notifications.ts';
import { checkDatabaseUrl } from './storage/check-database-url.ts';
import { backupDatabase, restoreDatabase } from './storage/data-transfer/backup.ts';
import { moveData } from './storage/data-transfer/data-move.ts';
import { createDatabase, type DatabaseHandle, pingDatabase } from './storage/database.ts';
import { migrateDown, migrateToLatest, migrationStatus } from './storage/migrate.ts';
import { listenForOutboxJobs } from './storage/outbox-notifications.ts';
import { holdServingLock } from './storage/serving-lock.ts';
import { startWorker } from './worker/run-worker.ts';

// The composition root: the only file that constructs and wires everything.

function databaseAdminFor(database: DatabaseHandle): DatabaseAdmin {
  return {
    migrateUp: () => migrateToLatest(database.db),
    migrateDown: (options) => migrateDown(database.db, { toZero: options.all }),
    migrationStatus: () => migrationStatus(database.db),
    moveData: (target) => moveData(database.db, target),
    backup: (file) => backupDatabase(database, file, packageVersion()),
    restore: (file, options) => restoreDatabase(database, file, options),
  };
}

async function openRuntime(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<OpenRuntime & { database: DatabaseHandle }> {
  // One line naming DATABASE_URL and the cause, within seconds, rather than a driver error mid-migration.
  if (config.DATABASE_URL) await checkDatabaseUrl(config.DATABASE_URL);
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
  // What an operator can get wrong is checked before the database is opened (or, the first time, made).
  if (roles.includes('http')) await ensurePortFree(config.API_HOST, config.API_PORT);
  if (config.METRICS_PORT !== undefined) {
    await ensurePortFree(config.API_HOST, config.METRICS_PORT, 'METRICS_PORT');
  }
  // A refused token stops here (naming TELEGRAM_BOT_TOKEN); an unreachable Bot API does not.
  const botCheck =
    config.TELEGRAM_BOT_TOKEN && roles.includes('bot')
      ? await checkBotToken(config, config.TELEGRAM_BOT_TOKEN)
      : undefined;
  if (botCheck && !botCheck.reachable) {
    logger.warn(
      { err: botCheck.error, telegramApiRoot: config.TELEGRAM_API_ROOT },
      `the Bot API at TELEGRAM_API_ROOT=${config.TELEGRAM_API_ROOT} is unreachable: starting without the bot, which keeps retrying`,
    );
  }
  // Listening for the stop signal before starting: one that arrives while the database opens, or
  // just as the banner is printed, stops the server cleanly once it is up instead of killing it.
  const stopSignal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const runtime = await openRuntime(config);
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'));
    }
    await runtime.close();
  };
  try {
    await startRoles(config, roles, logger, output, { runtime, closers, startedAt, botCheck });
  } catch (error) {
    // Nothing stays half-started: whatever did start is stopped before the error is reported.
    await closeAll();
    throw error;
  }
  logger.info({ signal: await stopSignal }, 'shutting down');
  await closeAll();
}

interface Starting {
  runtime: OpenRuntime & { database: DatabaseHandle };
  /** Stop functions of what has started, run in reverse at shutdown or on a start-up failure. */
  closers: Array<() => Promise<void>>;
  startedAt: number;
  /** The Bot API's answer to getMe before anything started (undefined: no bot in this process). */
  botCheck: Awaited<ReturnType<typeof checkBotToken>> | undefined;
}

async function startRoles(
  config: Config,
  roles: readonly ServerRole[],
  logger: Logger,
  output: CliOutput,
  { runtime, closers, startedAt, botCheck }: Starting,
): Promise<void> {
  const { database, services } = runtime;
  // `migrate down` refuses while any serving process holds this lock (PostgreSQL; storage/serving-lock.ts).
  closers.push(await holdServingLock(database));
  const metrics = createMetrics();
  registerCacheMetrics(metrics.registry, {
    'time-zone-formats': () => timeZoneCacheStats().formatters,
    'time-zone-definitions': () => timeZoneCacheStats().vtimezones,
    'time-zones': () => timeZoneCacheStats().zones,
    'time-zones-of-objects': () => timeZoneCacheStats().ownZones,
    occurrences: () => services.occurrences.stats(),
    'calendar-objects': () => services.objectReader.cacheStats(),
    'calendar-members': () => services.caldav.memberIndexStats(),
    'caldav-responses': keptResponseStats,
  });
  const tracing = await startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const baseUrl = publicBaseUrl(config);
  if (tracing) closers.push(() => tracing.shutdown());

  const botSupport = createBotSupport(database.db, services.reachability);
  const webhookMode = config.PUBLIC_URL?.startsWith('https://') ?? false;
  // In webhook mode every HTTP process answers Telegram's deliveries, so it needs a bot too.
  const bot =
    config.TELEGRAM_BOT_TOKEN && (roles.includes('bot') || (webhookMode && roles.includes('http')))
      ? createBot({ services, config, logger, metrics, publicBaseUrl: baseUrl, ...botSupport })
      : undefined;

  // What /health says of the bot run by this process.
  let botHealth: BotHealth = bot && roles.includes('bot') ? 'starting' : 'off';

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
      botHealth: () => botHealth,
      tracing,
      registerRootRoutes: async (root) => {
        await registerBrowserRoutes(root, restDeps);
        await registerCaldav(root, { services, config, logger, metrics });
        if (bot) registerTelegramWebhook(root, telegramWebhookEndpoint(bot, config, logger));
      },
      registerRoutes: (api) => registerRestApi(api, restDeps),
    });
    closers.push(() => app.close());
    await app.listen({ host: config.API_HOST, port: config.API_PORT }).catch((error: unknown) => {
      throw describeListenError(error, config.API_HOST, config.API_PORT);
    });
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
  // An unreachable Bot API does not stop CalDAV and the web: the bot keeps trying in the background.
  let botState: 'running' | 'retrying' | 'refused' | undefined;
  if (bot && roles.includes('bot')) {
    const botStarter = startBotWhenReachable(
      () => startBot({ services, config, logger, ...botSupport, bot }),
      config,
      logger,
      (state) => {
        botHealth = state;
      },
    );
    closers.push(() => botStarter.stop());
    botState = botCheck?.reachable ? await botStarter.firstAttempt : 'retrying';
    if (botHealth === 'starting') botHealth = botState; // unreachable at the check: retrying already
  }

  // /metrics on a port of its own: what this process does, whichever roles it runs.
  const metricsPort = config.METRICS_PORT;
  if (metricsPort !== undefined) {
    const metricsServer = await buildMetricsServer({ metrics, logger, token: config.METRICS_TOKEN });
    closers.push(() => metricsServer.close());
    await metricsServer.listen({ host: config.API_HOST, port: metricsPort }).catch((error: unknown) => {
      throw describeListenError(error, config.API_HOST, metricsPort, 'METRICS_PORT');
    });
  }

  // CLI commands run in the server (PGlite: it owns the data; PostgreSQL: the first server takes them).
  const adminSocket: Server | undefined = await startAdminSocket(
    adminSocketPath(config.DATA_DIR, config.DATABASE_URL),
    (argv, out, cwd) =>
      runCommand(argv, {
        config,
        cwd,
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
  } else if (botState === 'running') {
    output.out(`  Telegram bot: on (${webhookMode ? 'webhook' : 'long polling'}).`);
  } else if (botState === 'refused') {
    output.out('  Telegram bot: off, TELEGRAM_BOT_TOKEN was refused by the Bot API (see the log).');
  } else if (botState !== undefined) {
    output.out(
      `  Telegram bot: not started yet, the Bot API at TELEGRAM_API_ROOT=${config.TELEGRAM_API_ROOT} is unreachable; retrying in the background (see the log).`,
    );
  }
  output.out('  Sign in on the web without the bot:');
  output.out('    npx televent user create --telegram-id 1001 --timezone Europe/Berlin');
  output.out('    npx televent login-link --telegram-id 1001');
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
  const logger = createProcessLogger(config);
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
