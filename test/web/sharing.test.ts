import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCspViolations, seriousAxeViolations } from './browser.ts';
import { startWebServer, type WebServer } from './live-server.ts';

// Issue 14 item 1, the web app: the owner shares a calendar from its dialog, the invitee (in a
// second browser) accepts the invitation above the calendar list and gets the calendar read-only,
// the owner allows changes, and the invitee leaves it.

const owner = { id: 5701, zone: 'Europe/Berlin' };
const invitee = { id: 5702, zone: 'Europe/Berlin' };

describe('sharing a calendar in chromium', () => {
  let web: WebServer;
  let ownerPage: Page;
  let inviteePage: Page;
  let contexts: BrowserContext[];
  let refused: string[];

  beforeAll(async () => {
    web = await startWebServer();
    await web.createUser(owner.id, owner.zone);
    await web.createUser(invitee.id, invitee.zone);
    contexts = [await web.newContext(), await web.newContext()];
    ownerPage = await web.signedInPage(owner.id, contexts[0] as BrowserContext);
    inviteePage = await web.signedInPage(invitee.id, contexts[1] as BrowserContext);
    refused = [...collectCspViolations(ownerPage), ...collectCspViolations(inviteePage)];
  });

  afterAll(async () => {
    await web?.close();
  });

  const list = (page: Page) => page.getByRole('complementary', { name: 'Calendars' });
  const calendars = (page: Page) =>
    page.evaluate(
      async () =>
        (await (await fetch('/api/calendars')).json()) as {
          name: string;
          access: string;
          readOnly: boolean;
        }[],
    );

  it('invites someone from the calendar dialog; the invitee accepts and sees the calendar read-only', async () => {
    const [own] = await calendars(ownerPage);
    await list(ownerPage)
      .getByRole('button', { name: `Calendar “${own?.name}”` })
      .click();
    const dialog = ownerPage.getByRole('dialog');
    const sharing = dialog.getByRole('region', { name: 'Sharing' });
    await sharing.getByLabel('Telegram @username or id').fill('@x'); // too short: said, nothing sent
    await sharing.getByRole('button', { name: 'Invite' }).click();
    await expect(sharing.getByRole('alert').textContent()).resolves.toContain('Give a Telegram @username');
    await sharing.getByLabel('Telegram @username or id').fill(String(invitee.id));
    await sharing.getByRole('button', { name: 'Invite' }).click();
    await sharing.getByText('not answered yet').waitFor();
    expect(await seriousAxeViolations(ownerPage)).toEqual([]);

    // The invitation reaches the other browser through its change stream, without a reload.
    const invitations = list(inviteePage).getByRole('region', { name: 'Invitations' });
    await invitations.getByText(`shared “${own?.name}” with you (read only)`).waitFor();
    expect(await seriousAxeViolations(inviteePage)).toEqual([]);
    await invitations.getByRole('button', { name: 'Accept' }).click();
    await list(inviteePage).getByText(`${own?.name} (${owner.id})`, { exact: true }).waitFor();
    const seen = await calendars(inviteePage);
    expect(seen.map((c) => [c.access, c.readOnly])).toEqual([
      ['owner', false],
      ['read', true],
    ]);
    const sharedEntry = list(inviteePage).locator('li', { hasText: `(${owner.id})` });
    expect(await sharedEntry.getByText('Read-only').count()).toBe(1);
  });

  it('lets the owner allow changes, and the invitee leave the calendar', async () => {
    const dialog = ownerPage.getByRole('dialog');
    await dialog.getByRole('combobox', { name: /What .* may do/ }).selectOption('write');
    await expect.poll(async () => (await calendars(inviteePage))[1]?.access).toBe('write');

    const [, shared] = await calendars(inviteePage);
    await list(inviteePage)
      .getByRole('button', { name: `Calendar “${shared?.name} (${owner.id})”` })
      .click();
    const leaveDialog = inviteePage.getByRole('dialog');
    await leaveDialog.getByText('Shared with you by').waitFor();
    await leaveDialog.getByRole('button', { name: 'Leave this calendar' }).click();
    await leaveDialog.waitFor({ state: 'detached' });
    expect(await calendars(inviteePage)).toHaveLength(1);
    expect(refused).toEqual([]);
  });
});
