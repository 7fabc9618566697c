import { calendarMultiGet, type DAVCalendar, type DAVClient, DAVNamespaceShort } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/test-database.ts';
import { ics } from './support/ics.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';
import { tsdavClient } from './support/tsdav-client.ts';

// A calendar shared between two tsdav clients (issue 14 items 1 and 5): the sharee discovers it in
// their own calendar home, is refused writes while it is read-only, and once allowed to write, the
// owner's client sees the sharee's event in its next sync-collection.

const sharee = 4343;

describe(`tsdav: a calendar shared between two users [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let owner: DAVClient;
  let guest: DAVClient;
  let shareId: string;
  let calendarId: string;
  let guestPassword: string;

  beforeAll(async () => {
    server = await startCaldavServer();
    await server.services.accounts.ensureUser({
      telegramId: sharee,
      username: 'guest',
      timeZone: 'Europe/Berlin',
    });
    guestPassword = (await server.services.devices.createDevice(sharee, 'guest laptop')).password;
    const client = (userId: number, secret: string) => tsdavClient(server.baseUrl, userId, secret);
    owner = client(server.user.id, server.user.password);
    guest = client(sharee, guestPassword);
    await owner.login();
    await guest.login();
    const family = await server.services.calendarCollections.createCalendar(server.user.id, {
      slug: 'family',
      name: 'Family',
    });
    calendarId = family.id;
    const share = await server.services.sharing.share(
      server.user.id,
      family.id,
      { telegramId: sharee },
      'read',
    );
    shareId = share.id;
  });
  afterAll(async () => {
    await server.close();
  });

  async function privileges(url: string): Promise<string[]> {
    const [response] = await guest.propfind({
      url,
      props: { [`${DAVNamespaceShort.DAV}:current-user-privilege-set`]: {} },
      depth: '0',
    });
    return (
      JSON.stringify(response?.props?.currentUserPrivilegeSet ?? {}).match(
        /"(read|write[A-Za-z]*|bind|unbind|all)"/g,
      ) ?? []
    );
  }

  it('shows nothing before the invitation is accepted, then the calendar in the guest home, read-only', async () => {
    expect((await guest.fetchCalendars()).map((c) => c.displayName)).not.toContain('Family (@interop)');
    await server.services.sharing.accept(sharee, shareId);
    const calendars = await guest.fetchCalendars();
    const family = calendars.find((c) => c.displayName === 'Family (@interop)') as DAVCalendar;
    expect(family.url).toBe(`${server.baseUrl}/calendars/${sharee}/shared-${shareId}/`);
    const granted = await privileges(family.url);
    expect(granted.join(' ')).toContain('read');
    expect(granted.join(' ')).not.toMatch(/write|bind/);
    const refused = await guest.createCalendarObject({
      calendar: family,
      filename: 'guest.ics',
      iCalString: ics('guest', 'From the guest'),
    });
    expect(refused.status).toBe(403);
  });

  it("lets the guest write once allowed, and the owner's client syncs it through its own token", async () => {
    const ownerFamily = (await owner.fetchCalendars()).find((c) => c.displayName === 'Family') as DAVCalendar;
    await server.services.sharing.changeAccess(server.user.id, calendarId, shareId, 'write');
    const family = (await guest.fetchCalendars()).find(
      (c) => c.displayName === 'Family (@interop)',
    ) as DAVCalendar;
    expect((await privileges(family.url)).join(' ')).toContain('writeContent');
    const created = await guest.createCalendarObject({
      calendar: family,
      filename: 'guest.ics',
      iCalString: ics('guest', 'From the guest'),
    });
    expect(created.status).toBe(201);
    const synced = await owner.smartCollectionSyncDetailed({
      collection: { ...ownerFamily, objects: [], objectMultiGet: calendarMultiGet },
      method: 'webdav',
    });
    expect(synced.objects.created.map((o) => o.url)).toEqual([`${ownerFamily.url}guest.ics`]);
    expect(synced.objects.created[0]?.data).toContain('SUMMARY:From the guest');
    // The guest's own client syncs the calendar where it lives in the guest's home.
    const mine = await guest.smartCollectionSyncDetailed({
      collection: { ...family, objects: [], objectMultiGet: calendarMultiGet },
      method: 'webdav',
    });
    expect(mine.objects.created.map((o) => o.url)).toEqual([`${family.url}guest.ics`]);
  });

  it('takes the calendar out of the guest home when the share is revoked', async () => {
    await server.services.sharing.revoke(server.user.id, calendarId, shareId);
    expect((await guest.fetchCalendars()).map((c) => c.displayName)).not.toContain('Family (@interop)');
    const gone = await fetch(`${server.baseUrl}/calendars/${sharee}/shared-${shareId}/guest.ics`, {
      headers: { authorization: `Basic ${Buffer.from(`${sharee}:${guestPassword}`).toString('base64')}` },
    });
    expect(gone.status).toBe(404);
  });
});
