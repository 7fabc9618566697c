import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInitData } from '../../src/app/auth/telegram-init-data.ts';
import { ensureWebAppBuilt } from '../../src/http/web-app.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { freePort, type RunningServer, runTelevent, startTelevent } from '../support/run-televent.ts';
import { collectCspViolations, launchChromium, seriousAxeViolations } from './browser.ts';

// The web app as a person uses it: a real `televent serve`, Debian's chromium, a login link from
// the CLI, and the Mini App opened with launch parameters signed by the (test) bot token.

const botToken = '123456:TEST-token_for-web-tests';
const person = { id: 5101, zone: 'Asia/Tokyo' };

describe('the web app in chromium', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let baseUrl: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureWebAppBuilt(createLogger('silent'));
    dataDir = mkdtempSync(join(tmpdir(), 'televent-web-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      DATA_DIR: dataDir,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      PUBLIC_URL: baseUrl,
      TELEGRAM_BOT_TOKEN: botToken,
    };
    // The http role only: the bot would try to reach Telegram.
    server = await startTelevent(env, ['--roles', 'http']);
    const created = await runTelevent(
      ['user', 'create', '--telegram-id', String(person.id), '--timezone', person.zone],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function loginLink(): Promise<string> {
    const result = await runTelevent(['login-link', '--telegram-id', String(person.id)], env);
    expect(result.code, result.stderr).toBe(0);
    const url = /https?:\/\/\S+\/auth\/link\/\S+/.exec(result.stdout)?.[0];
    if (!url) throw new Error(`no login link in: ${result.stdout}`);
    return url;
  }

  // A browser in New York: the calendar must still show the person's Tokyo times.
  function newContext(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
    return browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'America/New_York',
      locale: 'en-GB',
      colorScheme: options.colorScheme ?? 'light',
    });
  }

  it('shows the sign-in page at / to a browser, with Telegram sign-in and no axe violations', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const refused = collectCspViolations(page);
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/app/');
    const telegram = page.getByRole('link', { name: 'Sign in with Telegram' });
    await telegram.waitFor();
    // The Login Widget's redirect flow: a link to Telegram carrying the bot's id, nothing loaded.
    const href = new URL((await telegram.getAttribute('href')) ?? '');
    expect(href.origin).toBe('https://oauth.telegram.org');
    expect(href.searchParams.get('bot_id')).toBe('123456');
    await expect(page.getByText('/web', { exact: false }).first().isVisible()).resolves.toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  });

  it('signs in by login link, creates a weekly event in the form, and shows it in month and week views', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const refused = collectCspViolations(page);
    await page.goto(await loginLink());
    await page.getByText(`Signed in as ${person.id}`).waitFor();
    await page.getByText(`Times are shown in ${person.zone}.`).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Jump to a fixed month, so the test does not depend on today's date.
    await page.getByLabel('Go to date').fill('2030-03-12');
    await page.getByRole('heading', { name: 'March 2030' }).waitFor();

    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Weekly planning');
    await dialog.getByLabel('Starts').fill('2030-03-12T10:00');
    await dialog.getByLabel('Ends').fill('2030-03-12T11:00');
    await dialog.getByLabel('Location').fill('Room 4');
    await dialog.getByLabel('Repeat').selectOption('weekly');
    await expect(dialog.getByLabel('Tue').isChecked()).resolves.toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Month view: every Tuesday from the 12th on (12, 19, 26 March and the visible April days).
    const monthEntries = page.locator('.calendar-event', { hasText: 'Weekly planning' });
    await monthEntries.first().waitFor();
    expect(await monthEntries.count()).toBeGreaterThanOrEqual(3);
    await expect(monthEntries.first().textContent()).resolves.toContain('10:00');

    // Week view of 12 March: once, at 10:00 Tokyo time although the browser is in New York.
    await page.getByLabel('Go to date').fill('2030-03-12');
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    const weekEntries = page.locator('.calendar-event', { hasText: 'Weekly planning' });
    await weekEntries.first().waitFor();
    expect(await weekEntries.count()).toBe(1);
    await expect(weekEntries.first().textContent()).resolves.toMatch(/10:00\s*[-–]\s*11:00/);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // What was stored: a weekly rule in the person's zone.
    const stored = await page.evaluate(async () => {
      const response = await fetch('/api/events?start=2030-03-01T00:00:00Z&end=2030-04-01T00:00:00Z');
      return (await response.json()) as {
        occurrences: { eventId: string; start: string; location: string }[];
      };
    });
    expect(stored.occurrences.map((o) => o.start)).toEqual([
      '2030-03-12T01:00:00.000Z',
      '2030-03-19T01:00:00.000Z',
      '2030-03-26T01:00:00.000Z',
    ]);
    const event = await page.evaluate(async (id) => {
      const response = await fetch(`/api/events/${id}`);
      return (await response.json()) as { rrule: string; timezone: string; location: string };
    }, stored.occurrences[0]?.eventId ?? '');
    expect(event).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=TU', timezone: person.zone, location: 'Room 4' });

    // Delete it from its details dialog.
    await weekEntries.first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.locator('.calendar-event', { hasText: 'Weekly planning' }).waitFor({ state: 'detached' });

    // Sign out: the session ends and the sign-in page is back.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
    expect(refused).toEqual([]);
    await context.close();
  });

  it('lands a used login link on a page that says how to get a new one', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const link = await loginLink();
    await page.goto(link);
    await page.getByText(`Signed in as ${person.id}`).waitFor();
    const again = await context.newPage();
    const response = await again.goto(link);
    expect(response?.status()).toBe(401);
    await again.getByRole('heading', { name: 'This login link cannot be used' }).waitFor();
    await expect(again.getByRole('link', { name: 'sign in another way' }).getAttribute('href')).resolves.toBe(
      '/app/',
    );
    expect(await seriousAxeViolations(again)).toEqual([]);
    await context.close();
  });

  it('signs in as a Mini App from Telegram launch parameters and paints the dark theme', async () => {
    // A light browser: the dark colours can only come from Telegram's theme parameters.
    const context = await newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    const refused = collectCspViolations(page);
    // Stand in for a native Telegram client, which receives web events through this proxy.
    await page.addInitScript(() => {
      const events: string[] = [];
      Object.assign(globalThis, {
        telegramEvents: events,
        TelegramWebviewProxy: { postEvent: (type: string) => events.push(type) },
      });
    });
    const initData = signInitData(
      {
        auth_date: Math.floor(Date.now() / 1000),
        query_id: 'AAH-web-test',
        user: { id: 5202, first_name: 'Mini', username: 'mini_user', language_code: 'en' },
      },
      botToken,
    );
    const theme = {
      bg_color: '#1c1c1d',
      secondary_bg_color: '#2c2c2e',
      text_color: '#ffffff',
      hint_color: '#aaaaaa',
      link_color: '#8ab4f8',
      button_color: '#8774e1',
      button_text_color: '#ffffff',
    };
    const hash = new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: '8.0',
      tgWebAppPlatform: 'tdesktop',
      tgWebAppThemeParams: JSON.stringify(theme),
    });
    await page.goto(`${baseUrl}/app/#${hash.toString()}`);
    await page.getByText('Signed in as @mini_user').waitFor();
    // No cookie was needed: every call carried `Authorization: tma <initData>`.
    expect(await context.cookies()).toEqual([]);
    const background = await page.evaluate(() => {
      const page = globalThis as unknown as {
        getComputedStyle(element: unknown): { backgroundColor: string };
        document: { body: unknown };
      };
      return page.getComputedStyle(page.document.body).backgroundColor;
    });
    expect(background).toBe('rgb(28, 28, 29)');
    const events = await page.evaluate(
      () => (globalThis as unknown as { telegramEvents: string[] }).telegramEvents,
    );
    expect(events).toEqual(expect.arrayContaining(['web_app_ready', 'web_app_expand']));
    // Inside Telegram there is no sign-out: Telegram is the sign-in.
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  });
});
