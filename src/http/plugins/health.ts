import { z } from 'zod';
import type { TypedApp } from '../typed-app.ts';

/** A load balancer gives up after a few seconds; answer before it does. */
const databaseTimeoutMs = 2_000;

/**
 * The Telegram bot in this process: `off` (no token, or another process runs it), `starting`,
 * `running`, `retrying` (the Bot API cannot be reached; CalDAV and the web serve on) or `refused`
 * (the token was refused). It never makes /health fail: the calendar works without the bot.
 */
export type BotHealth = 'off' | 'starting' | 'running' | 'retrying' | 'refused';
const bot = z.enum(['off', 'starting', 'running', 'retrying', 'refused']);

const healthy = z.object({ status: z.literal('ok'), database: z.literal('ok'), bot });
const unhealthy = z.object({
  status: z.literal('unavailable'),
  database: z.literal('unreachable'),
  bot,
});

/** Rejects when the database cannot answer; main.ts builds it from storage (a `select 1`). */
export type DatabaseCheck = () => Promise<void>;

/** GET /health: 200 when the database check resolves in time, 503 otherwise; `bot` says how the bot is. */
export function registerHealth(
  app: TypedApp,
  checkDatabase: DatabaseCheck,
  botHealth: () => BotHealth = () => 'off',
): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether this server and its database are up',
        response: { 200: healthy, 503: unhealthy },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(checkDatabase(), databaseTimeoutMs);
        return reply.code(200).send({ status: 'ok', database: 'ok', bot: botHealth() });
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable', bot: botHealth() });
      }
    },
  );
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
