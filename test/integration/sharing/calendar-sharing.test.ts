import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { DAV_NS, event, parseMultistatus, propfindBody } from '../caldav/caldav-harness.ts';
import { restAndCaldavPerFile } from '../http/rest-caldav-support.ts';
import { expectProblem } from '../http/rest-support.ts';

// Two and three users sharing one calendar over REST and CalDAV (issue 14 items 1 and 4), and a
// Telegram group's calendar as its members and others reach it through those doors (items 2 and 4).

const olga = { id: 5501, username: 'olga_owner' };
const pavel = { id: 5502, username: 'pavel_reader' };
const rita = { id: 5503, username: 'rita_other' };

interface Calendar {
  id: string;
  name: string;
  access: string;
  readOnly: boolean;
  caldavUrl: string;
}
interface Share {
  id: string;
  calendarId: string;
  access: string;
  status: string;
  sharee: { telegramId: number } | null;
}

describe(`sharing a calendar [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();
  const passwords = new Map<number, string>();

  const call = (
    user: { id: number },
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => suite.server.rest(user, method, url, payload ? { payload } : {});
  const calendars = async (user: { id: number }) =>
    (await call(user, 'GET', '/api/calendars')).json() as Calendar[];

  async function dav(user: { id: number }, method: string, path: string, body?: string, headers = {}) {
    let password = passwords.get(user.id);
    if (!password) {
      password = (await suite.server.services.devices.createDevice(user.id, 'laptop')).password;
      passwords.set(user.id, password);
    }
    return suite.server.app.inject({
      method: method as 'GET',
      url: path,
      headers: {
        authorization: `Basic ${Buffer.from(`${user.id}:${password}`).toString('base64')}`,
        ...(body === undefined
          ? {}
          : { 'content-type': body.startsWith('BEGIN') ? 'text/calendar' : 'application/xml' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: body }),
    });
  }

  async function homeListing(user: { id: number }) {
    const response = await dav(
      user,
      'PROPFIND',
      `/calendars/${user.id}/`,
      propfindBody('<d:displayname/><d:current-user-privilege-set/><d:owner/>'),
      { depth: '1' },
    );
    expect(response.statusCode).toBe(207);
    return parseMultistatus(response.body).responses.slice(1);
  }

  function privilegesOf(response: {
    props: Map<string, { element: { children: { children: { name: string }[] }[] } }>;
  }) {
    const set = response.props.get(`{${DAV_NS}}current-user-privilege-set`)?.element;
    return (set?.children ?? []).flatMap((p) => p.children.map((c) => c.name.replace(`{${DAV_NS}}`, '')));
  }

  async function syncToken(user: { id: number }, path: string) {
    const response = await dav(user, 'PROPFIND', path, propfindBody('<d:sync-token/>'), { depth: '0' });
    return (
      parseMultistatus(response.body).responses[0]?.props.get(`{${DAV_NS}}sync-token`)?.element.text ?? ''
    );
  }

  async function changedSince(user: { id: number }, path: string, token: string) {
    const response = await dav(
      user,
      'REPORT',
      path,
      `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
    );
    expect(response.statusCode).toBe(207);
    return parseMultistatus(response.body).responses.map((r) => r.href);
  }

  let family: Calendar;
  let share: Share;

  it('offers a calendar to a person who has to accept it before it appears anywhere', async () => {
    for (const user of [olga, pavel, rita]) {
      await suite.server.services.accounts.ensureUser({
        telegramId: user.id,
        username: user.username,
        timeZone: 'Europe/Berlin',
      });
    }
    family = (await call(olga, 'POST', '/api/calendars', { name: 'Family' })).json() as Calendar;
    await call(olga, 'POST', '/api/events', {
      summary: 'Grandma visits',
      start: '2026-05-04T10:00:00Z',
      end: '2026-05-04T12:00:00Z',
      calendarId: family.id,
    });

    const offered = await call(olga, 'POST', `/api/calendars/${family.id}/shares`, {
      telegramId: pavel.id,
      access: 'read',
    });
    expect(offered.statusCode).toBe(201);
    share = offered.json() as Share;
    expect(share).toMatchObject({ access: 'read', status: 'pending', sharee: { telegramId: pavel.id } });

    const pending = (await call(pavel, 'GET', '/api/shares')).json() as { shares: Share[] };
    expect(pending.shares.map((s) => [s.id, s.status])).toEqual([[share.id, 'pending']]);
    expect((await calendars(pavel)).map((c) => c.id)).not.toContain(family.id);
    expect((await homeListing(pavel)).map((r) => r.href)).toHaveLength(1);
  });

  it('shows an accepted read-only share in the agenda, the calendar list and the CalDAV home, read-only', async () => {
    const accepted = await call(pavel, 'POST', `/api/shares/${share.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted' });

    const shared = (await calendars(pavel)).find((c) => c.id === family.id);
    expect(shared).toMatchObject({ name: 'Family', access: 'read', readOnly: true });
    expect(shared?.caldavUrl).toContain(`/calendars/${pavel.id}/shared-`);
    const agenda = await call(
      pavel,
      'GET',
      '/api/events?start=2026-05-01T00:00:00Z&end=2026-05-08T00:00:00Z',
    );
    expect(agenda.json()).toMatchObject({
      occurrences: [expect.objectContaining({ summary: 'Grandma visits' })],
    });

    const listing = await homeListing(pavel);
    const entry = listing.find((r) => r.href === new URL(shared?.caldavUrl ?? '').pathname);
    // Named with its owner, since the sharee may well have a "Family" of their own.
    expect(entry?.props.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Family (@olga_owner)');
    expect(privilegesOf(entry as never)).toEqual([
      'read',
      'read-current-user-privilege-set',
      '{urn:ietf:params:xml:ns:caldav}read-free-busy',
    ]);
    expect(entry?.props.get(`{${DAV_NS}}owner`)?.element.children[0]?.text).toBe(`/principals/${olga.id}/`);
  });

  it('refuses a read-only sharee every write, over CalDAV and REST, and stores nothing', async () => {
    const path = new URL((await calendars(pavel)).find((c) => c.id === family.id)?.caldavUrl ?? '').pathname;
    const put = await dav(pavel, 'PUT', `${path}sneaky.ics`, event('sneaky'), { 'if-none-match': '*' });
    expect(put.statusCode).toBe(403);
    expect(put.body).toContain('need-privileges');
    const rest = await call(pavel, 'POST', '/api/events', {
      summary: 'Sneaky',
      start: '2026-05-05T10:00:00Z',
      end: '2026-05-05T11:00:00Z',
      calendarId: family.id,
    });
    expectProblem(rest, 403, 'calendar-shared-read-only');
    const rename = await dav(
      pavel,
      'PROPPATCH',
      path,
      '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Mine</d:displayname></d:prop></d:set></d:propertyupdate>',
    );
    expect(rename.statusCode).toBe(207);
    expect(rename.body).toContain('403');
    expectProblem(
      await call(pavel, 'PATCH', `/api/calendars/${family.id}`, { name: 'Mine' }),
      403,
      'not-calendar-owner',
    );
    expectProblem(await call(pavel, 'GET', `/api/calendars/${family.id}/shares`), 403, 'not-calendar-owner');
    const events = (
      await call(
        olga,
        'GET',
        `/api/events?start=2026-05-01T00:00:00Z&end=2026-05-08T00:00:00Z&calendarId=${family.id}`,
      )
    ).json() as { occurrences: { summary: string }[] };
    expect(events.occurrences.map((e) => e.summary)).toEqual(['Grandma visits']);
    expect((await calendars(olga)).find((c) => c.id === family.id)?.name).toBe('Family');
  });

  it("lets a write sharee add an event that the owner's client sees through its own sync token", async () => {
    const ownerPath = new URL(family.caldavUrl).pathname;
    const ownerToken = await syncToken(olga, ownerPath);
    const changed = await call(olga, 'PATCH', `/api/calendars/${family.id}/shares/${share.id}`, {
      access: 'write',
    });
    expect(changed.json()).toMatchObject({ access: 'write' });

    const path = new URL((await calendars(pavel)).find((c) => c.id === family.id)?.caldavUrl ?? '').pathname;
    const entry = (await homeListing(pavel)).find((r) => r.href === path);
    expect(privilegesOf(entry as never)).toEqual(
      expect.arrayContaining(['read', 'write-content', 'bind', 'unbind']),
    );
    const shareeToken = await syncToken(pavel, path);
    const put = await dav(pavel, 'PUT', `${path}dinner.ics`, event('dinner'), { 'if-none-match': '*' });
    expect(put.statusCode).toBe(201);
    expect(await changedSince(olga, ownerPath, ownerToken)).toEqual([`${ownerPath}dinner.ics`]);
    // The sharee's own client syncs the calendar under its name in the sharee's home.
    expect(await changedSince(pavel, path, shareeToken)).toEqual([`${path}dinner.ics`]);
    const ownerGet = await dav(olga, 'GET', `${ownerPath}dinner.ics`);
    expect(ownerGet.statusCode).toBe(200);
    expect(ownerGet.body).toContain('UID:dinner');
  });

  it('answers someone the calendar is not shared with as if it did not exist', async () => {
    expectProblem(await call(rita, 'GET', `/api/calendars/${family.id}/shares`), 404, 'calendar-not-found');
    expectProblem(
      await call(rita, 'POST', `/api/calendars/${family.id}/shares`, {
        telegramId: rita.id,
        access: 'write',
      }),
      404,
      'calendar-not-found',
    );
    expectProblem(
      await call(rita, 'PATCH', `/api/calendars/${family.id}/shares/${share.id}`, { access: 'read' }),
      404,
      'calendar-not-found',
    );
    expectProblem(
      await call(rita, 'DELETE', `/api/calendars/${family.id}/shares/${share.id}`),
      404,
      'calendar-not-found',
    );
    expectProblem(await call(rita, 'POST', `/api/shares/${share.id}/accept`), 404, 'share-not-found');
    expectProblem(await call(rita, 'POST', `/api/shares/${share.id}/decline`), 404, 'share-not-found');
    expect(((await call(rita, 'GET', '/api/shares')).json() as { shares: Share[] }).shares).toEqual([]);
    const pavelPath = new URL((await calendars(pavel)).find((c) => c.id === family.id)?.caldavUrl ?? '')
      .pathname;
    expect((await dav(rita, 'GET', `${pavelPath}dinner.ics`)).statusCode).toBe(404);
    expect(
      (await dav(rita, 'PROPFIND', pavelPath, propfindBody('<d:displayname/>'), { depth: '0' })).statusCode,
    ).toBe(404);
    const ritaCopy = `/calendars/${rita.id}/${pavelPath.split('/')[3]}/`;
    expect(
      (await dav(rita, 'PROPFIND', ritaCopy, propfindBody('<d:displayname/>'), { depth: '0' })).statusCode,
    ).toBe(404);
    expect(
      (
        await call(
          rita,
          'GET',
          `/api/events?start=2026-05-01T00:00:00Z&end=2026-05-08T00:00:00Z&calendarId=${family.id}`,
        )
      ).statusCode,
    ).toBe(404);
    // A share with the owner herself, an unknown person or twice is refused and stores nothing.
    expectProblem(
      await call(olga, 'POST', `/api/calendars/${family.id}/shares`, { telegramId: olga.id, access: 'read' }),
      400,
    );
    expectProblem(
      await call(olga, 'POST', `/api/calendars/${family.id}/shares`, { telegramId: 999_999, access: 'read' }),
      404,
      'user-not-found',
    );
    expectProblem(
      await call(olga, 'POST', `/api/calendars/${family.id}/shares`, {
        telegramId: pavel.id,
        access: 'read',
      }),
      409,
      'share-exists',
    );
    expectProblem(await call(olga, 'POST', `/api/calendars/${family.id}/shares`, { access: 'read' }), 400);
    const shares = (await call(olga, 'GET', `/api/calendars/${family.id}/shares`)).json() as {
      shares: Share[];
    };
    expect(shares.shares.map((s) => s.id)).toEqual([share.id]);
  });

  it('takes the calendar away on revocation at the next request, cached answers included', async () => {
    const path = new URL((await calendars(pavel)).find((c) => c.id === family.id)?.caldavUrl ?? '').pathname;
    expect((await dav(pavel, 'GET', `${path}dinner.ics`)).statusCode).toBe(200); // now cached
    const revoked = await call(olga, 'DELETE', `/api/calendars/${family.id}/shares/${share.id}`);
    expect(revoked.statusCode).toBe(204);
    expect((await dav(pavel, 'GET', `${path}dinner.ics`)).statusCode).toBe(404);
    expect((await calendars(pavel)).map((c) => c.id)).not.toContain(family.id);
    const agenda = (
      await call(pavel, 'GET', '/api/events?start=2026-05-01T00:00:00Z&end=2026-05-08T00:00:00Z')
    ).json() as { occurrences: unknown[] };
    expect(agenda.occurrences).toEqual([]);
    const audit = await suite.database.db
      .selectFrom('audit_log')
      .select(['operation', 'changed_columns'])
      .where('table_name', '=', 'calendar_shares')
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.operation)).toEqual(['insert', 'update', 'update', 'delete']);
  });

  it('gives an invite link to whoever opens it first, who may decline, and lets a sharee leave over CalDAV', async () => {
    const invite = await call(olga, 'POST', `/api/calendars/${family.id}/invites`, { access: 'write' });
    expect(invite.statusCode).toBe(201);
    const { startParameter, share: offered } = invite.json() as { startParameter: string; share: Share };
    expect(offered.sharee).toBeNull();
    const secret = startParameter.replace(/^share_/, '');
    const claimed = await suite.server.services.sharing.claimInvite(rita.id, secret);
    expect(claimed).toMatchObject({ id: offered.id, status: 'pending', sharee: { telegramId: rita.id } });
    await expect(suite.server.services.sharing.claimInvite(pavel.id, secret)).rejects.toMatchObject({
      reason: 'share-not-found',
    });
    expect((await call(rita, 'POST', `/api/shares/${offered.id}/decline`)).statusCode).toBe(204);
    expect(((await call(rita, 'GET', '/api/shares')).json() as { shares: Share[] }).shares).toEqual([]);

    const again = (
      await call(olga, 'POST', `/api/calendars/${family.id}/shares`, {
        username: '@pavel_reader',
        access: 'write',
      })
    ).json() as Share;
    await call(pavel, 'POST', `/api/shares/${again.id}/accept`);
    const path = new URL((await calendars(pavel)).find((c) => c.id === family.id)?.caldavUrl ?? '').pathname;
    expect((await dav(pavel, 'DELETE', path)).statusCode).toBe(204);
    expect((await calendars(pavel)).map((c) => c.id)).not.toContain(family.id);
    expect((await calendars(olga)).map((c) => c.id)).toContain(family.id); // the owner's calendar stays
    const events = (
      await call(
        olga,
        'GET',
        `/api/events?start=2026-03-01T00:00:00Z&end=2026-06-01T00:00:00Z&calendarId=${family.id}`,
      )
    ).json() as { occurrences: { summary: string }[] };
    expect(events.occurrences).toHaveLength(2);
  });

  // ---- a group's calendar (issue 14 item 2): the bot's side is in test/integration/bot/group-calendar.test.ts

  const hikers = { chatId: -4_900_001, title: 'Hiking club' };
  const admin = { id: 5511, username: 'hike_admin' };
  const walker = { id: 5512, username: 'hike_walker' };
  let club: Calendar;

  it("gives a group's members its calendar in their CalDAV homes and keeps everyone else out", async () => {
    for (const user of [admin, walker]) {
      await suite.server.services.accounts.ensureUser({ telegramId: user.id, username: user.username });
    }
    const { groups } = suite.server.services;
    const { group } = await groups.create(hikers, { telegramId: admin.id, admin: true });
    await groups.join(hikers.chatId, { telegramId: walker.id, admin: false });
    club = (await calendars(walker)).find((c) => c.name === 'Hiking club') as Calendar;
    expect(club).toMatchObject({ access: 'write', readOnly: false });

    const path = new URL(club.caldavUrl).pathname;
    const entry = (await homeListing(walker)).find((r) => r.href === path);
    // Named after the group, which is also who shares it: no "Hiking club (Hiking club)".
    expect(entry?.props.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Hiking club');
    expect(privilegesOf(entry as never)).toEqual(expect.arrayContaining(['write-content', 'bind', 'unbind']));
    expect(entry?.props.get(`{${DAV_NS}}owner`)?.element.children[0]?.text).toBe(
      `/principals/${group.groupId}/`,
    );
    const adminPath = new URL((await calendars(admin)).find((c) => c.id === club.id)?.caldavUrl ?? '')
      .pathname;
    const adminToken = await syncToken(admin, adminPath);

    expect(
      (await dav(walker, 'PUT', `${path}ridge.ics`, event('ridge'), { 'if-none-match': '*' })).statusCode,
    ).toBe(201);
    expect(await changedSince(admin, adminPath, adminToken)).toEqual([`${adminPath}ridge.ics`]);

    // Nobody reaches the group's own home, members included; outsiders see nothing anywhere.
    for (const user of [walker, rita]) {
      const home = await dav(
        user,
        'PROPFIND',
        `/calendars/${group.groupId}/`,
        propfindBody('<d:displayname/>'),
        {
          depth: '1',
        },
      );
      expect(home.statusCode).toBe(404);
      expect(home.body).not.toContain('Hiking club');
    }
    expect((await dav(rita, 'GET', `${path}ridge.ics`)).statusCode).toBe(404);
    expect((await calendars(rita)).map((c) => c.id)).not.toContain(club.id);
    // The group's calendar is nobody's to rename, share or manage: not even its admin's.
    expectProblem(await call(admin, 'GET', `/api/calendars/${club.id}/shares`), 403, 'not-calendar-owner');
    expectProblem(
      await call(walker, 'PATCH', `/api/calendars/${club.id}`, { name: 'Mine' }),
      403,
      'not-calendar-owner',
    );
    expectProblem(await call(rita, 'GET', `/api/calendars/${club.id}/shares`), 404, 'calendar-not-found');
  });

  it('refuses members their writes once an admin makes it read-only, but not the admins', async () => {
    await suite.server.services.groups.setMemberAccess(hikers.chatId, 'read', [admin.id]);
    expect((await calendars(walker)).find((c) => c.id === club.id)).toMatchObject({
      access: 'read',
      readOnly: true,
    });
    const path = new URL(club.caldavUrl).pathname;
    const put = await dav(walker, 'PUT', `${path}sneaky.ics`, event('sneaky'), { 'if-none-match': '*' });
    expect(put.statusCode).toBe(403);
    expect(put.body).toContain('need-privileges');
    expect((await dav(walker, 'DELETE', `${path}ridge.ics`)).statusCode).toBe(403);
    const adminPath = new URL((await calendars(admin)).find((c) => c.id === club.id)?.caldavUrl ?? '')
      .pathname;
    expect(
      (await dav(admin, 'PUT', `${adminPath}summit.ics`, event('summit'), { 'if-none-match': '*' }))
        .statusCode,
    ).toBe(201);
    expect((await dav(walker, 'GET', `${path}sneaky.ics`)).statusCode).toBe(404);
  });

  it('takes the calendar away from a member who leaves, and from everyone when the bot leaves, at the next request', async () => {
    const { groups } = suite.server.services;
    const path = new URL(club.caldavUrl).pathname;
    expect((await dav(walker, 'GET', `${path}ridge.ics`)).statusCode).toBe(200); // now cached
    expect(await groups.leave(hikers.chatId, walker.id)).toBe(true);
    expect((await dav(walker, 'GET', `${path}ridge.ics`)).statusCode).toBe(404);
    expect((await calendars(walker)).map((c) => c.id)).not.toContain(club.id);

    const adminPath = new URL((await calendars(admin)).find((c) => c.id === club.id)?.caldavUrl ?? '')
      .pathname;
    expect((await dav(admin, 'GET', `${adminPath}ridge.ics`)).statusCode).toBe(200);
    expect(await groups.botLeft(hikers.chatId)).toBe(1);
    expect((await dav(admin, 'GET', `${adminPath}ridge.ics`)).statusCode).toBe(404);
    await expect(groups.join(hikers.chatId, { telegramId: walker.id, admin: false })).rejects.toMatchObject({
      reason: 'group-not-found',
    });
  });
});
