import { Api, GrammyError, HttpError } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { PermanentJobError, RetryLaterError } from './job-errors.ts';

export interface TelegramMessage {
  text: string;
  parseMode?: 'HTML' | undefined;
  replyMarkup?: InlineKeyboardMarkup | undefined;
}

/** Sends bot messages for the worker; the worker never needs the bot door, only the Bot API. */
export interface TelegramSender {
  send(chatId: number, message: TelegramMessage): Promise<{ messageId: number }>;
}

/**
 * Through grammY's Api class (no Bot: the worker receives no updates). Error mapping, per the
 * Bot API docs: 403 (blocked, deactivated, kicked) and 400 (chat not found) are permanent;
 * 429 carries parameters.retry_after in seconds; 5xx and network errors are retried with backoff.
 */
export function createTelegramSender(token: string, apiRoot: string): TelegramSender {
  const api = new Api(token, { apiRoot, timeoutSeconds: 30 });
  return {
    async send(chatId, message) {
      try {
        const sent = await api.sendMessage(chatId, message.text, {
          ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
          ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
          link_preview_options: { is_disabled: true },
        });
        return { messageId: sent.message_id };
      } catch (error) {
        throw mapTelegramError(error);
      }
    },
  };
}

export function mapTelegramError(error: unknown): Error {
  if (error instanceof GrammyError) {
    const text = `Telegram ${error.error_code}: ${error.description}`;
    if (error.error_code === 403 || error.error_code === 400) {
      return new PermanentJobError(text, { cause: error });
    }
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after ?? 1;
      return new RetryLaterError(text, seconds * 1000, { cause: error });
    }
    return new Error(text, { cause: error });
  }
  if (error instanceof HttpError)
    return new Error(`Telegram unreachable: ${error.message}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

/** Stands in when no TELEGRAM_BOT_TOKEN is configured: every send fails for good, saying why. */
export const unconfiguredTelegram: TelegramSender = {
  async send() {
    throw new PermanentJobError('TELEGRAM_BOT_TOKEN is not set: cannot send Telegram messages');
  },
};
