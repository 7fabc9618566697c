/** A failure that retrying cannot fix (the user blocked the bot, a malformed payload). */
export class PermanentJobError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** A failure the other side asked us to retry after a given wait (Telegram 429 retry_after). */
export class RetryLaterError extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'RetryLaterError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Exponential backoff: 1 min, 2 min, 4 min, … after the 1st, 2nd, 3rd failed attempt, capped at 6 h. */
export function backoffDelayMs(attempts: number, baseMs = 60_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2000);
}
