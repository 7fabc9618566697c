import { GrammyError, HttpError } from 'grammy';

/**
 * What a failed Bot API call means for the caller, per the Bot API docs: 403 once the user
 * blocked the bot (or deactivated, or kicked it); 400 "chat not found" for a chat we cannot
 * reach; 429 with parameters.retry_after in seconds; other answers and network failures.
 */
export type TelegramFailure =
  | { kind: 'blocked'; message: string }
  | { kind: 'chat-not-found'; message: string }
  /** 400 on an edit that changes nothing, e.g. a double tap: the chat already shows it. */
  | { kind: 'not-modified'; message: string }
  /** Any other 400: the request itself is wrong, sending it again cannot help. */
  | { kind: 'bad-request'; message: string }
  | { kind: 'flood-wait'; message: string; retryAfterMs: number }
  /** Any other answer (5xx, 401, 409, …). */
  | { kind: 'other'; message: string }
  /** No answer: the network or Telegram's servers are down. */
  | { kind: 'unreachable'; message: string };

/** The failure's kind, or null when the error did not come from a Bot API call. */
export function classifyTelegramError(error: unknown): TelegramFailure | null {
  if (error instanceof GrammyError) {
    const message = `Telegram ${error.error_code}: ${error.description}`;
    if (error.error_code === 403) return { kind: 'blocked', message };
    if (error.error_code === 429) {
      return { kind: 'flood-wait', message, retryAfterMs: (error.parameters.retry_after ?? 1) * 1000 };
    }
    if (error.error_code === 400) {
      const description = error.description.toLowerCase();
      if (description.includes('chat not found')) return { kind: 'chat-not-found', message };
      if (description.includes('message is not modified')) return { kind: 'not-modified', message };
      return { kind: 'bad-request', message };
    }
    return { kind: 'other', message };
  }
  if (error instanceof HttpError) {
    return { kind: 'unreachable', message: `Telegram unreachable: ${error.message}` };
  }
  return null;
}
