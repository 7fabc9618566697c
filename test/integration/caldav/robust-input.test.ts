import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type CaldavHarness, DAV_NS, parseMultistatus, startCaldavHarness } from './caldav-harness.ts';

const calendarUrl = '/calendars/1001/default/';

describe(`CalDAV robust input [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
  });
  afterAll(async () => {
    await dav.close();
  });

  const propfind = (body: string) => dav.request('PROPFIND', calendarUrl, { headers: { depth: '0' }, body });

  it('refuses an external entity (XXE) with 400 and never reads the file', async () => {
    const response = await propfind(
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&xxe;</d:displayname></d:prop></d:propfind>',
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('root:');
    expect(response.body).toContain('DOCTYPE');
  });

  it('refuses a billion-laughs body with 400', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let level = 1; level < 10; level++) {
      entities.push(`<!ENTITY lol${level} "${`&lol${level === 1 ? '' : level - 1};`.repeat(10)}">`);
    }
    const response = await propfind(
      `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&lol9;</d:displayname></d:prop></d:propfind>`,
    );
    expect(response.statusCode).toBe(400);
  });

  it('refuses an undeclared entity reference with 400', async () => {
    const response = await propfind('<d:propfind xmlns:d="DAV:"><d:prop>&nope;</d:prop></d:propfind>');
    expect(response.statusCode).toBe(400);
  });

  it('refuses a body nested deeper than the cap with 400', async () => {
    const depth = 200;
    const body = `<d:propfind xmlns:d="DAV:">${'<d:x>'.repeat(depth)}${'</d:x>'.repeat(depth)}</d:propfind>`;
    const response = await propfind(body);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nested too deeply');
  });

  it('refuses a body with more elements than the cap with 400', async () => {
    const response = await propfind(
      `<d:propfind xmlns:d="DAV:"><d:prop>${'<d:displayname/>'.repeat(25_000)}</d:prop></d:propfind>`,
    );
    expect(response.statusCode).toBe(400);
  });

  it('answers a body far above the size cap with 413 and a DAV:error body', async () => {
    const response = await propfind(`<d:propfind xmlns:d="DAV:">${' '.repeat(5 * 1024 * 1024)}</d:propfind>`);
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('<d:error');
  });

  it('answers malformed XML with 400 and a DAV:error body', async () => {
    for (const body of [
      '<d:propfind xmlns:d="DAV:"><d:prop>',
      '<propfind>',
      'not xml at all',
      '<x:propfind/>',
    ]) {
      const response = await propfind(body);
      expect(response.statusCode, body).toBe(400);
      expect(response.body).toContain('<d:error');
    }
  });

  it('reads any namespace prefix or a default namespace the same way', async () => {
    for (const body of [
      '<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>',
      '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>',
      '<zz:propfind xmlns:zz="DAV:"><zz:prop><displayname xmlns="DAV:"/></zz:prop></zz:propfind>',
    ]) {
      const response = await propfind(body);
      expect(response.statusCode, body).toBe(207);
      expect(
        parseMultistatus(response.body).responses[0]?.props.get(`{${DAV_NS}}displayname`)?.status,
      ).toContain('200');
    }
  });

  it('reads a body sent without a Content-Type header', async () => {
    const user = dav.users.alice;
    const response = await dav.app.inject({
      method: 'PROPFIND' as 'GET',
      url: calendarUrl,
      headers: {
        depth: '0',
        authorization: `Basic ${Buffer.from(`${user.id}:${user.password}`).toString('base64')}`,
      },
      payload: '<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>',
    });
    expect(response.statusCode).toBe(207);
  });

  it('answers an unknown report with 403 supported-report, not 500', async () => {
    const response = await dav.request('REPORT', calendarUrl, {
      body: '<d:expand-property xmlns:d="DAV:"/>',
    });
    expect(response.statusCode).toBe(403);
  });

  it('answers a bad time range with 403 valid-filter, not 500', async () => {
    const response = await dav.request('REPORT', calendarUrl, {
      body: '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="yesterday"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>',
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('valid-filter');
  });

  it('caps the expansion of an unbounded hourly series', async () => {
    const daily = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Test//EN',
      'BEGIN:VEVENT',
      'UID:daily-forever',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20250601T090000Z',
      'DTEND:20250601T091500Z',
      'RRULE:FREQ=HOURLY',
      'SUMMARY:Every hour',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    expect((await dav.request('PUT', `${calendarUrl}forever.ics`, { body: daily })).statusCode).toBe(201);
    const response = await dav.request('REPORT', calendarUrl, {
      body: '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="20260101T000000Z" end="20270101T000000Z"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20260101T000000Z" end="20270101T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>',
    });
    expect(response.statusCode).toBe(207);
    const instances = response.body.match(/BEGIN:VEVENT/g)?.length ?? 0;
    expect(instances).toBeGreaterThan(0);
    expect(instances).toBeLessThanOrEqual(3_000);
  });

  it('stores a daily rule that runs until 9999-12-31 on both engines (its series has no end the index can hold)', async () => {
    const until = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Test//EN',
      'BEGIN:VEVENT',
      'UID:until-9999',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260601T090000Z',
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;UNTIL=99991231T235959Z',
      'SUMMARY:For ever and a day',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    expect((await dav.request('PUT', `${calendarUrl}until-9999.ics`, { body: until })).statusCode).toBe(201);
    const stored = await dav.request('GET', `${calendarUrl}until-9999.ics`);
    expect(stored.body).toBe(until);
  });

  it('answers an expansion over the years 1 to 9999 without a 500', async () => {
    const response = await dav.request('REPORT', calendarUrl, {
      body: '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="00010101T000000Z" end="99991231T235959Z"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="00010101T000000Z" end="99991231T235959Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>',
    });
    expect(response.statusCode).toBeLessThan(500);
  });
});
