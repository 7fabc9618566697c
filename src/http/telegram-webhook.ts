import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** What the bot hands the HTTP door to receive Telegram's deliveries (see bot/webhook.ts). */
export interface TelegramWebhookEndpoint {
  /** Where Telegram POSTs, as given to setWebhook. */
  path: string;
  /** setWebhook's secret_token, which Telegram sends back in X-Telegram-Bot-Api-Secret-Token. */
  secret: string;
  /** Handles one update; answers and logs its own failures. */
  handleUpdate(update: { update_id: number }): Promise<void>;
}

// Only update_id is checked here: the rest of the update is the bot's to read.
const telegramUpdate = z.looseObject({ update_id: z.number() });

function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /telegram/webhook: Telegram's update delivery in webhook mode. A request without the
 * right X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token) gets 401 and is not handled.
 */
export function registerTelegramWebhook(app: FastifyInstance, endpoint: TelegramWebhookEndpoint): void {
  app.post(endpoint.path, async (request, reply) => {
    if (!sameSecret(request.headers['x-telegram-bot-api-secret-token'], endpoint.secret)) {
      return reply.code(401).send({ ok: false, description: 'Unauthorized' });
    }
    const update = telegramUpdate.safeParse(request.body);
    if (!update.success) return reply.code(400).send({ ok: false });
    await endpoint.handleUpdate(update.data);
    return reply.code(200).send({ ok: true });
  });
}
