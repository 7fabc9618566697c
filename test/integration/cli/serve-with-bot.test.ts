import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startTelevent } from '../../support/run-televent.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';

// `televent serve` with a bot token talks to the Bot API at TELEGRAM_API_ROOT: the local emulator.
if (testEngine === 'pglite')
  describe('televent serve with TELEGRAM_BOT_TOKEN', () => {
    let dataDir: string;
    let telegram: TelegramEmulator;
    let server: RunningServer | undefined;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'televent-serve-bot-'));
      telegram = await TelegramEmulator.start();
    });
    afterAll(async () => {
      await server?.stop();
      await telegram?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('starts the bot in long-polling mode, registers its commands and answers /start', async () => {
      server = await startTelevent({
        DATA_DIR: dataDir,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      });
      telegram.sendText({ id: 5001, first_name: 'Grace' }, '/start');
      const welcome = await telegram.waitForMessage(5001, (m) => (m.text ?? '').includes('Welcome'));
      expect(welcome.text).toContain('Grace');
      expect(telegram.calls('setMyCommands')).toHaveLength(1);
      expect(server.output()).toContain('Telegram bot: on (long polling)');
      expect(await server.stop()).toBe(0);
      server = undefined;
    });
  });
