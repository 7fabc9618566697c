import type { Page } from 'playwright-core';
import { type DAVCalendar, type DAVCalendarObject, DAVClient } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCspViolations, seriousAxeViolations } from './browser.ts';
import { startWebServer, type WebServer } from './live-server.ts';

// Issue 11 item 10, end to end and in order: one person, one open page and a CalDAV client
// (tsdav) on the same account. Create a weekly event in the form → month and week views → CalDAV
// sees RRULE and TZID → change one occurrence → CalDAV sees the RECURRENCE-ID override → a change
// over CalDAV appears in the open page without a reload → drag to move → the 412 path → delete.

const person = { id: 5301, zone: 'Asia/Tokyo' };

describe('the calendar in chromium, next to a CalDAV client', () => {
  let web: WebServer;
  let page: Page;
  let refused: string[];
  let dav: DAVClient;
  let calendar: DAVCalendar;

  beforeAll(async () => {
    web = await startWebServer();
    await web.createUser(person.id, person.zone);
    page = await web.signedInPage(person.id, await web.newContext());
    refused = collectCspViolations(page);
    // A device password for the CalDAV client, made through the REST API the Devices page uses.
    const device = await page.evaluate(async () => {
      const response = await fetch('/api/devices', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'tsdav' }),
      });
      return (await response.json()) as { password: string };
    });
    dav = new DAVClient({
      serverUrl: `${web.baseUrl}/`,
      credentials: { username: String(person.id), password: device.password },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
    });
    await dav.login();
    calendar = (await dav.fetchCalendars())[0] as DAVCalendar;
  });

  afterAll(async () => {
    await web?.close();
  });

  const entries = (title: string) => page.locator('.calendar-event', { hasText: title });

  async function showWeekOf(date: string) {
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.getByLabel('Go to date').fill(date);
  }

  async function storedSeries(): Promise<DAVCalendarObject> {
    const objects = await dav.fetchCalendarObjects({ calendar });
    const series = objects.find((o) => o.data?.includes('RRULE:FREQ=WEEKLY'));
    if (!series) throw new Error(`no weekly series among ${objects.length} objects`);
    return series;
  }

  async function changeOverCaldav(from: string, to: string) {
    const series = await storedSeries();
    const updated = await dav.updateCalendarObject({
      calendarObject: { ...series, data: (series.data ?? '').split(from).join(to) },
    });
    expect(updated.status).toBe(204);
  }

  it('creates a weekly event in the form and shows it in month and week views, in the person’s zone', async () => {
    await page.getByText(`Times are shown in ${person.zone}.`).waitFor();
    await page.getByLabel('Go to date').fill('2030-03-12');
    await page.getByRole('heading', { name: 'March 2030' }).waitFor();

    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Weekly planning');
    await dialog.getByLabel('Starts').fill('2030-03-12T10:00');
    await dialog.getByLabel('Ends', { exact: true }).fill('2030-03-12T11:00');
    await dialog.getByLabel('Location').fill('Room 4');
    await dialog.getByLabel('Repeat').selectOption('weekly');
    await expect(dialog.getByLabel('Tue').isChecked()).resolves.toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Month view: every Tuesday from the 12th on, at 10:00 Tokyo time (the browser is in New York).
    await entries('Weekly planning').first().waitFor();
    expect(await entries('Weekly planning').count()).toBeGreaterThanOrEqual(3);
    await expect(entries('Weekly planning').first().textContent()).resolves.toContain('10:00');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await showWeekOf('2030-03-12');
    await expect(entries('Weekly planning').first().textContent()).resolves.toMatch(/10:00\s*[-–]\s*11:00/);
    expect(await entries('Weekly planning').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('is seen by the CalDAV client with its weekly rule in the person’s zone', async () => {
    const data = (await storedSeries()).data ?? '';
    expect(data).toContain('SUMMARY:Weekly planning');
    expect(data).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=TU\r?\n/);
    expect(data).toMatch(/DTSTART;TZID=Asia\/Tokyo:20300312T100000\r?\n/);
    expect(data).toContain('LOCATION:Room 4');
  });

  it('changes one occurrence, which CalDAV sees as a RECURRENCE-ID override', async () => {
    await showWeekOf('2030-03-19');
    await entries('Weekly planning').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel('Title').fill('Planning one-off');
    await dialog.getByLabel('Starts').fill('2030-03-19T13:00');
    await dialog.getByLabel('Ends', { exact: true }).fill('2030-03-19T14:00');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // A repeating event asks how far the change reaches.
    await dialog.getByRole('heading', { name: 'Change a repeating event' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Cancel goes back to the form as it was typed.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.getByLabel('Title').inputValue()).resolves.toBe('Planning one-off');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'This event', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(entries('Planning one-off').first().textContent()).resolves.toMatch(/13:00\s*[-–]\s*14:00/);

    const data = (await storedSeries()).data ?? '';
    expect(data).toMatch(/RECURRENCE-ID;TZID=Asia\/Tokyo:20300319T100000\r?\n/);
    expect(data).toContain('SUMMARY:Planning one-off');
    // The rest of the series is as it was.
    await showWeekOf('2030-03-26');
    await expect(entries('Weekly planning').first().textContent()).resolves.toMatch(/10:00\s*[-–]\s*11:00/);
  });

  it('shows a change made over CalDAV in the open page, without a reload', async () => {
    await showWeekOf('2030-03-26');
    await entries('Weekly planning').first().waitFor();
    // A mark on the window: a reload would wipe it.
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));
    await changeOverCaldav('SUMMARY:Weekly planning\r\n', 'SUMMARY:Weekly review\r\n');
    await entries('Weekly review').first().waitFor();
    expect(await entries('Weekly planning').count()).toBe(0);
    await expect(
      page.evaluate(() => (globalThis as unknown as { stillTheSamePage?: boolean }).stillTheSamePage),
    ).resolves.toBe(true);
  });

  it('moves an occurrence by dragging it in the week view', async () => {
    await showWeekOf('2030-03-26');
    const event = entries('Weekly review').first();
    const box = await event.boundingBox();
    // Wednesday's column (its header cell) and the 12:00 row of the time grid.
    const wednesday = await page.locator('[data-date="2030-03-27"]').first().boundingBox();
    const noon = await page.locator('[data-time="12:00:00"]').last().boundingBox();
    if (!box || !wednesday || !noon) throw new Error('the week view has no layout');
    await page.mouse.move(box.x + box.width / 2, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 5 });
    await page.mouse.move(wednesday.x + wednesday.width / 2, noon.y + 5, { steps: 15 });
    await page.mouse.up();

    const listed = () =>
      page.evaluate(async () => {
        const response = await fetch('/api/events?start=2030-03-25T00:00:00Z&end=2030-04-01T00:00:00Z');
        return ((await response.json()) as { occurrences: { start: string; recurrenceId: string }[] })
          .occurrences;
      });
    // Wednesday 27 March, 12:00–13:00 in Tokyo; still the 26 March occurrence of the series.
    await expect.poll(listed).toEqual([
      expect.objectContaining({
        start: '2030-03-27T03:00:00.000Z',
        recurrenceId: '2030-03-26T01:00:00.000Z',
      }),
    ]);
    await expect(entries('Weekly review').first().textContent()).resolves.toMatch(/12:00\s*[-–]\s*13:00/);
  });

  it('reloads the event and says so when it was changed elsewhere while the form was open (412)', async () => {
    await showWeekOf('2030-04-02');
    await entries('Weekly review').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel('Title').fill('My title');
    // Meanwhile, on the phone:
    await changeOverCaldav('SUMMARY:Weekly review\r\n', 'SUMMARY:Weekly sync\r\n');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'This event', exact: true }).click();

    await dialog.getByText('This event was changed elsewhere — reloaded.').waitFor();
    // The form stays open, now with what is stored.
    await expect(dialog.getByLabel('Title').inputValue()).resolves.toBe('Weekly sync');
    expect((await storedSeries()).data).not.toContain('My title');

    // Saving again, on the fresh version, works.
    await dialog.getByLabel('Title').fill('My title');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'This event', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await entries('My title').first().waitFor();
  });

  it('deletes the whole series after asking how far', async () => {
    await showWeekOf('2030-04-09');
    await entries('Weekly sync').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'All events' }).click();
    await dialog.waitFor({ state: 'detached' });
    await entries('Weekly sync').waitFor({ state: 'detached' });
    expect(await dav.fetchCalendarObjects({ calendar })).toEqual([]);
    expect(refused).toEqual([]);
  });
});
