// `npm run screenshots`: the web app on a real server with a sample month of events in three
// calendars, photographed by Debian's chromium on a desktop (1280×800) and a phone (390×844), light
// and dark: month, week, agenda, the event form, a calendar's settings with its subscription link,
// devices and settings, and on the phone the calendar list opened
// → docs/screenshots/<device>-<scheme>-<view>.png.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startWebServer } from './live-server.ts';

const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const person = { id: 5901, zone: 'Europe/Berlin' };
/** A fixed month, so the pictures do not change with the day they are taken. */
const shownDate = '2030-03-12';

/** Calendars besides the default one; events name theirs by `calendar`. */
const sampleCalendars = [
  { name: 'Work', color: '#2e7d32' },
  { name: 'Family', color: '#ef6c00' },
];

const sampleEvents = [
  {
    calendar: 'Work',
    summary: 'Team stand-up',
    start: '2030-03-04T09:30',
    end: '2030-03-04T09:45',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    location: 'Video call',
  },
  {
    calendar: 'Family',
    summary: 'Lunch with Anna',
    start: '2030-03-12T13:00',
    end: '2030-03-12T14:00',
    location: 'Café Lena',
  },
  { summary: 'Dentist', start: '2030-03-14T16:00', end: '2030-03-14T16:45' },
  { summary: 'Yoga', start: '2030-03-07T19:00', end: '2030-03-07T20:00', rrule: 'FREQ=WEEKLY;BYDAY=TH' },
  { summary: 'Conference', start: '2030-03-18', end: '2030-03-21', allDay: true, location: 'Lisbon' },
  { summary: 'Flight to Lisbon', start: '2030-03-17T07:10', end: '2030-03-17T10:05' },
  {
    calendar: 'Work',
    summary: 'Quarterly review',
    start: '2030-03-13T11:00',
    end: '2030-03-13T12:30',
    location: 'Room 4',
  },
  {
    calendar: 'Family',
    summary: 'Mum’s birthday',
    start: '2030-03-26',
    end: '2030-03-27',
    allDay: true,
    rrule: 'FREQ=YEARLY',
  },
];

const devices = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Lets FullCalendar finish its layout pass (system fonts only: there is nothing to load). */
async function settle(page: Page) {
  await page.waitForTimeout(300);
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const web = await startWebServer();
  try {
    await web.createUser(person.id, person.zone);
    const seeding = await web.newContext();
    const seeder = await web.signedInPage(person.id, seeding);
    await seeder.evaluate(
      async ({ calendars, events }) => {
        const ids = new Map<string, string>();
        for (const calendar of calendars) {
          const response = await fetch('/api/calendars', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(calendar),
          });
          if (!response.ok) throw new Error(await response.text());
          ids.set(calendar.name, ((await response.json()) as { id: string }).id);
        }
        for (const { calendar, ...event } of events) {
          const response = await fetch('/api/events', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              timezone: 'Europe/Berlin',
              reminders: [15],
              ...event,
              ...(calendar ? { calendarId: ids.get(calendar) } : {}),
            }),
          });
          if (!response.ok) throw new Error(await response.text());
        }
        await fetch('/api/devices', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Thunderbird at work' }),
        });
      },
      { calendars: sampleCalendars, events: sampleEvents },
    );
    await seeding.close();

    for (const device of devices) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await web.newContext({
          colorScheme: scheme,
          width: device.width,
          height: device.height,
        });
        const page = await web.signedInPage(person.id, context);
        const shot = async (view: string) => {
          await settle(page);
          await page.screenshot({ path: `${outDir}${device.name}-${scheme}-${view}.png` });
          process.stdout.write(`${device.name}-${scheme}-${view}.png\n`);
        };
        await page.locator('.calendar-list li', { hasText: 'Work' }).waitFor({ state: 'attached' });
        await page.getByLabel('Go to date').fill(shownDate);
        for (const [view, button] of [
          ['month', 'Month'],
          ['week', 'Week'],
          ['agenda', 'Agenda'],
        ] as const) {
          await page.getByRole('button', { name: button, exact: true }).click();
          await page.locator('.calendar-event').first().waitFor();
          await shot(view);
        }
        await page.getByRole('button', { name: 'Week', exact: true }).click();
        await page.locator('.calendar-event', { hasText: 'Lunch with Anna' }).first().click();
        await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).click();
        await page.getByRole('dialog').getByLabel('Title').waitFor();
        await shot('event-form');
        await page.keyboard.press('Escape');
        if (device.name === 'phone') {
          await page.getByRole('button', { name: /^Calendars/ }).click();
          await page.getByRole('checkbox', { name: 'Work' }).waitFor();
          await shot('calendar-list');
        }
        await page.getByRole('button', { name: 'Calendar “Work”' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Make a subscription link' }).click();
        await page.getByRole('dialog').getByText('Link for Google Calendar (https)').waitFor();
        await shot('calendar-settings');
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'Devices' }).click();
        await page.getByLabel('Device name').fill('iPhone');
        await page.getByRole('button', { name: 'Create device password' }).click();
        await page.getByText('This password is shown only now', { exact: false }).waitFor();
        await shot('devices');
        // The password panel is the picture; revoke it so the next run starts the same way.
        await page.getByRole('button', { name: 'Done' }).click();
        await page.getByRole('button', { name: 'Revoke iPhone' }).click();
        await page.getByRole('button', { name: 'Revoke', exact: true }).click();
        await page.getByRole('button', { name: 'Revoke iPhone' }).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: 'Settings' }).click();
        await page.getByLabel('Default reminder for new events').waitFor();
        await shot('settings');
        await context.close();
      }
    }
  } finally {
    await web.close();
  }
}

await main();
