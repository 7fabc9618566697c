import {
  calendarMultiGet,
  type DAVCalendar,
  type DAVClient,
  DAVNamespace,
  type DAVObject,
  getDAVAttribute,
} from 'tsdav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/test-database.ts';
import { ics } from './support/ics.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';
import { tsdavClient } from './support/tsdav-client.ts';

const completed = ['STATUS:COMPLETED', 'COMPLETED:20260309T080000Z', 'PERCENT-COMPLETE:100'];

function todo(uid: string, summary: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//tsdav interop//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DUE:20260312T170000Z',
    `SUMMARY:${summary}`,
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function namesOf(objects: readonly { url: string }[]): string[] {
  return objects.map((o) => o.url.split('/').pop() ?? '').sort();
}

describe(`tsdav against a running Televent [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let client: DAVClient;
  let calendar: DAVCalendar;

  beforeAll(async () => {
    server = await startCaldavServer();
    client = tsdavClient(server.baseUrl, server.user.id, server.user.password);
  });
  afterAll(async () => {
    await server.close();
  });

  it('discovers the principal, the home and the calendar from the server URL', async () => {
    await client.login();
    expect(client.account?.principalUrl).toBe(`${server.baseUrl}/principals/4242/`);
    expect(client.account?.homeUrl).toBe(`${server.baseUrl}/calendars/4242/`);
    const calendars = await client.fetchCalendars();
    expect(calendars).toHaveLength(1);
    calendar = calendars[0] as DAVCalendar;
    expect(calendar.url).toBe(`${server.baseUrl}/calendars/4242/default/`);
    expect(calendar.components).toEqual(expect.arrayContaining(['VEVENT']));
    expect(calendar.reports).toEqual(
      expect.arrayContaining(['syncCollection', 'calendarMultiget', 'calendarQuery']),
    );
    expect(calendar.syncToken).toBeTruthy();
  });

  it('creates, fetches, updates, refuses a stale update, and deletes an event', async () => {
    const created = await client.createCalendarObject({
      calendar,
      filename: 'tsdav-1.ics',
      iCalString: ics('tsdav-1', 'Created by tsdav'),
    });
    expect(created.status).toBe(201);
    const firstEtag = created.headers.get('etag');
    expect(firstEtag).toMatch(/^"[0-9a-f]{64}"$/);

    const objects = await client.fetchCalendarObjects({ calendar });
    const object = objects.find((o) => o.url.endsWith('/tsdav-1.ics'));
    // tsdav trims XML text nodes, so the final CRLF is gone on its side; GET tests check bytes.
    expect(object?.data?.trimEnd()).toBe(ics('tsdav-1', 'Created by tsdav').trimEnd());
    expect(object?.etag).toBe(firstEtag);

    const updated = await client.updateCalendarObject({
      calendarObject: {
        url: object?.url ?? '',
        etag: firstEtag ?? '',
        data: ics('tsdav-1', 'Updated by tsdav'),
      },
    });
    expect(updated.status).toBe(204);
    const stale = await client.updateCalendarObject({
      calendarObject: { url: object?.url ?? '', etag: firstEtag ?? '', data: ics('tsdav-1', 'Stale write') },
    });
    expect(stale.status).toBe(412);

    const [fresh] = await client.fetchCalendarObjects({ calendar, objectUrls: [object?.url ?? ''] });
    expect(fresh?.data).toContain('Updated by tsdav');
    const deleted = await client.deleteCalendarObject({
      calendarObject: { url: fresh?.url ?? '', etag: fresh?.etag ?? '' },
    });
    expect(deleted.status).toBe(204);
    expect(await client.fetchCalendarObjects({ calendar })).toEqual([]);
  });

  it('syncs a collection incrementally with sync-collection (smart collection sync)', async () => {
    const [current] = await client.fetchCalendars();
    const base = {
      ...(current as DAVCalendar),
      objects: await client.fetchCalendarObjects({ calendar }),
      objectMultiGet: calendarMultiGet,
    };
    await client.createCalendarObject({ calendar, filename: 'sync-a.ics', iCalString: ics('sync-a', 'A') });
    await client.createCalendarObject({ calendar, filename: 'sync-b.ics', iCalString: ics('sync-b', 'B') });
    const first = await client.smartCollectionSyncDetailed({ collection: base, method: 'webdav' });
    expect(first.objects.created.map((o) => o.url.split('/').pop()).sort()).toEqual([
      'sync-a.ics',
      'sync-b.ics',
    ]);

    // A write from another door (the bot, the web app) shows up in the next sync.
    await server.services.calendars.createEvent(4242, {
      summary: 'From the bot',
      start: new Date('2026-03-11T10:00:00Z'),
      end: new Date('2026-03-11T11:00:00Z'),
    });
    const objects = await client.fetchCalendarObjects({ calendar });
    const b = objects.find((o) => o.url.endsWith('/sync-b.ics'));
    await client.deleteCalendarObject({ calendarObject: { url: b?.url ?? '', etag: b?.etag ?? '' } });
    const second = await client.smartCollectionSyncDetailed({
      collection: { ...base, syncToken: first.syncToken, ctag: first.ctag, objects: [] },
      method: 'webdav',
    });
    expect(second.objects.created).toHaveLength(1);
    expect(second.objects.created[0]?.data).toContain('SUMMARY:From the bot');
    expect(second.objects.deleted.map((o) => o.url.split('/').pop())).toEqual(['sync-b.ics']);
    expect(second.syncToken).not.toBe(first.syncToken);
  });

  it('makes, renames, recolours and deletes a second calendar with events and tasks that syncs on its own', async () => {
    const workUrl = `${server.baseUrl}/calendars/4242/tsdav-work/`;
    const defaultUrl = `${server.baseUrl}/calendars/4242/default/`;
    const [made] = await client.makeCalendar({
      url: workUrl,
      props: {
        'd:displayname': 'Work',
        'ca:calendar-color': '#3366CCFF',
        'c:calendar-description': 'Made by tsdav',
        'c:supported-calendar-component-set': {
          'c:comp': [{ _attributes: { name: 'VEVENT' } }, { _attributes: { name: 'VTODO' } }],
        },
      },
    });
    expect(made?.status).toBe(201);
    let calendars = await client.fetchCalendars();
    const work = calendars.find((c) => c.url === workUrl) as DAVCalendar;
    const defaultCalendar = calendars.find((c) => c.url === defaultUrl) as DAVCalendar;
    expect(calendars).toHaveLength(2);
    expect(work.displayName).toBe('Work');
    expect(work.calendarColor).toBe('#3366CCFF');
    expect(work.components).toEqual(['VEVENT', 'VTODO']);
    expect(work.syncToken).not.toBe(defaultCalendar.syncToken);
    const defaultBefore = await everyObject(defaultCalendar);

    // An event and two tasks in the second calendar; each collection lists and syncs only its own.
    for (const [filename, text] of [
      ['work-1.ics', ics('work-1', 'At work')],
      ['work-task.ics', todo('work-task', 'Send the report', ['STATUS:NEEDS-ACTION'])],
      ['work-done.ics', todo('work-done', 'Book a room', completed)],
    ] as const) {
      const created = await client.createCalendarObject({ calendar: work, filename, iCalString: text });
      expect(created.status).toBe(201);
    }
    expect((await everyObject(work)).map((o) => o.name)).toEqual([
      'work-1.ics',
      'work-done.ics',
      'work-task.ics',
    ]);
    const firstSync = await syncFrom(work, work.syncToken);
    expect(namesOf(firstSync.objects.created)).toEqual(['work-1.ics', 'work-done.ics', 'work-task.ics']);
    const defaultSync = await syncFrom(defaultCalendar, defaultCalendar.syncToken);
    expect(defaultSync.objects.created).toEqual([]);
    expect(defaultSync.syncToken).toBe(defaultCalendar.syncToken);
    expect(firstSync.syncToken).not.toBe(defaultSync.syncToken);

    // Open tasks as Thunderbird asks for them (RFC 4791 §7.8.9), then the task completed.
    expect(await openTasks(workUrl)).toEqual(['work-task.ics']);
    const [task] = await client.fetchCalendarObjects({
      calendar: work,
      objectUrls: [`${workUrl}work-task.ics`],
    });
    const done = await client.updateCalendarObject({
      calendarObject: {
        url: task?.url ?? '',
        etag: task?.etag ?? '',
        data: todo('work-task', 'Send the report', completed),
      },
    });
    expect(done.status).toBe(204);
    expect(await openTasks(workUrl)).toEqual([]);
    const secondSync = await syncFrom(work, firstSync.syncToken, firstSync.objects.created);
    expect(namesOf(secondSync.objects.updated)).toEqual(['work-task.ics']);
    expect(secondSync.objects.updated[0]?.data).toContain('STATUS:COMPLETED');

    const [patched] = await client.davRequest({
      url: workUrl,
      init: {
        method: 'PROPPATCH',
        namespace: 'd',
        body: {
          propertyupdate: {
            _attributes: getDAVAttribute([DAVNamespace.DAV, DAVNamespace.CALDAV_APPLE]),
            set: { prop: { 'd:displayname': 'Job', 'ca:calendar-color': '#00AA00' } },
          },
        },
      },
    });
    expect(patched?.status).toBe(207);
    calendars = await client.fetchCalendars();
    expect(calendars.find((c) => c.url === workUrl)?.displayName).toBe('Job');
    expect(calendars.find((c) => c.url === workUrl)?.calendarColor).toBe('#00AA00');

    const deleted = await client.deleteObject({ url: workUrl });
    expect(deleted.status).toBe(204);
    calendars = await client.fetchCalendars();
    expect(calendars.map((c) => c.url)).toEqual([defaultUrl]);
    // The first calendar is untouched: same sync token, same objects and ETags.
    expect(calendars[0]?.syncToken).toBe(defaultCalendar.syncToken);
    expect(await everyObject(calendars[0] as DAVCalendar)).toEqual(defaultBefore);
  });

  /** Events and tasks of a calendar as href name and ETag (tsdav's default query asks for VEVENTs only). */
  async function everyObject(of: DAVCalendar): Promise<{ name: string; etag: string }[]> {
    const all = await client.calendarQuery({
      url: of.url,
      props: { 'd:getetag': {} },
      filters: { 'comp-filter': { _attributes: { name: 'VCALENDAR' } } },
      depth: '1',
    });
    return all
      .map((r) => ({ name: r.href?.split('/').pop() ?? '', etag: String(r.props?.getetag ?? '') }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async function openTasks(url: string): Promise<string[]> {
    const found = await client.calendarQuery({
      url,
      props: { 'd:getetag': {} },
      filters: {
        'comp-filter': {
          _attributes: { name: 'VCALENDAR' },
          'comp-filter': {
            _attributes: { name: 'VTODO' },
            'prop-filter': { _attributes: { name: 'COMPLETED' }, 'is-not-defined': {} },
          },
        },
      },
      depth: '1',
    });
    return found.map((r) => r.href?.split('/').pop() ?? '').sort();
  }

  /** sync-collection from `syncToken`, with `known` as the objects the client already holds. */
  function syncFrom(collection: DAVCalendar, syncToken: string | undefined, known: DAVObject[] = []) {
    return client.smartCollectionSyncDetailed({
      collection: { ...collection, syncToken, objects: known, objectMultiGet: calendarMultiGet },
      method: 'webdav',
    });
  }
});
