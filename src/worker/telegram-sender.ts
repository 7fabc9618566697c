import { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { classifyTelegramError } from '../telegram/telegram-errors.ts';
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
 * Through grammY's Api class (no Bot: the worker receives no updates); failures are classified
 * by the Telegram kit and mapped to job errors by mapTelegramError.
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

/** The job error a failed send becomes: permanent, retry after Telegram's wait, or retried with backoff. */
export function mapTelegramError(error: unknown): Error {
  const failure = classifyTelegramError(error);
  if (!failure) return error instanceof Error ? error : new Error(String(error));
  switch (failure.kind) {
    case 'blocked':
    case 'chat-not-found':
    case 'not-modified':
    case 'bad-request':
      return new PermanentJobError(failure.message, { cause: error });
    case 'flood-wait':
      return new RetryLaterError(failure.message, failure.retryAfterMs, { cause: error });
    case 'other':
    case 'unreachable':
      return new Error(failure.message, { cause: error });
  }
}

/** Stands in when no TELEGRAM_BOT_TOKEN is configured: every send fails for good, saying why. */
export const unconfiguredTelegram: TelegramSender = {
  async send() {
    throw new PermanentJobError('TELEGRAM_BOT_TOKEN is not set: cannot send Telegram messages');
  },
};
