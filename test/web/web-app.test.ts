import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInitData } from '../../src/app/auth/telegram-init-data.ts';
import { collectCspViolations, seriousAxeViolations } from './browser.ts';
import { startWebServer, testBotToken, type WebServer } from './live-server.ts';

// The web app as a person uses it: a real `televent serve`, Debian's chromium, a login link from
// the CLI, and the Mini App opened with launch parameters signed by the (test) bot token.

const botToken = testBotToken;
const person = { id: 5101, zone: 'Asia/Tokyo' };

describe('the web app in chromium', () => {
  let web: WebServer;
  let baseUrl: string;

  beforeAll(async () => {
    web = await startWebServer();
    baseUrl = web.baseUrl;
    await web.createUser(person.id, person.zone);
  });

  afterAll(async () => {
    await web?.close();
  });

  const loginLink = () => web.loginLink(person.id);
  // A browser in New York: the calendar must still show the person's Tokyo times.
  const newContext = (options: { colorScheme?: 'light' | 'dark' } = {}) => web.newContext(options);

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

  // Creating, changing and deleting events is calendar-flow.test.ts; devices and settings are
  // account-pages.test.ts.
  it('signs in by login link and signs out', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const refused = collectCspViolations(page);
    await page.goto(await loginLink());
    await page.getByText(`Signed in as ${person.id}`).waitFor();
    await page.getByText(`Times are shown in ${person.zone}.`).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

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
      const data: { type: string; data: string }[] = [];
      Object.assign(globalThis, {
        telegramEvents: events,
        telegramEventData: data,
        TelegramWebviewProxy: {
          postEvent: (type: string, eventData: string) => {
            events.push(type);
            data.push({ type, data: eventData });
          },
        },
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

    // Settings: Telegram's BackButton and MainButton ("Save") appear; pressing them works.
    const sent = async (type: string) =>
      (
        await page.evaluate(
          () =>
            (globalThis as unknown as { telegramEventData: { type: string; data: string }[] })
              .telegramEventData,
        )
      )
        .filter((e) => e.type === type)
        .map((e) => JSON.parse(e.data) as Record<string, unknown>);
    const telegramSays = (eventType: string) =>
      page.evaluate((type) => {
        const w = globalThis as unknown as {
          Telegram: { WebView: { receiveEvent(type: string, data: unknown): void } };
        };
        w.Telegram.WebView.receiveEvent(type, {});
      }, eventType);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Default reminder for new events').selectOption('30');
    expect((await sent('web_app_setup_back_button')).at(-1)).toEqual({ is_visible: true });
    expect((await sent('web_app_setup_main_button')).at(-1)).toMatchObject({
      is_visible: true,
      text: 'Save',
    });
    await telegramSays('main_button_pressed');
    await page.getByText('Settings saved.').waitFor();
    expect(await sent('web_app_trigger_haptic_feedback')).toContainEqual({
      type: 'notification',
      notification_type: 'success',
    });
    const preferences = await page.evaluate(async () => {
      const w = globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } };
      const launch = JSON.parse(w.sessionStorage.getItem('televent.launchParams') ?? '{}') as {
        initData: string;
      };
      const response = await fetch('/api/preferences', {
        headers: { authorization: `tma ${launch.initData}` },
      });
      return (await response.json()) as { defaultReminderMinutes: number };
    });
    expect(preferences.defaultReminderMinutes).toBe(30);
    await telegramSays('back_button_pressed');
    await page.getByText('Times are shown in', { exact: false }).waitFor();
    expect((await sent('web_app_setup_back_button')).at(-1)).toEqual({ is_visible: false });
    expect(refused).toEqual([]);
    await context.close();
  });
  it('opens one occurrence from a Mini App link (the reminder’s [Open]): its day and its details', async () => {
    const miniUser = { id: 5203, zone: 'Asia/Tokyo' };
    await web.createUser(miniUser.id, miniUser.zone);
    const context = await newContext();
    const page = await context.newPage();
    const initData = signInitData(
      {
        auth_date: Math.floor(Date.now() / 1000),
        user: { id: miniUser.id, first_name: 'Rem', username: 'reminded', language_code: 'en' },
      },
      botToken,
    );
    const hash = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0' }).toString();
    await page.goto(`${baseUrl}/app/#${hash}`);
    await page.getByText('Signed in as @reminded').waitFor();
    const eventId = await page.evaluate(async (tma) => {
      const response = await fetch('/api/events', {
        method: 'POST',
        headers: { authorization: `tma ${tma}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          summary: 'Swimming',
          start: '2030-05-06T09:00',
          end: '2030-05-06T10:00',
          allDay: false,
          timezone: 'Asia/Tokyo',
          location: 'Pool 2',
          description: null,
          rrule: 'FREQ=WEEKLY;COUNT=4',
          reminders: [],
        }),
      });
      return ((await response.json()) as { id: string }).id;
    }, initData);

    // The second week's swim: 09:00 in Tokyo on Monday 13 May 2030. Telegram adds its launch
    // parameters in the hash; the link rides in the query string.
    const at = new Date('2030-05-13T00:00:00Z').toISOString();
    await page.goto(
      `${baseUrl}/app/?event=${encodeURIComponent(eventId)}&at=${encodeURIComponent(at)}#${hash}`,
    );
    const dialog = page.getByRole('dialog', { name: 'Swimming' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/Mon,? (13 May|May 13).*9:00/);
    await expect(dialog.getByText('Pool 2').isVisible()).resolves.toBe(true);
    await page.getByRole('heading', { name: 'May 2030' }).waitFor();
    // The link is used once: the address bar keeps only the launch parameters.
    expect(new URL(page.url()).search).toBe('');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
