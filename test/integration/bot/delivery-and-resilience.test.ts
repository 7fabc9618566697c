import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotSupport } from '../../../src/app/bot-support.ts';
import { createServices } from '../../../src/app/services.ts';
import { createBot } from '../../../src/bot/create-bot.ts';
import { startBot } from '../../../src/bot/start-bot.ts';
import { telegramWebhookEndpoint, telegramWebhookPath } from '../../../src/bot/webhook.ts';
import { loadConfig } from '../../../src/config.ts';
import { registerTelegramWebhook } from '../../../src/http/telegram-webhook.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { openTestDatabase, type TestDatabase } from '../../support/test-database.ts';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

async function blockedAt(db: TestDatabase, id: number) {
  const row = await db.db
    .selectFrom('users')
    .select('bot_blocked_at')
    .where('telegram_id', '=', id)
    .executeTakeFirst();
  return row?.bot_blocked_at ?? null;
}

describe('bot: long polling resilience', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('sets the command list at start', () => {
    const commands = h.emulator.calls('setMyCommands')[0]?.params.commands as Array<{ command: string }>;
    expect(commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(['today', 'create', 'device', 'export', 'web', 'email']),
    );
  });

  it('retries a reply Telegram refused with 429 after retry_after', async () => {
    const user = { id: 6001, first_name: 'Ray' };
    h.emulator.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    const reply = await h.say(user, '/help');
    expect(reply.plain_text).toContain('What I can do');
    const tries = h.emulator.calls('sendMessage').filter((c) => c.params.chat_id === user.id);
    expect(tries).toHaveLength(2);
  });

  it('marks a user who blocked the bot, does not retry them, and keeps serving others', async () => {
    const blocked = { id: 6002, first_name: 'Sam' };
    const other = { id: 6003, first_name: 'Tia' };
    await h.say(blocked, '/help');
    h.emulator.block(blocked.id);
    h.emulator.sendText(blocked, '/help');
    expect((await h.say(other, '/help')).plain_text).toContain('What I can do');
    await expect.poll(() => blockedAt(h.database, blocked.id)).not.toBeNull();
    const attempts = h.emulator.calls('sendMessage').filter((c) => c.params.chat_id === blocked.id);
    expect(attempts).toHaveLength(2);

    h.emulator.unblock(blocked.id);
    h.emulator.sendChatMemberUpdate(blocked, 'member');
    await expect.poll(() => blockedAt(h.database, blocked.id)).toBeNull();
    h.emulator.sendChatMemberUpdate(blocked, 'kicked');
    await expect.poll(() => blockedAt(h.database, blocked.id)).not.toBeNull();
  });

  it('answers politely when handling an update fails, and handles the next one', async () => {
    const user = { id: 6004, first_name: 'Uma' };
    h.emulator.failNext('sendMessage', { error_code: 400, description: 'Bad Request: something odd' });
    h.emulator.sendText(user, '/help');
    const apology = await h.next(user);
    expect(apology.plain_text).toContain('Telegram did not accept my answer');
    expect((await h.say(user, '/help')).plain_text).toContain('What I can do');
  });

  it("answers other users while one user's reply waits out a 429", async () => {
    const slow = { id: 6006, first_name: 'Yan' };
    const quick = { id: 6007, first_name: 'Zoe' };
    await h.say(slow, '/help');
    h.emulator.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 5',
      parameters: { retry_after: 5 },
    });
    h.emulator.sendText(slow, '/help');
    const slowCalls = () =>
      h.emulator.calls('sendMessage').filter((c) => c.params.chat_id === slow.id).length;
    await expect.poll(slowCalls).toBe(2);
    expect((await h.say(quick, '/help')).plain_text).toContain('What I can do');
    expect(h.emulator.sentMessages(slow.id)).toHaveLength(1);
    expect((await h.emulator.waitForMessage(slow.id, undefined, 15_000)).plain_text).toContain(
      'What I can do',
    );
  });

  it("keeps one user's updates in order when they arrive together", async () => {
    const user = { id: 6005, first_name: 'Vic' };
    for (const text of ['/create', 'Ordered', 'tomorrow 9am', '30m', '/skip', '/skip', '/skip', '/skip'])
      h.emulator.sendText(user, text);
    const saved = await h.emulator.waitForMessage(user.id, (m) => m.plain_text?.includes('Saved') ?? false);
    expect(saved.plain_text).toContain('Saved Ordered');
    const texts = h.emulator.sentMessages(user.id).map((m) => m.plain_text?.split('\n')[0]);
    expect(texts).toEqual([
      'What is the event called? (/cancel to stop)',
      'When is it?',
      'How long is it? For example 30m, 1h30 or 2 hours. /skip for 1 hour.',
      'Does it repeat?',
      'When should I remind you? /skip for your default.',
      'Any notes to add? Send them, or /skip.',
      'Where is it? Send a place, or /skip.',
      '✅ Saved Ordered',
    ]);
  });
});

