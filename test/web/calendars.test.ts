import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCspViolations, seriousAxeViolations } from './browser.ts';
import { startWebServer, type WebServer } from './live-server.ts';

// Issue 13 item 2, the web app: the calendar list (show/hide, colours), making, recolouring and
// deleting a calendar, an event created in and moved to it, its secret subscription link, a
// calendar added and deleted on another device, and the list as a panel on a phone.

const person = { id: 5401, zone: 'Europe/Berlin' };

interface ListedCalendar {
  id: string;
  name: string;
  color: string | null;
}

describe('several calendars in chromium', () => {
  let web: WebServer;
  let context: BrowserContext;
  let page: Page;
  let refused: string[];

  beforeAll(async () => {
    web = await startWebServer();
    await web.createUser(person.id, person.zone);
    context = await web.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.baseUrl });
    page = await web.signedInPage(person.id, context);
    refused = collectCspViolations(page);
    await page.getByLabel('Go to date').fill('2030-05-14');
    await page.getByRole('heading', { name: 'May 2030' }).waitFor();
  });

  afterAll(async () => {
    await web?.close();
  });

  const list = () => page.getByRole('complementary', { name: 'Calendars' });
  const entries = (title: string) => page.locator('.calendar-event', { hasText: title });
  const calendars = (on: Page = page) =>
    on.evaluate(async () => (await (await fetch('/api/calendars')).json()) as ListedCalendar[]);
  const eventsIn = (calendarId: string) =>
    page.evaluate(async (id) => {
      const query = new URLSearchParams({ start: '2030-05-01', end: '2030-06-01', calendarId: id });
      const response = await fetch(`/api/events?${query.toString()}`);
      return ((await response.json()) as { occurrences: { summary: string }[] }).occurrences.map(
        (o) => o.summary,
      );
    }, calendarId);
  /** How the week view paints an event block: its background, and the colour of its title. */
  const paintOf = (entry: Locator, title: string) =>
    entry.evaluate((element, text) => {
      // Runs in the page: this project's TypeScript has no DOM library, so the page is typed by hand.
      const { getComputedStyle } = globalThis as unknown as {
        getComputedStyle(e: unknown): { backgroundColor: string; color: string };
      };
      const titleElement =
        [...element.querySelectorAll('*')].find((e) =>
          [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent?.includes(text)),
        ) ?? element;
      return {
        background: getComputedStyle(element).backgroundColor,
        text: getComputedStyle(titleElement).color,
      };
    }, title);
  async function showWeekOf(date: string) {
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.getByLabel('Go to date').fill(date);
  }

  async function newEvent(title: string, start: string, end: string, calendarName?: string) {
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill(title);
    if (calendarName)
      await dialog.getByLabel('Calendar', { exact: true }).selectOption({ label: calendarName });
    await dialog.getByLabel('Starts').fill(start);
    await dialog.getByLabel('Ends', { exact: true }).fill(end);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await entries(title).first().waitFor();
  }

  async function openSettingsOf(name: string) {
    await list()
      .getByRole('button', { name: `Calendar “${name}”` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Calendar “${name}”` });
    await dialog.waitFor();
    return dialog;
  }

  it('lists the one calendar a person starts with, shown, with no calendar choice in the event form', async () => {
    await list().getByRole('checkbox', { name: 'Televent' }).waitFor();
    await expect(list().getByRole('checkbox').count()).resolves.toBe(1);
    await expect(list().getByRole('checkbox', { name: 'Televent' }).isChecked()).resolves.toBe(true);
    await newEvent('Dentist', '2030-05-14T16:00', '2030-05-14T16:45');
    await page.getByRole('button', { name: 'New event' }).click();
    await expect(page.getByRole('dialog').getByLabel('Calendar', { exact: true }).count()).resolves.toBe(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    // The default calendar cannot be deleted: its settings say why and offer no Delete.
    const dialog = await openSettingsOf('Televent');
    await dialog.getByText('This is your default calendar').waitFor();
    await expect(dialog.getByRole('button', { name: /^Delete/ }).count()).resolves.toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('makes a second calendar with a name and a colour', async () => {
    await list().getByRole('button', { name: 'New calendar' }).click();
    const dialog = page.getByRole('dialog', { name: 'New calendar' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('Give the calendar a name.').waitFor();
    await dialog.getByLabel('Name').fill('Work');
    await dialog.getByRole('button', { name: 'Use colour #8e24aa' }).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await list().getByRole('checkbox', { name: 'Work' }).waitFor();
    const listed = await calendars();
    expect(listed.map((c) => c.name)).toEqual(['Televent', 'Work']);
    expect(listed[1]?.color?.toLowerCase().slice(0, 7)).toBe('#8e24aa');
  });

  it('creates an event in the new calendar, painted in its colour with readable text', async () => {
    await newEvent('Design review', '2030-05-15T10:00', '2030-05-15T11:00', 'Work');
    const work = (await calendars()).find((c) => c.name === 'Work');
    if (!work) throw new Error('no Work calendar');
    await expect(eventsIn(work.id)).resolves.toEqual(['Design review']);
    await showWeekOf('2030-05-15');
    await entries('Design review').first().waitFor();
    // Polled: the week view redraws while the calendar list arrives.
    await expect
      .poll(() => paintOf(entries('Design review').first(), 'Design review'))
      .toMatchObject({ background: 'rgb(142, 36, 170)', text: 'rgb(255, 255, 255)' });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('hides a calendar’s events, remembers that after a reload, and shows them again', async () => {
    await list().getByRole('checkbox', { name: 'Work' }).uncheck();
    await entries('Design review').waitFor({ state: 'detached' });
    await expect(entries('Dentist').count()).resolves.toBe(1);

    await page.reload();
    await showWeekOf('2030-05-14');
    await entries('Dentist').first().waitFor();
    await expect(list().getByRole('checkbox', { name: 'Work' }).isChecked()).resolves.toBe(false);
    await expect(entries('Design review').count()).resolves.toBe(0);

    await list().getByRole('checkbox', { name: 'Work' }).check();
    await entries('Design review').first().waitFor();
  });

  it('recolours a calendar, and its events follow (dark text on a light colour)', async () => {
    const dialog = await openSettingsOf('Work');
    await dialog.getByLabel('Colour', { exact: true }).fill('#ffd54f');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => paintOf(entries('Design review').first(), 'Design review'))
      .toMatchObject({ background: 'rgb(255, 213, 79)', text: 'rgb(0, 0, 0)' });
    expect((await calendars()).find((c) => c.name === 'Work')?.color?.toLowerCase()).toMatch(/^#ffd54f/);
  });

  it('moves an event to another calendar from the event form', async () => {
    await entries('Dentist').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await expect(dialog.getByLabel('Calendar', { exact: true }).inputValue()).resolves.toBe(
      (await calendars())[0]?.id,
    );
    await dialog.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Work' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const work = (await calendars()).find((c) => c.name === 'Work');
    if (!work) throw new Error('no Work calendar');
    await expect(eventsIn(work.id)).resolves.toEqual(expect.arrayContaining(['Dentist', 'Design review']));
    await expect
      .poll(() => paintOf(entries('Dentist').first(), 'Dentist'))
      .toMatchObject({ background: 'rgb(255, 213, 79)' });
  });

  it('moves a whole repeating event to another calendar while changing one occurrence', async () => {
    await page.evaluate(async () => {
      const response = await fetch('/api/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          summary: 'Piano lesson',
          start: '2030-05-13T18:00',
          end: '2030-05-13T19:00',
          timezone: 'Europe/Berlin',
          rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3',
        }),
      });
      if (!response.ok) throw new Error(await response.text());
    });
    await page.getByRole('button', { name: 'Today' }).click();
    await showWeekOf('2030-05-20');
    await entries('Piano lesson').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel('Calendar', { exact: true }).selectOption({ label: 'Work' });
    await dialog.getByLabel('Title').fill('Piano recital');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'This event', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const work = (await calendars()).find((c) => c.name === 'Work');
    if (!work) throw new Error('no Work calendar');
    await expect(eventsIn(work.id)).resolves.toEqual(
      expect.arrayContaining(['Piano lesson', 'Piano recital', 'Piano lesson']),
    );
    await entries('Piano recital').first().waitFor();
    await expect
      .poll(() => paintOf(entries('Piano recital').first(), 'Piano recital'))
      .toMatchObject({ background: 'rgb(255, 213, 79)' });
  });

  it('shows a secret subscription link with Copy buttons; a new link stops the old one; Turn off stops it', async () => {
    const dialog = await openSettingsOf('Work');
    await dialog.getByRole('button', { name: 'Make a subscription link' }).click();
    const https = dialog.locator('code', { hasText: /^http:\/\/127\.0\.0\.1:\d+\/feeds\// });
    const webcal = dialog.locator('code', { hasText: /^webcal:\/\// });
    await https.waitFor();
    const firstUrl = (await https.textContent()) ?? '';
    expect(await webcal.textContent()).toBe(firstUrl.replace(/^http:\/\//, 'webcal://'));
    expect(await seriousAxeViolations(page)).toEqual([]);

    await dialog.getByRole('button', { name: 'Copy Link for Google Calendar (https)' }).click();
    await dialog.getByText('Link for Google Calendar (https) copied.').waitFor();
    await expect(
      page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      ),
    ).resolves.toBe(firstUrl);

    // What Google Calendar would read: the calendar's own events.
    const feed = await fetch(firstUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics).toContain('SUMMARY:Design review');

    await dialog.getByRole('button', { name: 'New link' }).click();
    await dialog.getByText('A new link stops the current one').waitFor();
    await dialog.getByRole('button', { name: 'Make a new link' }).click();
    await expect.poll(async () => (await https.textContent()) !== firstUrl).toBe(true);
    const secondUrl = (await https.textContent()) ?? '';
    expect((await fetch(firstUrl)).status).toBe(404);
    expect((await fetch(secondUrl)).status).toBe(200);

    await dialog.getByRole('button', { name: 'Turn off link' }).click();
    await dialog.getByText('The subscription link is turned off.').waitFor();
    await https.waitFor({ state: 'detached' });
    expect((await fetch(secondUrl)).status).toBe(404);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows a calendar made on another device, and drops one deleted there, without a reload', async () => {
    await showWeekOf('2030-05-14');
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));
    const other = await web.newContext();
    let streamsOpened = 0;
    other.on('response', (response) => {
      if (response.url().endsWith('/api/changes') && response.ok()) streamsOpened++;
    });
    const phone = await web.signedInPage(person.id, other);
    try {
      await phone.getByRole('button', { name: 'New calendar' }).click();
      await phone.getByRole('dialog').getByLabel('Name').fill('Family');
      // The phone's page reopens its change stream to watch the new calendar too (the server
      // watches the calendars there are when a stream opens); its answer means it is watched.
      await expect.poll(() => streamsOpened).toBe(1);
      await phone.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
      await phone.getByRole('checkbox', { name: 'Family' }).waitFor();
      await expect.poll(() => streamsOpened).toBe(2);
      const family = (await calendars(phone)).find((c) => c.name === 'Family');
      if (!family) throw new Error('no Family calendar');
      // Something written into the new calendar reaches the open page, which learns the calendar.
      await phone.evaluate(async (calendarId) => {
        const response = await fetch('/api/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            summary: 'Grandma visits',
            start: '2030-05-16T15:00',
            end: '2030-05-16T18:00',
            timezone: 'Europe/Berlin',
            calendarId,
          }),
        });
        if (!response.ok) throw new Error(await response.text());
      }, family.id);
      await list().getByRole('checkbox', { name: 'Family' }).waitFor();
      await entries('Grandma visits').first().waitFor();

      await phone.evaluate(async (calendarId) => {
        await fetch(`/api/calendars/${calendarId}`, { method: 'DELETE' });
      }, family.id);
      await list().getByRole('checkbox', { name: 'Family' }).waitFor({ state: 'detached' });
      await entries('Grandma visits').waitFor({ state: 'detached' });
      await expect(
        page.evaluate(() => (globalThis as unknown as { stillTheSamePage?: boolean }).stillTheSamePage),
      ).resolves.toBe(true);
    } finally {
      await other.close();
    }
  });

  it('marks a subscribed calendar read-only with its last error, keeps it out of the form and its events fixed', async () => {
    // The list as a server with external feeds answers it: Work followed from an address that failed.
    await page.route('**/api/calendars', async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const response = await route.fetch();
      const listed = (await response.json()) as ListedCalendar[];
      await route.fulfill({
        response,
        json: listed.map((c) =>
          c.name === 'Work'
            ? {
                ...c,
                readOnly: true,
                subscription: {
                  url: 'https://example.org/team.ics',
                  lastFetchedAt: '2030-05-14T08:00:00Z',
                  lastSuccessAt: null,
                  nextFetchAt: '2030-05-14T09:00:00Z',
                  error: { reason: 'fetch-failed', message: 'The server answered 500.' },
                },
              }
            : { ...c, readOnly: false, subscription: null },
        ),
      });
    });
    try {
      await page.reload();
      await showWeekOf('2030-05-14');
      await entries('Design review').first().waitFor();
      await list().getByText('Read-only').waitFor();
      await list().getByText('Not updating').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);

      await entries('Design review').first().click();
      const details = page.getByRole('dialog');
      await details.getByText('Read-only').waitFor();
      await expect(details.getByRole('button', { name: 'Edit' }).count()).resolves.toBe(0);
      await expect(details.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(0);
      await details.getByRole('button', { name: 'Close' }).click();

      // Only one writable calendar is left: the form offers no choice.
      await page.getByRole('button', { name: 'New event' }).click();
      await expect(page.getByRole('dialog').getByLabel('Calendar', { exact: true }).count()).resolves.toBe(0);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      const settings = await openSettingsOf('Work');
      await settings.getByText('https://example.org/team.ics').waitFor();
      await settings.getByText('The last update failed: The server answered 500.').waitFor();
      await expect(settings.getByRole('button', { name: 'Make a subscription link' }).count()).resolves.toBe(
        0,
      );
      expect(await seriousAxeViolations(page)).toEqual([]);
      await settings.getByRole('button', { name: 'Close' }).first().click();
    } finally {
      await page.unroute('**/api/calendars');
    }
    await page.reload();
  });

  it('subscribes to a calendar by URL: read-only, kept out of the form, updated on request, unsubscribed', async () => {
    await list().getByRole('button', { name: 'Subscribe to a calendar by URL' }).click();
    const dialog = page.getByRole('dialog', { name: 'Subscribe to a calendar by URL' });
    await dialog.getByLabel('Calendar address (https or webcal)').fill('ftp://example.org/x.ics');
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await dialog.getByText('Enter an address starting with https:// or webcal://.').waitFor();
    // The server refuses an address in a private network, and says so.
    await dialog.getByLabel('Calendar address (https or webcal)').fill('https://10.0.0.7/team.ics');
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await dialog.getByText('private network', { exact: false }).waitFor();
    await dialog.getByLabel('Calendar address (https or webcal)').fill('webcal://example.org/holidays.ics');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Subscribe' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Named after the host until the first fetch names it from the feed.
    const row = list().getByRole('listitem').filter({ hasText: 'example.org' });
    await row.getByText('Read-only').waitFor();

    await page.getByRole('button', { name: 'New event' }).click();
    const form = page.getByRole('dialog');
    const options = await form.getByLabel('Calendar', { exact: true }).locator('option').allTextContents();
    expect(options).toEqual(['Televent', 'Work']);
    await form.getByRole('button', { name: 'Cancel' }).click();

    const settings = await openSettingsOf('example.org');
    await settings.getByText('https://example.org/holidays.ics').waitFor();
    await settings.getByText('Last updated: never').waitFor();
    await expect(settings.getByRole('button', { name: 'Make a subscription link' }).count()).resolves.toBe(0);
    await settings.getByRole('button', { name: 'Update now' }).click();
    await settings.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('“example.org” will be updated in a moment.').waitFor({
      state: 'attached',
    });

    const again = await openSettingsOf('example.org');
    await again.getByRole('button', { name: 'Delete “example.org”' }).click();
    await again.getByText('Stop following “example.org”').waitFor();
    await again.getByRole('button', { name: 'Delete calendar' }).click();
    await again.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
  });

  it('deletes a calendar with its events after a warning naming what goes', async () => {
    await showWeekOf('2030-05-14');
    await entries('Design review').first().waitFor();
    const dialog = await openSettingsOf('Work');
    await dialog.getByRole('button', { name: 'Delete “Work”' }).click();
    await dialog.getByText('Delete “Work” with all its events and tasks?').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete calendar' }).click();
    await dialog.waitFor({ state: 'detached' });
    await list().getByRole('checkbox', { name: 'Work' }).waitFor({ state: 'detached' });
    await entries('Design review').waitFor({ state: 'detached' });
    await expect(entries('Dentist').count()).resolves.toBe(0);
    expect((await calendars()).map((c) => c.name)).toEqual(['Televent']);
    expect(refused).toEqual([]);
  });

  it('on a phone, keeps the calendar list in a panel behind a button', async () => {
    const phoneContext = await web.newContext({ width: 390, height: 844 });
    try {
      await page.evaluate(async () => {
        await fetch('/api/calendars', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Sport', color: '#2e7d32' }),
        });
      });
      const phone = await web.signedInPage(person.id, phoneContext);
      const toggle = phone.getByRole('button', { name: 'Calendars (2)' });
      await toggle.waitFor();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
      await expect(phone.getByRole('checkbox', { name: 'Sport' }).isVisible()).resolves.toBe(false);
      await toggle.click();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
      await phone.getByRole('checkbox', { name: 'Sport' }).uncheck();
      expect(await seriousAxeViolations(phone)).toEqual([]);
      await phone.getByRole('button', { name: 'Calendar “Sport”' }).click();
      await phone.getByRole('dialog').getByRole('button', { name: 'Make a subscription link' }).waitFor();
      expect(await seriousAxeViolations(phone)).toEqual([]);
    } finally {
      await phoneContext.close();
    }
  });
});
