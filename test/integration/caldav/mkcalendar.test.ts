import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxCalendarsPerUser } from '../../../src/app/calendar-collections.ts';
import { testEngine } from '../../support/test-database.ts';
import {
  CALDAV_NS,
  type CaldavHarness,
  DAV_NS,
  event,
  parseMultistatus,
  propfindBody,
  startCaldavHarness,
} from './caldav-harness.ts';

const home = '/calendars/1001/';
const CS_NS = 'http://calendarserver.org/ns/';
const ICAL_NS = 'http://apple.com/ns/ical/';

function mkcalendarBody(props: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:ical="http://apple.com/ns/ical/"><d:set><d:prop>${props}</d:prop></d:set></c:mkcalendar>`;
}

function proppatchBody(props: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><d:propertyupdate xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:ical="http://apple.com/ns/ical/"><d:set><d:prop>${props}</d:prop></d:set></d:propertyupdate>`;
}

function task(uid: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Test//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'SUMMARY:Buy milk',
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe(`CalDAV MKCALENDAR, PROPPATCH and DELETE of calendars [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
  });
  afterAll(async () => {
    await dav.close();
  });

  async function props(url: string, names: string) {
    const response = await dav.request('PROPFIND', url, {
      headers: { depth: '0' },
      body: propfindBody(names),
    });
    expect(response.statusCode).toBe(207);
    const [calendar] = parseMultistatus(response.body).responses;
    if (!calendar) throw new Error('no response');
    return calendar.props;
  }

  async function syncToken(url: string): Promise<string> {
    const token = (await props(url, '<d:sync-token/>')).get(`{${DAV_NS}}sync-token`)?.element.text;
    if (!token) throw new Error('no sync token');
    return token;
  }

  async function changedSince(url: string, token: string): Promise<string[]> {
    const response = await dav.request('REPORT', url, {
      body: `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
    });
    expect(response.statusCode).toBe(207);
    return parseMultistatus(response.body).responses.map((r) => r.href);
  }

  it('creates a second calendar with name, colour, description, components and time zone', async () => {
    const created = await dav.request('MKCALENDAR', `${home}work/`, {
      body: mkcalendarBody(
        '<d:displayname>Work</d:displayname><ical:calendar-color>#FF8800FF</ical:calendar-color>' +
          '<c:calendar-description>Office things</c:calendar-description>' +
          '<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>' +
          '<c:calendar-timezone>BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nEND:VTIMEZONE\r\nEND:VCALENDAR</c:calendar-timezone>',
      ),
    });
    expect(created.statusCode).toBe(201);

    const listing = await dav.request('PROPFIND', home, {
      headers: { depth: '1' },
      body: propfindBody('<d:displayname/>'),
    });
    const names = parseMultistatus(listing.body).responses.map(
      (r) => r.props.get(`{${DAV_NS}}displayname`)?.element.text,
    );
    expect(names).toEqual(expect.arrayContaining(['Televent', 'Work']));

    const work = await props(
      `${home}work/`,
      '<d:displayname/><ical:calendar-color/><c:calendar-description/><c:supported-calendar-component-set/><c:calendar-timezone/>',
    );
    expect(work.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Work');
    expect(work.get(`{${ICAL_NS}}calendar-color`)?.element.text).toBe('#FF8800FF');
    expect(work.get(`{${CALDAV_NS}}calendar-description`)?.element.text).toBe('Office things');
    expect(
      work
        .get(`{${CALDAV_NS}}supported-calendar-component-set`)
        ?.element.children.map((c) => c.attributes.name),
    ).toEqual(['VEVENT']);
    expect(work.get(`{${CALDAV_NS}}calendar-timezone`)?.element.text).toContain('TZID:Europe/Paris');
  });

  it('answers 405 when something already exists at the address', async () => {
    expect((await dav.request('MKCALENDAR', `${home}default/`)).statusCode).toBe(405);
    expect((await dav.request('MKCALENDAR', `${home}work/`)).statusCode).toBe(405);
  });

  it('creates a calendar with extended MKCOL (RFC 5689), taking events and tasks by default', async () => {
    const created = await dav.request('MKCOL', `${home}mkcol-made/`, {
      body: `<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype><d:displayname>Made by MKCOL</d:displayname></d:prop></d:set></d:mkcol>`,
    });
    expect(created.statusCode).toBe(201);
    const made = await props(`${home}mkcol-made/`, '<d:displayname/><c:supported-calendar-component-set/>');
    expect(made.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Made by MKCOL');
    expect(
      made
        .get(`{${CALDAV_NS}}supported-calendar-component-set`)
        ?.element.children.map((c) => c.attributes.name),
    ).toEqual(['VEVENT', 'VTODO']);
    // A plain collection is not something Televent stores.
    const plain = await dav.request('MKCOL', `${home}folder/`);
    expect(plain.statusCode).toBe(403);
    expect(plain.body).toContain('calendar-collection-location-ok');
  });

  it('refuses invalid values and creates nothing', async () => {
    const badColour = await dav.request('MKCALENDAR', `${home}bad/`, {
      body: mkcalendarBody(
        '<d:displayname>Bad</d:displayname><ical:calendar-color>orange</ical:calendar-color>',
      ),
    });
    expect(badColour.statusCode).toBe(403);
    expect(badColour.body).toContain('mkcalendar-response');
    expect(badColour.body).toContain('424');
    const longName = await dav.request('MKCALENDAR', `${home}bad/`, {
      body: mkcalendarBody(`<d:displayname>${'x'.repeat(201)}</d:displayname>`),
    });
    expect(longName.statusCode).toBe(403);
    const journalsOnlyBad = await dav.request('MKCALENDAR', `${home}bad/`, {
      body: mkcalendarBody(
        '<c:supported-calendar-component-set><c:comp name="VCARD"/></c:supported-calendar-component-set>',
      ),
    });
    expect(journalsOnlyBad.statusCode).toBe(403);
    expect(journalsOnlyBad.body).toContain('supported-calendar-component');
    expect((await dav.request('PROPFIND', `${home}bad/`, { headers: { depth: '0' } })).statusCode).toBe(404);
    // Another user's home is answered like an absent one.
    expect((await dav.request('MKCALENDAR', '/calendars/1002/sneaky/')).statusCode).toBe(404);
  });

  it('renames, recolours and reorders with PROPPATCH, and refuses a bad colour', async () => {
    const patched = await dav.request('PROPPATCH', `${home}work/`, {
      body: proppatchBody(
        '<d:displayname>Job</d:displayname><ical:calendar-color>#112233</ical:calendar-color><ical:calendar-order>3</ical:calendar-order>',
      ),
    });
    expect(patched.statusCode).toBe(207);
    const work = await props(`${home}work/`, '<d:displayname/><ical:calendar-color/><ical:calendar-order/>');
    expect(work.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Job');
    expect(work.get(`{${ICAL_NS}}calendar-color`)?.element.text).toBe('#112233');
    expect(work.get(`{${ICAL_NS}}calendar-order`)?.element.text).toBe('3');
    const bad = await dav.request('PROPPATCH', `${home}work/`, {
      body: proppatchBody('<ical:calendar-color>#12</ical:calendar-color>'),
    });
    expect(
      parseMultistatus(bad.body).responses[0]?.props.get(`{${ICAL_NS}}calendar-color`)?.status,
    ).toContain('409');
  });

  it('keeps events in each calendar apart, each with its own sync token and ctag', async () => {
    const defaultUrl = `${home}default/`;
    const workUrl = `${home}work/`;
    const defaultToken = await syncToken(defaultUrl);
    const workToken = await syncToken(workUrl);
    const workCtag = (await props(workUrl, '<cs:getctag/>')).get(`{${CS_NS}}getctag`)?.element.text;

    expect((await dav.request('PUT', `${workUrl}meeting.ics`, { body: event('work-1') })).statusCode).toBe(
      201,
    );
    expect(await changedSince(workUrl, workToken)).toEqual([`${workUrl}meeting.ics`]);
    expect(await changedSince(defaultUrl, defaultToken)).toEqual([]);
    expect((await props(workUrl, '<cs:getctag/>')).get(`{${CS_NS}}getctag`)?.element.text).not.toBe(workCtag);

    // The same UID may live in two calendars: each is its own collection.
    expect((await dav.request('PUT', `${defaultUrl}home.ics`, { body: event('work-1') })).statusCode).toBe(
      201,
    );
    expect(await changedSince(defaultUrl, defaultToken)).toEqual([`${defaultUrl}home.ics`]);
    expect(await changedSince(workUrl, await syncToken(workUrl))).toEqual([]);
  });

  it('refuses a task in an events-only calendar with supported-calendar-component', async () => {
    const refused = await dav.request('PUT', `${home}work/milk.ics`, { body: task('milk-1') });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('supported-calendar-component');
    expect(
      (await dav.request('PUT', `${home}mkcol-made/milk.ics`, { body: task('milk-1') })).statusCode,
    ).toBe(201);
  });

  it('deletes a calendar with its objects and pending reminders, and keeps the default one', async () => {
    const alarmed = event(
      'reminded',
      // An absolute trigger: its write is re-planned however far away the event is.
      ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER;VALUE=DATE-TIME:20990310T084500Z', 'END:VALARM'],
      '20990310T090000Z',
      '20990310T100000Z',
    );
    expect((await dav.request('PUT', `${home}work/alarm.ics`, { body: alarmed })).statusCode).toBe(201);
    const db = dav.database.db;
    const pendingAbout = async () =>
      (
        await db
          .selectFrom('outbox_messages')
          .select(['kind'])
          .where('user_id', '=', dav.users.alice.id)
          .where('status', '=', 'pending')
          .where('kind', '=', 'calendar.object-changed')
          .execute()
      ).length;
    expect(await pendingAbout()).toBeGreaterThan(0);
    const reminded = await db
      .selectFrom('calendar_objects')
      .select('id')
      .where('uid', '=', 'reminded')
      .executeTakeFirstOrThrow();
    const plan = await dav.services.reminderPlanning.planEvent(
      { userId: dav.users.alice.id, objectId: reminded.id },
      { start: new Date('2099-03-01T00:00:00Z'), end: new Date('2099-04-01T00:00:00Z') },
    );
    expect(plan.planned).toBe(1);
    const pendingReminders = async () =>
      (
        await db
          .selectFrom('outbox_messages')
          .select('id')
          .where('kind', '=', 'reminder.send')
          .where('status', '=', 'pending')
          .where('dedupe_key', 'like', `reminder:${reminded.id}:%`)
          .execute()
      ).length;
    expect(await pendingReminders()).toBe(1);

    expect((await dav.request('DELETE', `${home}work/`)).statusCode).toBe(204);
    expect((await dav.request('PROPFIND', `${home}work/`, { headers: { depth: '0' } })).statusCode).toBe(404);
    expect((await dav.request('GET', `${home}work/meeting.ics`)).statusCode).toBe(404);
    const leftObjects = await db
      .selectFrom('calendar_objects')
      .select('id')
      .where('uid', '=', 'reminded')
      .execute();
    expect(leftObjects).toEqual([]);
    expect(await pendingReminders()).toBe(0);
    // The default calendar's own pending job (home.ics) survives; the deleted calendar's are cancelled.
    const cancelled = await db
      .selectFrom('outbox_messages')
      .select('payload')
      .where('status', '=', 'cancelled')
      .where('kind', '=', 'calendar.object-changed')
      .execute();
    expect(cancelled.length).toBeGreaterThan(0);
    expect(await dav.request('GET', `${home}default/home.ics`).then((r) => r.statusCode)).toBe(200);

    const refused = await dav.request('DELETE', `${home}default/`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('need-privileges');
    // The address is free again.
    expect((await dav.request('MKCALENDAR', `${home}work/`)).statusCode).toBe(201);
    expect(await syncToken(`${home}work/`)).toBeDefined();
  });

  it(`allows at most ${maxCalendarsPerUser} calendars per user`, async () => {
    const existing = (await dav.services.calendars.listCalendars(dav.users.bob.id)).length;
    for (let n = existing; n < maxCalendarsPerUser; n++) {
      await dav.services.calendarCollections.createCalendar(dav.users.bob.id, { slug: `c${n}` });
    }
    const refused = await dav.request('MKCALENDAR', '/calendars/1002/one-too-many/', { as: 'bob' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('calendar-collection-location-ok');
    expect(refused.body).toContain('50 calendars');
  });
});
