import { createHash, timingSafeEqual } from 'node:crypto';
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import type { FastifyInstance } from 'fastify';
import { Api, Bot, BotError, GrammyError, type StorageAdapter, session } from 'grammy';
import type { User as TelegramUser, Update } from 'grammy/types';
import type { UserView } from '../app/account-service.ts';
import type { BotReachability, BotSupport } from '../app/bot-support.ts';
import { isAppError } from '../app/errors.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { BotContext, SessionData } from './context.ts';
import { accountFeature, deletionGuard } from './features/account.ts';
import { agendaFeature } from './features/agenda.ts';
import { cancelEventFeature } from './features/cancel-event.ts';
import { createFlowFeature } from './features/create-flow.ts';
import { devicesFeature } from './features/devices.ts';
import { emailFeature } from './features/email.ts';
import { exportImportFeature } from './features/export-import.ts';
import { fallbackFeature } from './features/fallback.ts';
import { quickAddFeature } from './features/quick-add.ts';
import { reminderActionsFeature } from './features/reminder-actions.ts';
import { botCommands, startFeature } from './features/start.ts';
import { webLoginFeature } from './features/web-login.ts';
import { replyToError } from './reply-to-error.ts';
import { type PrefetchingStorage, writeOnChange } from './session-storage.ts';
import { sequenceKeyOf, UpdateSequencer } from './update-sequencer.ts';

export interface CreateBotDeps {
  services: AppServices;
  config: Config;
  logger: Logger;
  /** grammY StorageAdapter for sessions; createBotSupport(db).sessionStorage keeps them in PostgreSQL. */
  sessionStorage: StorageAdapter<unknown>;
  reachability?: BotReachability;
  /** Reads the sender's user and session in one round trip (createBotSupport(db).readSender); without it, two reads. */
  readSender?: BotSupport['readSender'];
  /** Outgoing flood control (Telegram allows about 30 messages/s); on by default. */
  throttle?: boolean;
  now?: () => Date;
}

export type TeleventBot = Bot<BotContext>;

/** The path Telegram POSTs updates to in webhook mode. */
export const telegramWebhookPath = '/telegram/webhook';
const allowedUpdates = ['message', 'callback_query', 'my_chat_member'] as const;
const sequencers = new WeakMap<TeleventBot, UpdateSequencer>();

/** Builds the bot: API client, flood control, sessions in the database and every feature. */
export function createBot(deps: CreateBotDeps): TeleventBot {
  const token = deps.config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('createBot needs TELEGRAM_BOT_TOKEN');
  const logger = deps.logger.child({ door: 'bot' });
  const bot = new Bot<BotContext>(token, { client: { apiRoot: deps.config.TELEGRAM_API_ROOT } });
  sequencers.set(bot, new UpdateSequencer());

  // 429 with retry_after and 5xx are retried a bounded number of times, then given up.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  if (deps.throttle ?? true) bot.api.config.use(apiThrottler());
  // A user who blocked the bot answers 403 forever: mark them so nothing keeps retrying.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown }).chat_id;
    if (!result.ok && result.error_code === 403 && typeof chatId === 'number' && chatId > 0) {
      await deps.reachability?.markBlocked(chatId).catch((error: unknown) => {
        logger.warn({ err: error, chatId }, 'could not mark the user as blocked');
      });
    }
    return result;
  });

  const botDeps = { ...deps, logger, now: deps.now ?? (() => new Date()) };
  const storage = writeOnChange(deps.sessionStorage as StorageAdapter<SessionData>);
  // The user and the session are read in one query (readSender), or in parallel without it; the
  // session middleware below then takes the session from that read.
  const pendingUsers = new WeakMap<BotContext, Promise<UserView>>();
  bot.use(async (ctx, next) => {
    ctx.deps = botDeps;
    if (ctx.from && !ctx.from.is_bot && !ctx.myChatMember) {
      const loading = loadUser(deps, ctx.from, storage);
      loading.catch(() => undefined); // awaited (and reported) below
      pendingUsers.set(ctx, loading);
    }
    try {
      await next();
    } catch (error) {
      await answerFailure(ctx, error, logger);
    }
  });
  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked') await deps.reachability?.markBlocked(ctx.myChatMember.from.id);
    else if (status === 'member') await deps.reachability?.markReachable(ctx.myChatMember.from.id);
  });
  bot.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage,
      getSessionKey: sessionKeyOf,
    }),
  );
  bot.use(async (ctx, next) => {
    const loading = pendingUsers.get(ctx);
    if (loading) ctx.user = await loading;
    await next();
  });
  bot.use(deletionGuard);
  bot.use(startFeature);
  bot.use(createFlowFeature);
  bot.use(agendaFeature);
  bot.use(cancelEventFeature);
  bot.use(reminderActionsFeature);
  bot.use(devicesFeature);
  bot.use(exportImportFeature);
  bot.use(emailFeature);
  bot.use(webLoginFeature);
  bot.use(accountFeature);
  bot.use(quickAddFeature);
  bot.use(fallbackFeature);
  bot.catch((error) => answerFailure(error.ctx, error.error, logger));
  return bot;
}

