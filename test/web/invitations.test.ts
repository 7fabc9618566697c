import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCspViolations, seriousAxeViolations } from './browser.ts';
import { startWebServer, type WebServer } from './live-server.ts';

// Issue 14 item 3, the web app: the organizer invites someone from an event's details, the guest
// (in a second browser) finds the invitation above the calendar list and answers Maybe, and the
// event is then in the guest's calendar. The server runs the worker too: it sends the invitations.

const organizer = { id: 5751, zone: 'Europe/Berlin' };
const guest = { id: 5752, zone: 'Europe/Berlin' };

describe('invitations in chromium', () => {
  let web: WebServer;
  let organizerPage: Page;
  let guestPage: Page;
  let refused: string[];

  beforeAll(async () => {
    // The worker's Telegram sends go to a closed local port and fail at once; mail is not set up.
    web = await startWebServer({ TELEGRAM_API_ROOT: 'http://127.0.0.1:9' }, 'http,worker');
    await web.createUser(organizer.id, organizer.zone);
    await web.createUser(guest.id, guest.zone);
    const contexts: BrowserContext[] = [await web.newContext(), await web.newContext()];
    organizerPage = await web.signedInPage(organizer.id, contexts[0] as BrowserContext);
    guestPage = await web.signedInPage(guest.id, contexts[1] as BrowserContext);
    refused = [...collectCspViolations(organizerPage), ...collectCspViolations(guestPage)];
  });

  afterAll(async () => {
    await web?.close();
  });

  const inviteFor = (page: Page) =>
    page.evaluate(async () => {
      const response = await fetch('/api/invitations');
      return ((await response.json()) as { invitations: { summary: string; answer: string }[] }).invitations;
    });

  it("invites someone from an event's details", async () => {
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(11, 0, 0, 0);
    await organizerPage.evaluate(async (startAt) => {
      await fetch('/api/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          summary: 'Team lunch',
          start: startAt,
          end: new Date(new Date(startAt).getTime() + 3_600_000).toISOString(),
        }),
      });
    }, start.toISOString());
    await organizerPage.reload();
    await organizerPage.getByRole('button', { name: 'Agenda', exact: true }).click();
    await organizerPage.locator('.calendar-event', { hasText: 'Team lunch' }).first().click();
    const dialog = organizerPage.getByRole('dialog');
    const people = dialog.getByLabel('Invite people');
    await people.fill('not-a-person');
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain(
      '“not-a-person” is not an @username',
    );
    await people.fill(String(guest.id));
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await dialog.getByText(`Invited ${guest.id}.`).waitFor();
    expect(await seriousAxeViolations(organizerPage)).toEqual([]);
  });

  it('lets the guest answer above the calendar list; Maybe puts the event in their calendar', async () => {
    await expect.poll(async () => (await inviteFor(guestPage)).length, { timeout: 15_000 }).toBe(1);
    await guestPage.reload();
    const invitations = guestPage.getByRole('region', { name: 'Invitations' });
    await invitations.getByText('invites you to “Team lunch”').waitFor();
    expect(await seriousAxeViolations(guestPage)).toEqual([]);
    await invitations.getByRole('button', { name: 'Maybe' }).click();
    await guestPage.getByText('Answered “Team lunch”: maybe.').waitFor();
    expect((await inviteFor(guestPage))[0]?.answer).toBe('tentative');
    await guestPage.getByRole('button', { name: 'Agenda', exact: true }).click();
    await guestPage.locator('.calendar-event', { hasText: 'Team lunch' }).first().waitFor();
    expect(refused).toEqual([]);
  });
});
