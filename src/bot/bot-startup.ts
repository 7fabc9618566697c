import { Api, GrammyError } from 'grammy';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunningBot } from './start-bot.ts';

/** Telegram refused the token (401 Unauthorized, or 404 for a token of no bot): an operator error. */
export class BotTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotTokenError';
  }
}

/** How long start-up waits for the Bot API to answer getMe before going on without the bot. */
const checkTimeoutSeconds = 10;

export type BotCheck = { reachable: true; username: string } | { reachable: false; error: unknown };

/** Whether Telegram refused the token (as opposed to not answering at all). */
export function isTokenRejected(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
}

/**
 * Asks the Bot API who the token belongs to, before anything else starts: a refused token throws
 * a BotTokenError naming TELEGRAM_BOT_TOKEN (start-up stops); an unreachable Bot API is returned,
 * not thrown, so the server can serve CalDAV and the web while the bot keeps trying.
 */
export async function checkBotToken(
  config: Pick<Config, 'TELEGRAM_API_ROOT'>,
  token: string,
): Promise<BotCheck> {
  const api = new Api(token, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: checkTimeoutSeconds });
  try {
    const me = await api.getMe();
    return { reachable: true, username: me.username };
  } catch (error) {
    if (isTokenRejected(error)) throw tokenError(config, error);
    return { reachable: false, error };
  }
}

function tokenError(config: Pick<Config, 'TELEGRAM_API_ROOT'>, error: unknown): BotTokenError {
  const answer = error instanceof GrammyError ? `${error.error_code} ${error.description}` : String(error);
  return new BotTokenError(
    `TELEGRAM_BOT_TOKEN was refused by the Bot API at ${config.TELEGRAM_API_ROOT} (${answer}). Copy the token again from @BotFather (/mybots → API Token), or unset TELEGRAM_BOT_TOKEN to run without the bot.`,
    { cause: error },
  );
}

export type BotState = 'running' | 'retrying' | 'refused';

/**
 * Starts the bot, and while the Bot API cannot be reached keeps trying in the background with a
 * growing pause (up to five minutes), saying so in the log under TELEGRAM_API_ROOT; `firstAttempt`
 * tells how the first try ended, for the start-up banner. A token
 * refused later (revoked while Telegram was away) stops the retries with an error naming
 * TELEGRAM_BOT_TOKEN; the rest of the server keeps serving.
 */
export function startBotWhenReachable(
  start: () => Promise<RunningBot>,
  config: Pick<Config, 'TELEGRAM_API_ROOT'>,
  logger: Logger,
  onState: (state: BotState) => void = () => undefined,
): { firstAttempt: Promise<BotState>; stop(): Promise<void> } {
  let settle: (state: BotState) => void = () => undefined;
  const firstAttempt = new Promise<BotState>((resolve) => {
    settle = resolve;
  });
  const report = (state: BotState) => {
    settle(state);
    onState(state);
  };
  let stopped = false;
  let running: RunningBot | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const loop = (async () => {
    for (let attempt = 0; !stopped; attempt += 1) {
      try {
        running = await start();
        report('running');
        return;
      } catch (error) {
        if (stopped) return;
        if (isTokenRejected(error)) {
          report('refused');
          logger.error({ err: tokenError(config, error) }, 'Telegram bot off: TELEGRAM_BOT_TOKEN refused');
          return;
        }
        const delayMs = Math.min(300_000, 5_000 * 2 ** Math.min(attempt, 6));
        report('retrying');
        logger.warn(
          { err: error, telegramApiRoot: config.TELEGRAM_API_ROOT, retryInMs: delayMs },
          `Telegram bot not started through the Bot API at TELEGRAM_API_ROOT=${config.TELEGRAM_API_ROOT}; CalDAV and the web keep serving, the bot retries`,
        );
        await pause(delayMs);
      }
    }
  })();
  return {
    firstAttempt,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      settle('retrying');
      // An attempt in flight may wait long for an unreachable Bot API; shutdown does not.
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await running?.stop();
    },
  };
}