/** Sessions are per user (the sender), in private chats and anywhere else. */
function sessionKeyOf(ctx: { from?: TelegramUser | undefined }): string | undefined {
  return ctx.from?.id.toString();
}

/**
 * The Televent user behind a sender, created on first contact. Names are refreshed only when
 * Telegram reports different ones, so an ordinary update costs one read, not a write. With
 * readSender that read brings the session along and hands it to `storage` for this update.
 */
async function loadUser(
  deps: Pick<CreateBotDeps, 'services' | 'readSender'>,
  from: TelegramUser,
  storage: PrefetchingStorage<SessionData>,
): Promise<UserView> {
  const profile = {
    telegramId: from.id,
    username: from.username ?? null,
    firstName: from.first_name,
    lastName: from.last_name ?? null,
  };
  let existing: UserView | undefined;
  if (deps.readSender) {
    const key = String(from.id); // = sessionKeyOf
    const read = deps.readSender(from.id, key);
    const session = read.then((r) => r.session as SessionData | undefined);
    storage.prefetch(key, session);
    existing = (await read).user;
  } else {
    existing = await deps.services.accounts.getUser(from.id).catch((error: unknown) => {
      if (isAppError(error) && error.reason === 'user-not-found') return undefined;
      throw error;
    });
  }
  if (
    existing &&
    existing.username === profile.username &&
    existing.firstName === profile.firstName &&
    existing.lastName === profile.lastName
  ) {
    return existing;
  }
  return (await deps.services.accounts.ensureUser(profile)).user;
}

async function answerFailure(ctx: BotContext, error: unknown, logger: Logger): Promise<void> {
  const cause = error instanceof BotError ? error.error : error;
  // A double tap can ask for an edit that changes nothing; Telegram refuses it and the chat is already right.
  if (cause instanceof GrammyError && cause.description.includes('message is not modified')) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    return;
  }
  const blocked = cause instanceof GrammyError && cause.error_code === 403;
  logger[blocked ? 'info' : 'error'](
    { err: cause, updateId: ctx.update.update_id },
    'update handling failed',
  );
  if (blocked || !ctx.chat) return;
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(replyToError(cause), { parse_mode: 'HTML' });
  } catch (replyError) {
    logger.warn({ err: replyError, updateId: ctx.update.update_id }, 'could not answer a failed update');
  }
}

/** Handles one update in its user's lane; never throws (failures are answered and logged). */
export function dispatchUpdate(bot: TeleventBot, update: Update, logger: Logger): Promise<void> {
  const sequencer = sequencers.get(bot) ?? new UpdateSequencer();
  return sequencer.run(sequenceKeyOf(update), async () => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      logger.error({ err: error, updateId: update.update_id }, 'update handling failed');
    }
  });
}

/** TELEGRAM_WEBHOOK_SECRET, or one derived from the token so route and setWebhook agree. */
export function webhookSecretFor(config: Config): string {
  if (config.TELEGRAM_WEBHOOK_SECRET) return config.TELEGRAM_WEBHOOK_SECRET;
  return createHash('sha256')
    .update(`televent-webhook:${config.TELEGRAM_BOT_TOKEN ?? ''}`)
    .digest('hex');
}

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /telegram/webhook: Telegram's update delivery in webhook mode. A request without the
 * right X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token) gets 401 and is not handled.
 */
