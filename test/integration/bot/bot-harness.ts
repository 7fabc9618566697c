import { createBotSupport } from '../../../src/app/bot-support.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { createBot } from '../../../src/bot/create-bot.ts';
import { type RunningBot, startBot } from '../../../src/bot/start-bot.ts';
import { type Config, loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.ts';
import { type SentMessage, TelegramEmulator, type TelegramUser } from '../../support/telegram-emulator.ts';
import { openTestDatabase, type TestDatabase } from '../../support/test-database.ts';

export interface BotHarness {
  database: TestDatabase;
  emulator: TelegramEmulator;
  services: AppServices;
  config: Config;
  /** The bot's metrics registry (what /metrics would show for this process). */
  metrics: Metrics;
  /** Sends text as the user and resolves with the bot's next message in that chat. */
  say(user: TelegramUser, text: string): Promise<SentMessage>;
  /** Presses an inline button of `message` whose callback_data is `data`; resolves with the next message or edit. */
  press(user: TelegramUser, message: SentMessage, data: string): Promise<SentMessage>;
  next(user: TelegramUser): Promise<SentMessage>;
  /** Stops the bot process and starts a new one on the same database and emulator. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function buttonsOf(message: SentMessage): Array<{ text: string; data: string }> {
  const rows = (
    message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> }
  )?.inline_keyboard;
  return (rows ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

/** The real bot on a real database, talking to the local Bot API emulator (long polling). */
export async function startBotHarness(
  options: { env?: Record<string, string>; throttle?: boolean; now?: () => Date } = {},
): Promise<BotHarness> {
  const database = await openTestDatabase();
  const emulator = await TelegramEmulator.start();
  // One clock for the bot and the services, so "today", snoozes and erase dates follow the test's moment.
  const clock = options.now ? { now: options.now } : {};
  const services = createServices(database.db, clock);
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const logger = createLogger('silent');
  const metrics = createMetrics();
  const deps = {
    services,
    config,
    logger,
    metrics,
    ...createBotSupport(database.db, services.reachability),
    // Telegram's 1 message/s per chat would make every test slow; one test keeps it on.
    throttle: options.throttle ?? false,
    ...clock,
  };
  // The emulator delivers updates by long polling: an https PUBLIC_URL (which would switch startBot
  // to webhook mode) reaches only the bot's features, which then make their Web App buttons.
  const pollingConfig: Config = { ...config, PUBLIC_URL: undefined };
  const launch = () => startBot({ ...deps, config: pollingConfig, bot: createBot(deps) });
  let running: RunningBot = await launch();
  const next = (user: TelegramUser) => emulator.waitForMessage(user.id);
  return {
    database,
    emulator,
    services,
    config,
    metrics,
    next,
    say(user, text) {
      emulator.sendText(user, text);
      return next(user);
    },
    press(user, message, data) {
      if (!buttonsOf(message).some((b) => b.data === data)) {
        throw new Error(`no button ${data} on message: ${JSON.stringify(buttonsOf(message))}`);
      }
      emulator.sendCallback(user, data, message);
      return next(user);
    },
    async restart() {
      await running.stop();
      running = await launch();
    },
    async close() {
      await running.stop();
      await emulator.close();
      await database.close();
    },
  };
}
