import { languages } from '../telegram/i18n.ts';
import { miniAppUrl } from '../telegram/mini-app.ts';
import { type CreateBotDeps, createBot, type TeleventBot } from './create-bot.ts';
import { allowedUpdates, sequencerOf } from './dispatch-update.ts';
import { groupCommandsIn } from './features/group-calendar.ts';
import { botCommandsIn } from './features/start.ts';
import { startPolling } from './long-polling.ts';
import { telegramWebhookPath, webhookSecretFor } from './webhook.ts';

export interface RunningBot {
  bot: TeleventBot;
  mode: 'polling' | 'webhook';
  stop(): Promise<void>;
}

/**
 * Starts the bot: commands and menu button set, then long polling, or webhook mode when
 * PUBLIC_URL is https (the HTTP door serves the route from telegramWebhookEndpoint).
 */
export async function startBot(deps: CreateBotDeps & { bot?: TeleventBot }): Promise<RunningBot> {
  const bot = deps.bot ?? createBot(deps);
  const logger = deps.logger.child({ door: 'bot' });
  await bot.init();
  // English for everyone, and each other language's menu for users whose Telegram speaks it.
  await bot.api.setMyCommands(botCommandsIn('en'));
  for (const language of languages.filter((l) => l !== 'en')) {
    await bot.api.setMyCommands(botCommandsIn(language), { language_code: language });
  }
  // In groups the bot knows only the group calendar's commands (group-calendar.ts).
  const inGroups = { type: 'all_group_chats' } as const;
  await bot.api.setMyCommands(groupCommandsIn('en'), { scope: inGroups });
  for (const language of languages.filter((l) => l !== 'en')) {
    await bot.api.setMyCommands(groupCommandsIn(language), { scope: inGroups, language_code: language });
  }
  const publicUrl = deps.config.PUBLIC_URL;
  const appUrl = miniAppUrl(publicUrl);
  if (publicUrl && appUrl) {
    await bot.api.setChatMenuButton({
      menu_button: { type: 'web_app', text: 'Calendar', web_app: { url: appUrl } },
    });
    await bot.api.setWebhook(new URL(telegramWebhookPath, publicUrl).toString(), {
      secret_token: webhookSecretFor(deps.config),
      allowed_updates: [...allowedUpdates],
    });
    logger.info({ mode: 'webhook' }, 'telegram bot started');
    return { bot, mode: 'webhook', stop: () => sequencerOf(bot).drain() };
  }
  await bot.api.deleteWebhook();
  const poller = startPolling(bot, deps.config, logger);
  logger.info({ mode: 'polling' }, 'telegram bot started');
  return { bot, mode: 'polling', stop: poller.stop };
}
