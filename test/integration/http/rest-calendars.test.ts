import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { restAndCaldavPerFile } from './rest-caldav-support.ts';
import { expectProblem } from './rest-support.ts';

const ivan = { id: 4401, username: 'ivan' };
const judy = { id: 4402, username: 'judy' };
const karl = { id: 4403, username: 'karl' };
const lena = { id: 4404, username: 'lena' };

interface Calendar {
  id: string;
  name: string;
  color: string | null;
  caldavUrl: string;
  isDefault: boolean;
}

describe(`REST: several calendars [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();

  const call = (
    user: { id: number },
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => suite.server.rest(user, method, url, payload ? { payload } : {});
  const calendars = async (user: { id: number }) =>
    (await call(user, 'GET', '/api/calendars')).json() as Calendar[];
  const week = '?start=2026-05-01T00:00:00Z&end=2026-05-08T00:00:00Z';
  const meeting = { summary: 'Choir', start: '2026-05-04T18:00:00Z', end: '2026-05-04T19:00:00Z' };

  async function caldavGet(user: { id: number }, url: string) {
    const { password } = await suite.server.services.devices.createDevice(user.id, `client ${Math.random()}`);
    return suite.server.app.inject({
      method: 'GET',
      url: new URL(url).pathname,
      headers: { authorization: `Basic ${Buffer.from(`${user.id}:${password}`).toString('base64')}` },
    });
  }

  it('makes, lists, renames and recolours a second calendar', async () => {
    const [home] = await calendars(ivan);
    const created = await call(ivan, 'POST', '/api/calendars', { name: 'Choir', color: '#3366CC' });
    expect(created.statusCode).toBe(201);
    const choir = created.json() as Calendar;
    expect(choir).toMatchObject({ name: 'Choir', color: '#3366CC' });
    expect((await calendars(ivan)).map((c) => c.id)).toEqual([home?.id, choir.id]);

    const renamed = await call(ivan, 'PATCH', `/api/calendars/${choir.id}`, {
      name: 'Choir 2026',
      color: '#AA0000',
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: choir.id, name: 'Choir 2026', color: '#AA0000' });
    expect((await calendars(ivan)).find((c) => c.id === choir.id)?.name).toBe('Choir 2026');
  });

  it('writes an event into the calendar named, lists and filters by it, and serves it over CalDAV there', async () => {
    const [home, choir] = await calendars(ivan);
    if (!home || !choir) throw new Error('two calendars expected');
    const inChoir = await call(ivan, 'POST', '/api/events', { ...meeting, calendarId: choir.id });
    expect(inChoir.statusCode).toBe(201);
    const event = inChoir.json() as { id: string; uid: string; calendarId: string };
    expect(event.calendarId).toBe(choir.id);
    const atHome = await call(ivan, 'POST', '/api/events', { ...meeting, summary: 'Dentist' });
    expect(atHome.json().calendarId).toBe(home.id);

    const all = (await call(ivan, 'GET', `/api/events${week}`)).json().occurrences as {
      summary: string;
      calendarId: string;
    }[];
    expect(all.map((o) => [o.summary, o.calendarId]).sort()).toEqual([
      ['Choir', choir.id],
      ['Dentist', home.id],
    ]);
    const filtered = (await call(ivan, 'GET', `/api/events${week}&calendarId=${choir.id}`)).json()
      .occurrences;
    expect(filtered.map((o: { summary: string }) => o.summary)).toEqual(['Choir']);

    const overCaldav = await caldavGet(ivan, `${choir.caldavUrl}${event.uid}.ics`);
    expect(overCaldav.statusCode).toBe(200);
    expect(overCaldav.body).toContain('SUMMARY:Choir');
    expect((await caldavGet(ivan, `${home.caldavUrl}${event.uid}.ics`)).statusCode).toBe(404);
  });

  it('deletes a calendar with its events, but never the default one', async () => {
    const [home, choir] = await calendars(ivan);
    if (!home || !choir) throw new Error('two calendars expected');
    expectProblem(
      await call(ivan, 'DELETE', `/api/calendars/${home.id}`),
      403,
      'default-calendar-undeletable',
    );
    expect((await call(ivan, 'DELETE', `/api/calendars/${choir.id}`)).statusCode).toBe(204);
    expect((await calendars(ivan)).map((c) => c.id)).toEqual([home.id]);
    const left = (await call(ivan, 'GET', `/api/events${week}`)).json().occurrences;
    expect(left.map((o: { summary: string }) => o.summary)).toEqual(['Dentist']);
    expectProblem(
      await call(ivan, 'GET', `/api/events${week}&calendarId=${choir.id}`),
      404,
      'calendar-not-found',
    );
  });

  it('moves an event to another calendar with PATCH calendarId: gone there, here with a new id, both revisions advance', async () => {
    const [home] = await calendars(karl);
    const work = (await call(karl, 'POST', '/api/calendars', { name: 'Work' })).json() as Calendar;
    const created = (await call(karl, 'POST', '/api/events', meeting)).json() as {
      id: string;
      uid: string;
      etag: string;
    };
    const before = (await calendars(karl)) as (Calendar & { syncRevision: number })[];

    expectProblem(
      await suite.server.rest(karl, 'PATCH', `/api/events/${created.id}`, {
        payload: { calendarId: work.id },
        headers: { 'if-match': '"stale"' },
      }),
      412,
      'etag-mismatch',
    );
    const moved = await suite.server.rest(karl, 'PATCH', `/api/events/${created.id}`, {
      payload: { calendarId: work.id, summary: 'Standup' },
      headers: { 'if-match': created.etag },
    });
    expect(moved.statusCode).toBe(200);
    const event = moved.json() as { id: string; uid: string; calendarId: string; summary: string };
    expect(event).toMatchObject({ uid: created.uid, calendarId: work.id, summary: 'Standup' });
    expect((await call(karl, 'GET', `/api/events/${created.id}`)).statusCode).toBe(404);

    const listed = (await call(karl, 'GET', `/api/events${week}`)).json().occurrences;
    expect(listed.map((o: { eventId: string; calendarId: string }) => [o.eventId, o.calendarId])).toEqual([
      [event.id, work.id],
    ]);
    const after = (await calendars(karl)) as (Calendar & { syncRevision: number })[];
    for (const calendar of after) {
      const was = before.find((c) => c.id === calendar.id)?.syncRevision ?? 0;
      expect(calendar.syncRevision).toBeGreaterThan(was);
    }
    expect((await caldavGet(karl, `${work.caldavUrl}${created.uid}.ics`)).body).toContain('SUMMARY:Standup');
    expect((await caldavGet(karl, `${home?.caldavUrl}${created.uid}.ics`)).statusCode).toBe(404);
  });

  it("answers 404 for another user's calendar, everywhere", async () => {
    await calendars(judy);
    const judys = (await call(judy, 'POST', '/api/calendars', { name: 'Private' })).json() as Calendar;
    expectProblem(
      await call(ivan, 'PATCH', `/api/calendars/${judys.id}`, { name: 'Mine now' }),
      404,
      'calendar-not-found',
    );
    expectProblem(await call(ivan, 'DELETE', `/api/calendars/${judys.id}`), 404, 'calendar-not-found');
    expectProblem(
      await call(ivan, 'POST', '/api/events', { ...meeting, calendarId: judys.id }),
      404,
      'calendar-not-found',
    );
    expectProblem(
      await call(ivan, 'GET', `/api/events${week}&calendarId=${judys.id}`),
      404,
      'calendar-not-found',
    );
    const ivans = (await call(ivan, 'POST', '/api/events', { ...meeting, summary: 'Mine' })).json() as {
      id: string;
    };
    expectProblem(
      await call(ivan, 'PATCH', `/api/events/${ivans.id}`, { calendarId: judys.id }),
      404,
      'calendar-not-found',
    );
    expect((await call(ivan, 'GET', `/api/events/${ivans.id}`)).statusCode).toBe(200);
    expectProblem(await call(ivan, 'DELETE', '/api/calendars/not-a-calendar'), 404, 'calendar-not-found');
    expect((await calendars(judy)).find((c) => c.id === judys.id)?.name).toBe('Private');
  });

  it('refuses a bad colour or an empty name as a 400 naming the field', async () => {
    const badColour = await call(ivan, 'POST', '/api/calendars', { name: 'Gym', color: 'red' });
    expectProblem(badColour, 400);
    expect(badColour.body).toContain('color');
    const [home] = await calendars(ivan);
    const emptyName = await call(ivan, 'PATCH', `/api/calendars/${home?.id}`, { name: ' ' });
    expectProblem(emptyName, 400);
    expect(emptyName.body).toContain('name');
    expect(await calendars(ivan)).toHaveLength(1);
  });

  it('makes another calendar the default: new events without calendarId go there', async () => {
    const [home] = await calendars(lena);
    expect(home).toMatchObject({ isDefault: true });
    const work = (await call(lena, 'POST', '/api/calendars', { name: 'Work' })).json() as Calendar;
    expect(work).toMatchObject({ isDefault: false });

    const made = await call(lena, 'PATCH', `/api/calendars/${work.id}`, { isDefault: true });
    expect(made.statusCode).toBe(200);
    expect(made.json()).toMatchObject({ name: 'Work', isDefault: true });
    expect((await calendars(lena)).map((c) => [c.name, c.isDefault])).toEqual([
      [home?.name, false],
      ['Work', true],
    ]);
    const created = await call(lena, 'POST', '/api/events', meeting);
    expect(created.json()).toMatchObject({ calendarId: work.id });

    // A tasks-only calendar cannot be the default for events: refused, nothing changes.
    const chores = (
      await call(lena, 'POST', '/api/calendars', { name: 'Chores', components: ['VTODO'] })
    ).json() as Calendar;
    expectProblem(
      await call(lena, 'PATCH', `/api/calendars/${chores.id}`, { isDefault: true, name: 'Renamed' }),
      400,
      'unsupported-component',
    );
    expect((await calendars(lena)).map((c) => [c.name, c.isDefault])).toEqual([
      [home?.name, false],
      ['Work', true],
      ['Chores', false],
    ]);

    // Deleting the default calendar hands the default back to the first one.
    expect((await call(lena, 'DELETE', `/api/calendars/${work.id}`)).statusCode).toBe(204);
    expect((await calendars(lena)).find((c) => c.isDefault)?.id).toBe(home?.id);
  });

  it('an events-only calendar takes events, and the 51st calendar is refused', async () => {
    const eventsOnly = await call(ivan, 'POST', '/api/calendars', { name: 'Events', components: ['VEVENT'] });
    expect(eventsOnly.statusCode).toBe(201);
    const id = (eventsOnly.json() as Calendar).id;
    expect((await call(ivan, 'POST', '/api/events', { ...meeting, calendarId: id })).statusCode).toBe(201);
    for (let n = (await calendars(ivan)).length; n < 50; n++) {
      expect((await call(ivan, 'POST', '/api/calendars', { name: `Project ${n}` })).statusCode).toBe(201);
    }
    expectProblem(
      await call(ivan, 'POST', '/api/calendars', { name: 'One too many' }),
      403,
      'calendar-limit-reached',
    );
  });
});
