import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const calendarUrl = '/calendars/1001/default/';
const CS_NS = 'http://calendarserver.org/ns/';
const ICAL_NS = 'http://apple.com/ns/ical/';

describe(`CalDAV properties [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
  });
  afterAll(async () => {
    await dav.close();
  });

  async function calendarProps(props: string) {
    const response = await dav.request('PROPFIND', calendarUrl, {
      headers: { depth: '0' },
      body: propfindBody(props),
    });
    expect(response.statusCode).toBe(207);
    const [calendar] = parseMultistatus(response.body).responses;
    if (!calendar) throw new Error('no response');
    return calendar.props;
  }

  async function tokens() {
    const props = await calendarProps('<cs:getctag/><d:sync-token/>');
    return {
      ctag: props.get(`{${CS_NS}}getctag`)?.element.text,
      sync: props.get(`{${DAV_NS}}sync-token`)?.element.text,
    };
  }

  it('answers the properties Thunderbird and DAVx5 read on a calendar', async () => {
    const props = await calendarProps(
      '<d:resourcetype/><d:owner/><d:current-user-principal/><d:current-user-privilege-set/><d:supported-report-set/>' +
        '<c:supported-calendar-component-set/><cs:getctag/><d:sync-token/><c:max-resource-size/><d:displayname/>',
    );
    for (const [name, prop] of props) expect(prop.status, name).toContain('200');
    const reports = props
      .get(`{${DAV_NS}}supported-report-set`)
      ?.element.children.map((supported) => supported.children[0]?.children[0]?.name);
    expect(reports).toEqual(
      expect.arrayContaining([
        `{${CALDAV_NS}}calendar-query`,
        `{${CALDAV_NS}}calendar-multiget`,
        `{${DAV_NS}}sync-collection`,
        `{${CALDAV_NS}}free-busy-query`,
      ]),
    );
    const privileges = props
      .get(`{${DAV_NS}}current-user-privilege-set`)
      ?.element.children.map((p) => p.children[0]?.name);
    expect(privileges).toEqual(expect.arrayContaining([`{${DAV_NS}}write`, `{${DAV_NS}}write-content`]));
    const components = props
      .get(`{${CALDAV_NS}}supported-calendar-component-set`)
      ?.element.children.map((c) => c.attributes.name);
    expect(components).toEqual(expect.arrayContaining(['VEVENT', 'VTODO']));
  });

  it('answers unknown properties with a 404 propstat, never failing the request', async () => {
    const props = await calendarProps(
      '<cs:pushkey/><d:quota-available-bytes/><x:bulk-requests xmlns:x="http://me.com/_namespace/"/><d:displayname/>',
    );
    expect(props.get(`{${CS_NS}}pushkey`)?.status).toContain('404');
    expect(props.get('{http://me.com/_namespace/}bulk-requests')?.status).toContain('404');
    expect(props.get(`{${DAV_NS}}displayname`)?.status).toContain('200');
  });

  it('drops 404 propstats when the client asks for Prefer: return=minimal', async () => {
    const response = await dav.request('PROPFIND', calendarUrl, {
      headers: { depth: '0', prefer: 'return=minimal' },
      body: propfindBody('<cs:pushkey/><d:displayname/>'),
    });
    expect(response.body).not.toContain('404');
    expect(response.body).toContain('displayname');
  });

  it('persists PROPPATCH of displayname, colour (#RRGGBBAA), order, description and timezone', async () => {
    const tz =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n';
    const response = await dav.request('PROPPATCH', calendarUrl, {
      body: `<?xml version="1.0"?><A:propertyupdate xmlns:A="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/"><A:set><A:prop><A:displayname>Work</A:displayname><I:calendar-color>#FF2968FF</I:calendar-color><I:calendar-order>3</I:calendar-order><C:calendar-description>Team things</C:calendar-description><C:calendar-timezone>${tz}</C:calendar-timezone></A:prop></A:set></A:propertyupdate>`,
    });
    expect(response.statusCode).toBe(207);
    const [result] = parseMultistatus(response.body).responses;
    for (const [name, prop] of result?.props ?? []) expect(prop.status, name).toContain('200');

    const props = await calendarProps(
      '<d:displayname/><ical:calendar-color/><ical:calendar-order/><c:calendar-description/><c:calendar-timezone/>',
    );
    expect(props.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Work');
    expect(props.get(`{${ICAL_NS}}calendar-color`)?.element.text).toBe('#FF2968FF');
    expect(props.get(`{${ICAL_NS}}calendar-order`)?.element.text).toBe('3');
    expect(props.get(`{${CALDAV_NS}}calendar-description`)?.element.text).toBe('Team things');
    expect(props.get(`{${CALDAV_NS}}calendar-timezone`)?.element.text).toContain('TZID:America/New_York');
  });

  it('stores #RRGGBB colours as sent', async () => {
    await dav.request('PROPPATCH', calendarUrl, {
      body: '<propertyupdate xmlns="DAV:"><set><prop><calendar-color xmlns="http://apple.com/ns/ical/">#00aa11</calendar-color></prop></set></propertyupdate>',
    });
    const props = await calendarProps('<ical:calendar-color/>');
    expect(props.get(`{${ICAL_NS}}calendar-color`)?.element.text).toBe('#00aa11');
  });

  it('applies PROPPATCH atomically: one protected property fails (403) and the rest report 424', async () => {
    const response = await dav.request('PROPPATCH', calendarUrl, {
      body: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Never</d:displayname><d:getetag>"x"</d:getetag></d:prop></d:set></d:propertyupdate>',
    });
    const [result] = parseMultistatus(response.body).responses;
    expect(result?.props.get(`{${DAV_NS}}getetag`)?.status).toContain('403');
    expect(result?.props.get(`{${DAV_NS}}displayname`)?.status).toContain('424');
    const props = await calendarProps('<d:displayname/>');
    expect(props.get(`{${DAV_NS}}displayname`)?.element.text).toBe('Work');
  });

  it('answers allprop with live properties and propname with names only', async () => {
    await dav.request('PUT', `${calendarUrl}allprop.ics`, { body: event('allprop-1') });
    const allprop = await dav.request('PROPFIND', `${calendarUrl}allprop.ics`, {
      headers: { depth: '0' },
      body: '<?xml version="1.0"?><propfind xmlns="DAV:"><allprop/></propfind>',
    });
    const [object] = parseMultistatus(allprop.body).responses;
    expect(object?.props.get(`{${DAV_NS}}getetag`)?.status).toContain('200');
    expect(object?.props.get(`{${DAV_NS}}getcontenttype`)?.element.text).toContain('text/calendar');

    const empty = await dav.request('PROPFIND', `${calendarUrl}allprop.ics`, { headers: { depth: '0' } });
    expect(parseMultistatus(empty.body).responses[0]?.props.has(`{${DAV_NS}}getetag`)).toBe(true);

    const propname = await dav.request('PROPFIND', calendarUrl, {
      headers: { depth: '0' },
      body: '<propfind xmlns="DAV:"><propname/></propfind>',
    });
    const [calendar] = parseMultistatus(propname.body).responses;
    expect(calendar?.props.has(`{${CS_NS}}getctag`)).toBe(true);
    expect(calendar?.props.get(`{${DAV_NS}}displayname`)?.element.text).toBe('');
  });

  it('lists members with getetag and getcontenttype at Depth 1', async () => {
    const response = await dav.request('PROPFIND', calendarUrl, {
      headers: { depth: '1' },
      body: propfindBody('<d:getetag/><d:getcontenttype/><d:resourcetype/><d:getcontentlength/>'),
    });
    const { responses } = parseMultistatus(response.body);
    const member = responses.find((r) => r.href.endsWith('allprop.ics'));
    expect(member?.props.get(`{${DAV_NS}}getetag`)?.element.text).toMatch(/^"[0-9a-f]{64}"$/);
    expect(member?.props.get(`{${DAV_NS}}getcontentlength`)?.element.text).toBe(
      String(Buffer.byteLength(event('allprop-1'))),
    );
  });

  it('changes getctag and sync-token on every write path: CalDAV PUT/DELETE and the app service (REST, bot, import)', async () => {
    const paths: Array<[string, () => Promise<unknown>]> = [
      ['caldav put', () => dav.request('PUT', `${calendarUrl}tokens.ics`, { body: event('tokens-1') })],
      ['caldav delete', () => dav.request('DELETE', `${calendarUrl}tokens.ics`)],
      [
        'service createEvent (REST, bot)',
        () =>
          dav.services.calendars.createEvent(1001, {
            summary: 'From the bot',
            start: new Date('2026-04-01T10:00:00Z'),
            end: new Date('2026-04-01T11:00:00Z'),
          }),
      ],
      [
        'service updateEvent (REST, bot)',
        async () => {
          const [created] = (
            await dav.services.calendars.listOccurrences(1001, {
              start: new Date('2026-04-01T00:00:00Z'),
              end: new Date('2026-04-02T00:00:00Z'),
            })
          ).occurrences;
          await dav.services.calendars.updateEvent(1001, created?.eventId ?? '', {
            summary: 'Renamed in the bot',
          });
        },
      ],
      [
        'service deleteEvent (REST, bot)',
        async () => {
          const [created] = (
            await dav.services.calendars.listOccurrences(1001, {
              start: new Date('2026-04-01T00:00:00Z'),
              end: new Date('2026-04-02T00:00:00Z'),
            })
          ).occurrences;
          await dav.services.calendars.deleteEvent(1001, created?.eventId ?? '');
        },
      ],
      [
        'service putObject (import)',
        () =>
          dav.services.calendars.putObject(
            1001,
            dav.users.alice.calendarId,
            'imported.ics',
            event('import-1'),
          ),
      ],
    ];
    for (const [name, write] of paths) {
      const before = await tokens();
      await write();
      const after = await tokens();
      expect(after.ctag, name).not.toBe(before.ctag);
      expect(after.sync, name).not.toBe(before.sync);
    }
  });
});
