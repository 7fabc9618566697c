import { createHash } from 'node:crypto';
import type { Update } from 'grammy/types';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { TeleventBot } from './create-bot.ts';
import { dispatchUpdate } from './dispatch-update.ts';

/** The path Telegram POSTs updates to in webhook mode (setWebhook is given PUBLIC_URL + this). */
export const telegramWebhookPath = '/telegram/webhook';

/** TELEGRAM_WEBHOOK_SECRET, or one derived from the token so route and setWebhook agree. */
export function webhookSecretFor(config: Config): string {
  if (config.TELEGRAM_WEBHOOK_SECRET) return config.TELEGRAM_WEBHOOK_SECRET;
  return createHash('sha256')
    .update(`televent-webhook:${config.TELEGRAM_BOT_TOKEN ?? ''}`)
    .digest('hex');
}

/**
 * What the HTTP door needs to receive Telegram's deliveries for this bot: where, the secret
 * token Telegram sends along, and what to do with an update whose secret matched.
 */
export function telegramWebhookEndpoint(
  bot: TeleventBot,
  config: Config,
  logger: Logger,
): { path: string; secret: string; handleUpdate(update: { update_id: number }): Promise<void> } {
  return {
    path: telegramWebhookPath,
    secret: webhookSecretFor(config),
    async handleUpdate(update) {
      if (!bot.isInited()) await bot.init();
      // The route checked only update_id; grammY reads the rest of Telegram's body defensively.
      await dispatchUpdate(bot, update as Update, logger);
    },
  };
}