describe('bot: flood control', () => {
  it('still answers every message with outgoing throttling on', async () => {
    const h = await startBotHarness({ throttle: true });
    try {
      const user = { id: 6101, first_name: 'Wes' };
      expect((await h.say(user, '/help')).plain_text).toContain('What I can do');
      expect((await h.say(user, 'hello')).plain_text).toContain('could not find a date');
    } finally {
      await h.close();
    }
  });
});

describe('bot: webhook mode', () => {
  let database: TestDatabase;
  let emulator: TelegramEmulator;
  beforeAll(async () => {
    database = await openTestDatabase();
    emulator = await TelegramEmulator.start();
  });
  afterAll(async () => {
    await emulator.close();
    await database.close();
  });

  it('registers the webhook with its secret and a Mini App menu button when PUBLIC_URL is https', async () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      PUBLIC_URL: 'https://cal.example.org',
      TELEGRAM_WEBHOOK_SECRET: 'hook-secret_1',
    });
    const services = createServices(database.db);
    const running = await startBot({
      services,
      config,
      logger: createLogger('silent'),
      ...createBotSupport(database.db),
      throttle: false,
    });
    try {
      expect(running.mode).toBe('webhook');
      expect(emulator.calls('setWebhook')[0]?.params).toMatchObject({
        url: `https://cal.example.org${telegramWebhookPath}`,
        secret_token: 'hook-secret_1',
      });
      expect(emulator.calls('setChatMenuButton')[0]?.params.menu_button).toMatchObject({
        type: 'web_app',
        web_app: { url: 'https://cal.example.org/app/' },
      });
    } finally {
      await running.stop();
    }
  });

  it('handles updates POSTed with the right secret and answers 401 to a wrong one', async () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot });
    const services = createServices(database.db);
    const logger = createLogger('silent');
    const bot = createBot({ services, config, logger, ...createBotSupport(database.db), throttle: false });
    const app = Fastify();
    const endpoint = telegramWebhookEndpoint(bot, config, logger);
    const { secret } = endpoint;
    registerTelegramWebhook(app, endpoint);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await bot.api.setWebhook(`${address}${telegramWebhookPath}`, { secret_token: secret });
      const user = { id: 6201, first_name: 'Xia' };
      emulator.sendText(user, '/help');
      expect((await emulator.waitForMessage(user.id)).plain_text).toContain('What I can do');
      await expect.poll(() => emulator.webhookDeliveries().at(-1)?.status).toBe(200);

      const forged = {
        update_id: 999_999,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: user.id, type: 'private' },
          from: { id: user.id, is_bot: false, first_name: 'X' },
          text: '/help',
        },
      };
      const wrong = await fetch(`${address}${telegramWebhookPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' },
        body: JSON.stringify(forged),
      });
      expect(wrong.status).toBe(401);
      const missing = await fetch(`${address}${telegramWebhookPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(forged),
      });
      expect(missing.status).toBe(401);
      const noUpdate = await fetch(`${address}${telegramWebhookPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify({ message: forged.message }),
      });
      expect(noUpdate.status).toBe(400);
      expect(emulator.sentMessages(user.id)).toHaveLength(1);
    } finally {
      await bot.api.deleteWebhook();
      await app.close();
    }
  });
});