export function registerTelegramWebhook(
  app: FastifyInstance,
  bot: TeleventBot,
  secret: string,
  logger?: Logger,
): void {
  app.post(telegramWebhookPath, async (request, reply) => {
    if (!sameSecret(request.headers['x-telegram-bot-api-secret-token'], secret)) {
      return reply.code(401).send({ ok: false, description: 'Unauthorized' });
    }
    const update = request.body as Update | undefined;
    if (!update || typeof update.update_id !== 'number') return reply.code(400).send({ ok: false });
    if (!bot.isInited()) await bot.init();
    await dispatchUpdate(bot, update, logger ?? (request.log as unknown as Logger));
    return reply.code(200).send({ ok: true });
  });
}

export interface RunningBot {
  bot: TeleventBot;
  mode: 'polling' | 'webhook';
  stop(): Promise<void>;
}

/**
 * Starts the bot: commands and menu button set, then long polling, or webhook mode when
 * PUBLIC_URL is https (the route comes from registerTelegramWebhook on the HTTP server).
 */
export async function startBot(deps: CreateBotDeps & { bot?: TeleventBot }): Promise<RunningBot> {
  const bot = deps.bot ?? createBot(deps);
  const logger = deps.logger.child({ door: 'bot' });
  await bot.init();
  await bot.api.setMyCommands(botCommands);
  const publicUrl = deps.config.PUBLIC_URL;
  const https = publicUrl?.startsWith('https://') ?? false;
  if (publicUrl && https) {
    await bot.api.setChatMenuButton({
      menu_button: {
        type: 'web_app',
        text: 'Calendar',
        web_app: { url: new URL('/app/', publicUrl).toString() },
      },
    });
    await bot.api.setWebhook(new URL(telegramWebhookPath, publicUrl).toString(), {
      secret_token: webhookSecretFor(deps.config),
      allowed_updates: [...allowedUpdates],
    });
    logger.info({ mode: 'webhook' }, 'telegram bot started');
    return {
      bot,
      mode: 'webhook',
      stop: async () => {
        await (sequencers.get(bot) ?? new UpdateSequencer()).drain();
      },
    };
  }
  await bot.api.deleteWebhook();
  const poller = startPolling(bot, deps.config, logger);
  logger.info({ mode: 'polling' }, 'telegram bot started');
  return { bot, mode: 'polling', stop: poller.stop };
}

const maxUpdatesInFlight = 200;

/**
 * Long polling (getUpdates with offset and a 25 s timeout) feeding the per-user sequencer, so
 * one slow user never holds up the others. The offset confirms updates once they are queued.
 */
function startPolling(bot: TeleventBot, config: Config, logger: Logger): { stop(): Promise<void> } {
  const controller = new AbortController();
  // Polling goes around the throttler: a long poll must not hold a flood-control slot.
  const api = new Api(bot.token, { apiRoot: config.TELEGRAM_API_ROOT });
  const sequencer = sequencers.get(bot) ?? new UpdateSequencer();
  let offset = 0;
  let failures = 0;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let updates: Update[];
      try {
        updates = await api.getUpdates(
          { offset, timeout: 25, limit: 100, allowed_updates: [...allowedUpdates] },
          // grammY types the signal with the abort-controller polyfill; Node's is compatible.
          controller.signal as Parameters<Api['getUpdates']>[1],
        );
        failures = 0;
      } catch (error) {
        if (controller.signal.aborted) break;
        failures += 1;
        const retryAfter = error instanceof GrammyError ? (error.parameters.retry_after ?? 0) : 0;
        const delay = Math.max(retryAfter * 1000, Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
        logger.warn({ err: error, delay }, 'getUpdates failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      for (const update of updates) {
        offset = update.update_id + 1;
        void dispatchUpdate(bot, update, logger);
      }
      await sequencer.belowLimit(maxUpdatesInFlight);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
      await sequencer.drain();
      // Confirm what was handled so a restart does not see it again.
      if (offset > 0) await api.getUpdates({ offset, timeout: 0, limit: 1 }).catch(() => undefined);
    },
  };
}
