import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { openProcessPlace, testEngine } from '../../support/test-database.ts';

/** A program already listening on a port of 127.0.0.1. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

/** The JSON log lines of a server's output (its banner lines are plain text). */
function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// What an operator sees when `televent serve` cannot start as configured: one line naming the
// variable to fix, a non-zero exit, and nothing left half-started or half-created.
describe(`televent serve start-up errors [${testEngine}]`, () => {
  let place: Awaited<ReturnType<typeof openProcessPlace>>;
  let root: string;
  let env: Record<string, string>;
  let server: RunningServer | undefined;
  let telegram: TelegramEmulator | undefined;

  beforeAll(async () => {
    place = await openProcessPlace('televent-startup-');
    ({ root, env } = place);
  });
  afterAll(async () => {
    await server?.stop();
    await telegram?.close();
    await place?.close();
  });

  it('refuses a port in use, naming API_PORT, before any database is made', {
    timeout: 60_000,
  }, async () => {
    const taken = await occupyPort();
    const dataDir = join(root, 'port-taken');
    try {
      const result = await runTelevent(['serve'], {
        ...env,
        DATA_DIR: dataDir,
        API_HOST: '127.0.0.1',
        API_PORT: String(taken.port),
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`API_PORT ${taken.port} is in use on 127.0.0.1`);
      expect(result.stdout).not.toContain('Televent is running');
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.server.close(resolve));
    }
  });

  it('names DATABASE_URL, without its password, when nothing listens there', {
    timeout: 60_000,
  }, async () => {
    const result = await runTelevent(['serve'], {
      DATA_DIR: join(root, 'refused'),
      API_PORT: String(await freePort()),
      DATABASE_URL: 'postgres://televent:hunter2secret@127.0.0.1:1/televent',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DATABASE_URL postgres://televent:***@127.0.0.1:1/televent');
    expect(result.stderr).toContain('connection refused');
    expect(result.stderr + result.stdout).not.toContain('hunter2secret');
    expect(result.stdout).not.toContain('Televent is running');
  });

  it('names DATABASE_URL when it cannot be read as a URL', { timeout: 60_000 }, async () => {
    const result = await runTelevent(['serve'], {
      DATA_DIR: join(root, 'malformed'),
      API_PORT: String(await freePort()),
      DATABASE_URL: 'postgres://televent:pw@[not-a-host/televent',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).not.toContain('pw@');
  });

  if (testEngine === 'postgres')
    it('names DATABASE_URL and the database when it does not exist', { timeout: 60_000 }, async () => {
      const url = new URL(process.env.TEST_DATABASE_URL ?? '');
      url.pathname = '/televent_no_such_database';
      const result = await runTelevent(['serve'], {
        DATA_DIR: join(root, 'missing-database'),
        API_PORT: String(await freePort()),
        DATABASE_URL: url.toString(),
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('DATABASE_URL');
      expect(result.stderr).toContain('"televent_no_such_database"');
      expect(result.stderr).toContain('does not exist');
    });

  it('stops on a bot token Telegram refuses, naming TELEGRAM_BOT_TOKEN, before any database is made', {
    timeout: 60_000,
  }, async () => {
    telegram = await TelegramEmulator.start();
    const dataDir = join(root, 'wrong-token');
    const result = await runTelevent(['serve'], {
      ...env,
      DATA_DIR: dataDir,
      API_PORT: String(await freePort()),
      TELEGRAM_BOT_TOKEN: '123456789:not-the-token-of-this-bot',
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('TELEGRAM_BOT_TOKEN was refused');
    expect(result.stderr).toContain('401');
    expect(result.stdout).not.toContain('Televent is running');
    expect(existsSync(dataDir)).toBe(false);
    await telegram.close();
    telegram = undefined;
  });

  it('serves CalDAV and the web while the Bot API is unreachable, logging JSON, and starts the bot once it answers', {
    timeout: 180_000,
  }, async () => {
    const telegramPort = await freePort();
    const apiRoot = `http://127.0.0.1:${telegramPort}`;
    server = await startTelevent({
      ...env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      TELEGRAM_BOT_TOKEN: '123456789:TEST-emulator_token',
      TELEGRAM_API_ROOT: apiRoot,
    });
    expect(server.output()).toContain(`Bot API at TELEGRAM_API_ROOT=${apiRoot} is unreachable`);
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', bot: 'retrying' }); // said, not a failure

    const lines = jsonLines(server.output());
    expect(lines.find((line) => line.msg === 'Televent started')).toMatchObject({ level: 30 });
    const warning = lines.find((line) => String(line.msg).includes('TELEGRAM_API_ROOT'));
    expect(warning).toMatchObject({ level: 40, telegramApiRoot: apiRoot });

    // Telegram comes back: the bot starts on its own and answers.
    telegram = await TelegramEmulator.start({ port: telegramPort });
    telegram.sendText({ id: 7001, first_name: 'Ada' }, '/start');
    const welcome = await telegram.waitForMessage(7001, (m) => (m.text ?? '').includes('Welcome'), 90_000);
    expect(welcome.text).toContain('Ada');
    expect(jsonLines(server.output()).find((line) => line.msg === 'telegram bot started')).toBeDefined();
    expect(await (await fetch(`${server.baseUrl}/health`)).json()).toMatchObject({ bot: 'running' });
    expect(await server.stop()).toBe(0);
    server = undefined;
    await telegram.close();
    telegram = undefined;
  });

  it('writes readable log lines with LOG_FORMAT=pretty', { timeout: 120_000 }, async () => {
    server = await startTelevent({ ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    const output = server.output();
    expect(output).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}Televent started .*engine=/m);
    expect(output.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
    expect(await server.stop()).toBe(0);
    server = undefined;
  });
});
