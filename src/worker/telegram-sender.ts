import type { ReachabilityService } from '../app/reachability-service.ts';
import type { Logger } from '../observability/logger.ts';
import { createBotApiClient, type TelegramMessage } from '../telegram/bot-api.ts';
import { classifyTelegramError } from '../telegram/telegram-errors.ts';
import { loggableError, PermanentJobError, RecipientBlockedError, RetryLaterError } from './job-errors.ts';

/** Sends bot messages for the worker; the worker never needs the bot door, only the Bot API. */
export interface TelegramSender {
  send(chatId: number, message: TelegramMessage): Promise<{ messageId: number }>;
}

/**
 * Through the Telegram kit's Bot API client; failures are classified by the kit and mapped to
 * job errors by mapTelegramError.
 */
export function createTelegramSender(token: string, apiRoot: string): TelegramSender {
  const api = createBotApiClient(token, apiRoot);
  return {
    async send(chatId, message) {
      try {
        return await api.sendMessage(chatId, message);
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
      return new RecipientBlockedError(failure.message, { cause: error });
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

/**
 * Marks the recipient of a send Telegram refused with 403 as having blocked the bot, through
 * the same app service as the bot's own 403s, so the planners stop making jobs for them
 * (docs/worker-delivery.md#reachability). The job still fails for good, as before.
 */
export function markingBlockedRecipients(
  sender: TelegramSender,
  reachability: Pick<ReachabilityService, 'markBlocked'>,
  logger: Logger,
): TelegramSender {
  return {
    async send(chatId, message) {
      try {
        return await sender.send(chatId, message);
      } catch (error) {
        // A group's 403 means the bot is no longer in it: its reminders stop being planned too.
        if (error instanceof RecipientBlockedError && chatId !== 0) {
          await reachability.markBlocked(chatId).catch((markError: unknown) => {
            logger.warn({ err: loggableError(markError) }, 'could not mark the user as blocked');
          });
        }
        throw error;
      }
    },
  };
}

/**
 * Sends addressed to a group (a negative id: the group that owns a calendar, group-calendars.ts)
 * go to the chat the group lives in now, which Telegram changes when a group becomes a supergroup.
 */
export function toGroupChats(
  sender: TelegramSender,
  groups: { chatOf(groupId: number): Promise<number> },
): TelegramSender {
  return {
    async send(chatId, message) {
      return sender.send(chatId < 0 ? await groups.chatOf(chatId) : chatId, message);
    },
  };
}

/** Stands in when no TELEGRAM_BOT_TOKEN is configured: every send fails for good, saying why. */
export const unconfiguredTelegram: TelegramSender = {
  async send() {
    throw new PermanentJobError('TELEGRAM_BOT_TOKEN is not set: cannot send Telegram messages');
  },
};
