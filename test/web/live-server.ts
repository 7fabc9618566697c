import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebAppBuilt } from '../../src/http/web-app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { freePort, type RunningServer, runTelevent, startTelevent } from '../support/run-televent.ts';
import { launchChromium } from './browser.ts';

// One real `televent serve` (http role, PGlite in a scratch directory) and Debian's chromium, as a
// person would meet them: users come from the CLI, sign-in from a CLI login link.

export const testBotToken = '123456:TEST-token_for-web-tests';

export interface WebServer {
  baseUrl: string;
  env: Record<string, string>;
  browser: Browser;
  /** `televent user create` for a Telegram id in a time zone. */
  createUser(telegramId: number, timeZone: string): Promise<void>;
  /** A one-time login link from `televent login-link`. */
  loginLink(telegramId: number): Promise<string>;
  /** A browser in New York: pages must still show the person's own zone. */
  newContext(options?: {
    colorScheme?: 'light' | 'dark';
    width?: number;
    height?: number;
  }): Promise<BrowserContext>;
  /** A new page signed in by login link, on the calendar. */
  signedInPage(telegramId: number, context: BrowserContext): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `roles`: the http role alone by default; a suite that needs the outbox run (invitations) adds
 * the worker, with TELEGRAM_API_ROOT pointing nowhere reachable so its Telegram sends fail at once.
 */
export async function startWebServer(
  extraEnv: Record<string, string> = {},
  roles = 'http',
): Promise<WebServer> {
  await ensureWebAppBuilt(createLogger('silent'));
  const dataDir = mkdtempSync(join(tmpdir(), 'televent-web-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATA_DIR: dataDir,
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    PUBLIC_URL: baseUrl,
    TELEGRAM_BOT_TOKEN: testBotToken,
    ...extraEnv,
  };
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    // Never the bot role: it would try to reach Telegram.
    server = await startTelevent(env, ['--roles', roles]);
    browser = await launchChromium();
  } catch (error) {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  const chromium = browser;

  async function loginLink(telegramId: number): Promise<string> {
    const result = await runTelevent(['login-link', '--telegram-id', String(telegramId)], env);
    if (result.code !== 0) throw new Error(result.stderr);
    const url = /https?:\/\/\S+\/auth\/link\/\S+/.exec(result.stdout)?.[0];
    if (!url) throw new Error(`no login link in: ${result.stdout}`);
    return url;
  }

  return {
    baseUrl,
    env,
    browser: chromium,
    async createUser(telegramId, timeZone) {
      const created = await runTelevent(
        ['user', 'create', '--telegram-id', String(telegramId), '--timezone', timeZone],
        env,
      );
      if (created.code !== 0) throw new Error(created.stderr);
    },
    loginLink,
    newContext(options = {}) {
      return chromium.newContext({
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        timezoneId: 'America/New_York',
        locale: 'en-GB',
        colorScheme: options.colorScheme ?? 'light',
        acceptDownloads: true,
      });
    },
    async signedInPage(telegramId, context) {
      const page = await context.newPage();
      await page.goto(await loginLink(telegramId));
      await page.getByText('Signed in as').first().waitFor();
      return page;
    },
    async close() {
      await chromium.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
