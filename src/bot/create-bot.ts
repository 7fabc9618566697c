import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot, type StorageAdapter, session } from 'grammy';
import type { BotReachability, BotSupport } from '../app/bot-support.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { inSpan, markSpanFailed } from '../observability/spans.ts';
import { publicBaseUrl } from '../public-url.ts';
import { miniAppUrl } from '../telegram/mini-app.ts';
import { answerFailure } from './answer-failure.ts';
import { type BotContext, type BotDeps, type SessionData, speak } from './context.ts';
import { allowedUpdates } from './dispatch-update.ts';
import { accountFeature, deletionGuard } from './features/account.ts';
import { agendaFeature } from './features/agenda.ts';
import { cancelEventFeature } from './features/cancel-event.ts';
import { createFlowFeature } from './features/create-flow.ts';
import { devicesFeature } from './features/devices.ts';
import { editEventFeature } from './features/edit-event.ts';
import { emailFeature } from './features/email.ts';
import { exportImportFeature } from './features/export-import.ts';
import { fallbackFeature } from './features/fallback.ts';
import { groupCalendarFeature, groupStartFeature } from './features/group-calendar.ts';
import { invitationsFeature } from './features/invitations.ts';
import { inviteFeature } from './features/invite.ts';
import { quickAddFeature } from './features/quick-add.ts';
import { reminderActionsFeature } from './features/reminder-actions.ts';
import { searchFeature } from './features/search.ts';
import { settingsFeature } from './features/settings.ts';
import { shareFeature } from './features/share.ts';
import { startFeature } from './features/start.ts';
import { subscribeFeature } from './features/subscribe.ts';
import { taskQuickAddFeature } from './features/task-quick-add.ts';
import { tasksFeature } from './features/tasks.ts';
import { webLoginFeature } from './features/web-login.ts';
import { createSenderLoader, sessionKeyOf } from './load-sender.ts';
import { writeOnChange } from './session-storage.ts';

export interface CreateBotDeps {
  services: AppServices;
  config: Config;
  logger: Logger;
  /** Updates by type and outcome, and their latency; main.ts passes the process registry's. */
  metrics?: Metrics;
  /** The URL people reach the server at; main.ts passes it, otherwise publicBaseUrl(config). */
  publicBaseUrl?: string;
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

/** The update's kind (message, callback_query, …), from the list this bot subscribes to. */
function updateTypeOf(update: object): string {
  const type = Object.keys(update).find((key) => key !== 'update_id');
  return type !== undefined && (allowedUpdates as readonly string[]).includes(type) ? type : 'other';
}

/** Builds the bot: API client, flood control, sessions in the database and every feature. */
export function createBot(deps: CreateBotDeps): TeleventBot {
  const token = deps.config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('createBot needs TELEGRAM_BOT_TOKEN');
  const logger = deps.logger.child({ door: 'bot' });
  const bot = new Bot<BotContext>(token, { client: { apiRoot: deps.config.TELEGRAM_API_ROOT } });

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

  const botDeps: BotDeps = {
    ...deps,
    logger,
    publicBaseUrl: deps.publicBaseUrl ?? publicBaseUrl(deps.config),
    miniAppUrl: miniAppUrl(deps.config.PUBLIC_URL),
    now: deps.now ?? (() => new Date()),
  };
  const storage = writeOnChange(deps.sessionStorage as StorageAdapter<SessionData>);
  // The user and the session are read in one query (readSender), or in parallel without it; the
  // session middleware below then takes the session from that read.
  const sender = createSenderLoader(deps, storage);
  bot.use(async (ctx, next) => {
    const type = updateTypeOf(ctx.update);
    const started = performance.now();
    // One span per update: the SQL it runs and the lines it logs carry its trace id.
    const outcome = await inSpan('bot update', { 'telegram.update.type': type }, async (span) => {
      ctx.deps = botDeps;
      // Until the user is read, Telegram's language_code decides (an early failure is answered in it).
      speak(ctx, null, ctx.from?.language_code);
      sender.begin(ctx);
      let result: 'handled' | 'failed' = 'handled';
      try {
        await next();
      } catch (error) {
        result = 'failed';
        await answerFailure(ctx, error, logger);
      }
      span.setAttribute('televent.outcome', result);
      if (result === 'failed') markSpanFailed(span);
      return result;
    });
    deps.metrics?.botUpdates.inc({ type, outcome });
    deps.metrics?.botUpdateDuration.observe({ type }, (performance.now() - started) / 1000);
  });
  bot.on('my_chat_member', async (ctx, next) => {
    // In a group it is the bot joining or leaving the group (group-calendar.ts), not a person blocking it.
    if (ctx.chat.type !== 'private') return next();
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
  bot.use(sender.attach);
  bot.use(async (ctx, next) => {
    speak(ctx, ctx.user?.language, ctx.user?.locale ?? ctx.from?.language_code);
    await next();
  });
  bot.use(groupCalendarFeature); // everything said in a group ends there
  bot.use(deletionGuard);
  bot.use(groupStartFeature); // before /start: it takes /start group_… (the join link)
  bot.use(shareFeature); // before /start: it takes /start share_… (invite links)
  bot.use(inviteFeature); // before quick add: after [👥 Invite] it takes a contact, an @username or an e-mail address
  bot.use(startFeature);
  bot.use(settingsFeature);
  bot.use(createFlowFeature);
  bot.use(editEventFeature);
  bot.use(agendaFeature);
  bot.use(cancelEventFeature);
  bot.use(searchFeature);
  bot.use(reminderActionsFeature);
  bot.use(invitationsFeature);
  bot.use(devicesFeature);
  bot.use(exportImportFeature);
  bot.use(emailFeature);
  bot.use(webLoginFeature);
  bot.use(subscribeFeature);
  bot.use(accountFeature);
  bot.use(tasksFeature);
  bot.use(taskQuickAddFeature);
  bot.use(quickAddFeature);
  bot.use(fallbackFeature);
  bot.catch((error) => answerFailure(error.ctx, error.error, logger));
  return bot;
}
