import { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';

/** One chat message as the bot and the worker send it. */
export interface TelegramMessage {
  text: string;
  parseMode?: 'HTML' | undefined;
  replyMarkup?: InlineKeyboardMarkup | undefined;
}

/** Sending without a Bot: the worker receives no updates, it only writes to chats. */
export interface BotApiClient {
  /** Rejects with grammY's error, for classifyTelegramError (telegram-errors.ts) to read. */
  sendMessage(chatId: number, message: TelegramMessage): Promise<{ messageId: number }>;
}

/** grammY's Api class against TELEGRAM_API_ROOT (Telegram's servers, or the tests' emulator). */
export function createBotApiClient(token: string, apiRoot: string): BotApiClient {
  const api = new Api(token, { apiRoot, timeoutSeconds: 30 });
  return {
    async sendMessage(chatId, message) {
      const sent = await api.sendMessage(chatId, message.text, {
        ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
        ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
        link_preview_options: { is_disabled: true },
      });
      return { messageId: sent.message_id };
    },
  };
}
