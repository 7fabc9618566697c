/** A failure that retrying cannot fix (the user blocked the bot, a malformed payload). */
export class PermanentJobError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** Telegram answered 403: the user blocked the bot (marked unreachable, see telegram-sender.ts). */
export class RecipientBlockedError extends PermanentJobError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'RecipientBlockedError';
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

/** Longest error message the worker writes to a log line or a job row. */
const maxMessageChars = 500;

/**
 * An error as one short line: name and message, and its cause's (planning wraps a calendar
 * error in a PermanentJobError), cut to 500 characters. Stored as a job's `last_error`.
 */
export function errorText(error: unknown): string {
  const cause =
    error instanceof Error && error.cause !== undefined ? ` (cause: ${oneLine(error.cause)})` : '';
  return `${oneLine(error)}${cause}`.slice(0, maxMessageChars);
}

function oneLine(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * What the worker logs of an error (under pino's `err`): a fresh Error with the same name, the
 * message cut to 500 characters, the driver's `code`, the stack's frames and causes alike. Never
 * the error itself: a database error carries its statement's parameters (whole iCalendar texts,
 * thousands of rows), and a serializer that copies every field would log them all.
 */
export function loggableError(error: unknown, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(String(error).slice(0, maxMessageChars));
  const safe = new Error(error.message.slice(0, maxMessageChars));
  safe.name = error.name;
  // V8 starts a stack with the whole message; keep a header of our own and the frames.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames.slice(0, 10)].join('\n');
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(safe, { code });
  if (error.cause !== undefined && depth < 3) safe.cause = loggableError(error.cause, depth + 1);
  return safe;
}
