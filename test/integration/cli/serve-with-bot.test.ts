import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startTelevent } from '../../support/run-televent.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { openProcessPlace, testEngine } from '../../support/test-database.ts';

// `televent serve` with a bot token talks to the Bot API at TELEGRAM_API_ROOT: the local emulator.
describe(`televent serve with TELEGRAM_BOT_TOKEN [${testEngine}]`, () => {
  let place: Awaited<ReturnType<typeof openProcessPlace>>;
  let telegram: TelegramEmulator;
  let server: RunningServer | undefined;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    place = await openProcessPlace('televent-serve-bot-');
    Object.assign(env, place.env);
    telegram = await TelegramEmulator.start();
  });
  afterAll(async () => {
    await server?.stop();
    await telegram?.close();
    await place?.close();
  });

  it('starts the bot in long-polling mode, registers its commands and answers /start', {
    timeout: 120_000,
  }, async () => {
    // Listening on every interface (the Dockerfile's default) without PUBLIC_URL.
    server = await startTelevent({
      ...env,
      API_HOST: '0.0.0.0',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    telegram.sendText({ id: 5001, first_name: 'Grace' }, '/start');
    const welcome = await telegram.waitForMessage(5001, (m) => (m.text ?? '').includes('Welcome'));
    expect(welcome.text).toContain('Grace');
    // The English menu for everyone and the Russian one for Russian-speaking Telegram clients,
    // in private chats and (the group calendar's few commands) in groups.
    expect(
      telegram
        .calls('setMyCommands')
        .map(
          (c) =>
            `${(c.params.scope as { type?: string } | undefined)?.type ?? 'default'} ${c.params.language_code ?? 'default'}`,
        ),
    ).toEqual(['default default', 'default ru', 'all_group_chats default', 'all_group_chats ru']);
    expect(server.output()).toContain('Telegram bot: on (long polling)');

    // The bot and the banner name the same reachable address, never 0.0.0.0, and ask for PUBLIC_URL.
    expect(server.output()).toContain(`Televent is running at ${server.baseUrl}/`);
    expect(server.output()).toContain('Set PUBLIC_URL');
    telegram.sendText({ id: 5001, first_name: 'Grace' }, '/device add laptop');
    const password = await telegram.waitForMessage(5001, (m) => (m.plain_text ?? '').includes('Server:'));
    expect(password.plain_text).toContain(`Server: ${server.baseUrl}/`);
    expect(password.text).not.toContain('0.0.0.0');
    expect(await server.stop()).toBe(0);
    server = undefined;
  });
});
