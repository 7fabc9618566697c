import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCspViolations, seriousAxeViolations } from './browser.ts';
import { startWebServer, type WebServer } from './live-server.ts';

// Issue 11 items 5 and 6 in the browser: device passwords (shown once, the Apple profile, revoke),
// settings, import and export, account deletion with undo. axe-core on each page.

const person = { id: 5401, zone: 'Europe/Berlin' };

const importFile = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//web test//EN',
  'BEGIN:VEVENT',
  'UID:imported-1@example.org',
  'DTSTAMP:20300101T000000Z',
  'DTSTART:20300410T080000Z',
  'DTEND:20300410T090000Z',
  'SUMMARY:Imported breakfast',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:imported-2@example.org',
  'DTSTAMP:20300101T000000Z',
  'DTSTART;VALUE=DATE:20300411',
  'DTEND;VALUE=DATE:20300412',
  'SUMMARY:Imported holiday',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTAMP:20300101T000000Z',
  'DTSTART:20300412T080000Z',
  'SUMMARY:No UID here',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

async function caldavStatus(baseUrl: string, password: string): Promise<number> {
  const response = await fetch(`${baseUrl}/principals/${person.id}/`, {
    method: 'PROPFIND',
    headers: {
      authorization: `Basic ${Buffer.from(`${person.id}:${password}`).toString('base64')}`,
      depth: '0',
    },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('devices and settings in chromium', () => {
  let web: WebServer;
  let page: Page;
  let refused: string[];
  /** The device password the first test creates and the second revokes. */
  let password = '';

  beforeAll(async () => {
    web = await startWebServer();
    await web.createUser(person.id, person.zone);
    page = await web.signedInPage(person.id, await web.newContext());
    refused = collectCspViolations(page);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('creates a device password, shows it once with the server and user name, and downloads an Apple profile', async () => {
    await page.getByRole('button', { name: 'Devices' }).click();
    await page.getByRole('heading', { name: 'Devices', level: 2 }).waitFor();
    await page.getByText('No device passwords yet.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Device name').fill('iPhone & <Mac>');
    await page.getByRole('button', { name: 'Create device password' }).click();
    const panel = page.getByRole('region', { name: 'Password for “iPhone & <Mac>”' });
    await panel.waitFor();
    password = (await panel.locator('code').nth(0).textContent()) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){4}$/);
    await expect(panel.locator('code').nth(1).textContent()).resolves.toBe(`${web.baseUrl}/`);
    await expect(panel.locator('code').nth(2).textContent()).resolves.toBe(String(person.id));
    await panel.getByText('Thunderbird', { exact: true }).click();
    await panel.getByText('Calendar → New Calendar → On the Network', { exact: false }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await caldavStatus(web.baseUrl, password)).toBe(207);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download profile for iPhone/Mac' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('televent.mobileconfig');
    const profile = await readFile((await download.path()) ?? '', 'utf8');
    expect(profile).toContain('<key>PayloadType</key><string>com.apple.caldav.account</string>');
    expect(profile).toContain(`<key>CalDAVPassword</key><string>${password}</string>`);
    expect(profile).toContain(`<key>CalDAVUsername</key><string>${person.id}</string>`);
    expect(profile).toContain('<key>CalDAVHostName</key><string>127.0.0.1</string>');
    expect(profile).toContain(
      `<key>CalDAVPrincipalURL</key><string>${web.baseUrl}/principals/${person.id}/</string>`,
    );
    expect(profile).toContain('<key>CalDAVUseSSL</key><false/>');
    // The device name is XML-escaped, never raw markup.
    expect(profile).toContain('Televent (iPhone &amp; &lt;Mac&gt;)');
    expect(profile).not.toContain('<Mac>');

    // The profile is answered as Apple's type and never stored by caches.
    const headers = await page.evaluate(async (secret) => {
      const response = await fetch('/api/devices/apple-profile', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'iPhone', password: secret }),
      });
      return [response.headers.get('content-type'), response.headers.get('cache-control')];
    }, password);
    expect(headers).toEqual(['application/x-apple-aspen-config', 'no-store']);

    // Done: the password is gone from the page for good; the list shows the device.
    await panel.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(password).count()).resolves.toBe(0);
    await page.getByText('iPhone & <Mac>').waitFor();
    await page
      .getByText('never used', { exact: false })
      .or(page.getByText('last used', { exact: false }))
      .first()
      .waitFor();
  });

  it('revokes a device after a confirmation, and its password stops working', async () => {
    const before = await page.evaluate(async () => (await (await fetch('/api/devices')).json()) as unknown[]);
    expect(before).toHaveLength(1);
    await page.getByRole('button', { name: 'Revoke iPhone & <Mac>' }).click();
    await page.getByText('Revoke “iPhone & <Mac>”? That app stops syncing.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('No device passwords yet.').waitFor();
    const after = await page.evaluate(async () => (await (await fetch('/api/devices')).json()) as unknown[]);
    expect(after).toEqual([]);
    expect(await caldavStatus(web.baseUrl, password)).toBe(401);
  });

  it('changes the time zone, default reminder, digest and e-mail in Settings', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
    await expect(page.getByLabel('Time zone', { exact: true }).inputValue()).resolves.toBe(person.zone);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Time zone', { exact: true }).fill('Not/AZone');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Choose a time zone from the list.').waitFor();

    await page.getByLabel('Time zone', { exact: true }).fill('America/Sao_Paulo');
    await page.getByLabel('Default reminder for new events').selectOption('60');
    await page.getByLabel('Send me a daily digest in Telegram').check();
    await page.getByLabel('Digest time').fill('07:30');
    await page.getByLabel('E-mail address (optional)').fill('person@example.org');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();

    const stored = await page.evaluate(async () => ({
      me: (await (await fetch('/api/me')).json()) as { timezone: string },
      preferences: (await (await fetch('/api/preferences')).json()) as Record<string, unknown>,
    }));
    expect(stored.me.timezone).toBe('America/Sao_Paulo');
    expect(stored.preferences).toEqual({
      defaultReminderMinutes: 60,
      digestEnabled: true,
      digestTime: '07:30',
      email: 'person@example.org',
    });

    // "None" is no default reminder at all, not one at the start (0 minutes).
    await page.getByLabel('Default reminder for new events').selectOption({ label: 'None' });
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/preferences') && r.request().method() === 'PATCH',
    );
    await page.getByRole('button', { name: 'Save' }).click();
    expect((await (await saved).json()).defaultReminderMinutes).toBeNull();
    const off = await page.evaluate(
      async () => (await (await fetch('/api/preferences')).json()) as Record<string, unknown>,
    );
    expect(off.defaultReminderMinutes).toBeNull();
  });

  it('imports an .ics file, says what it did and what was wrong, and exports .ics and JSON', async () => {
    await page.getByLabel('Import an .ics file').setInputFiles({
      name: 'other-calendar.ics',
      mimeType: 'text/calendar',
      buffer: Buffer.from(importFile),
    });
    await page.getByText('Imported: 2 new, 0 updated, 0 unchanged.').waitFor();
    await expect(page.locator('.import-errors li').count()).resolves.toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const [ics] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download calendar (.ics)' }).click(),
    ]);
    expect(ics.suggestedFilename()).toBe('televent.ics');
    const icsText = await readFile((await ics.path()) ?? '', 'utf8');
    expect(icsText).toContain('UID:imported-1@example.org');
    expect(icsText).toContain('SUMMARY:Imported holiday');

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download all my data (JSON)' }).click(),
    ]);
    const data = JSON.parse(await readFile((await json.path()) ?? '', 'utf8')) as {
      user: { telegramId: number };
      ics: string;
    };
    expect(data.user.telegramId).toBe(person.id);
    expect(data.ics).toContain('UID:imported-2@example.org');
  });

  it('asks for account deletion, shows the erase date, and undoes it', async () => {
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Everything is erased after 30 days', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    const scheduled = page.getByText('Your account and all its data will be erased on', { exact: false });
    await scheduled.waitFor();
    const account = await page.evaluate(
      async () => (await (await fetch('/api/account')).json()) as { deletionScheduledFor: string | null },
    );
    expect(account.deletionScheduledFor).not.toBeNull();
    // The date shown is the scheduled one, in the person's zone and words.
    const shown = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'long',
      timeZone: 'America/Sao_Paulo',
    }).format(new Date(account.deletionScheduledFor ?? ''));
    await expect(scheduled.textContent()).resolves.toContain(shown);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Keep my account' }).click();
    await page.getByRole('button', { name: 'Delete my account' }).waitFor();
    const after = await page.evaluate(
      async () => (await (await fetch('/api/account')).json()) as { deletionScheduledFor: string | null },
    );
    expect(after.deletionScheduledFor).toBeNull();
    expect(refused).toEqual([]);
  });
});
