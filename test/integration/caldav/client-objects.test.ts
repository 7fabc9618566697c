import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IcalFixtureName, icalFixture } from '../../fixtures/ical/index.ts';
import { testEngine } from '../../support/test-database.ts';
import {
  CALDAV_NS,
  type CaldavHarness,
  DAV_NS,
  parseMultistatus,
  startCaldavHarness,
} from './caldav-harness.ts';

// Objects as real calendar apps PUT them (test/fixtures/ical/README.md), stored and queried through the
// CalDAV door. Alice's calendar is in Europe/Berlin, so floating and all-day times are read there
// (docs/caldav-client-quirks.md#floating-times).

const calendarUrl = '/calendars/1001/default/';
const xmlns = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"';

function query(filter: string, prop = '<d:getetag/>', timezone = ''): string {
  return `<?xml version="1.0"?><c:calendar-query ${xmlns}><d:prop>${prop}</d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${filter}</c:comp-filter></c:comp-filter></c:filter>${timezone}</c:calendar-query>`;
}

/** A CALDAV:timezone element naming `tzid` for floating times (RFC 4791 §9.8). */
const inZone = (tzid: string) =>
  `<c:timezone>BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:${tzid}\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n</c:timezone>`;

const timeRange = (start: string, end: string) => `<c:time-range start="${start}" end="${end}"/>`;

describe(`CalDAV with real client objects [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
  });
  afterAll(async () => {
    await dav.close();
  });

  async function put(name: IcalFixtureName, href: string): Promise<string> {
    const body = icalFixture(name);
    const response = await dav.request('PUT', `${calendarUrl}${href}`, {
      body,
      headers: { 'if-none-match': '*' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return body;
  }

  async function hrefsMatching(filter: string, timezone = ''): Promise<string[]> {
    const response = await dav.request('REPORT', calendarUrl, {
      body: query(filter, '<d:getetag/>', timezone),
      headers: { depth: '1' },
    });
    expect(response.statusCode, response.body).toBe(207);
    return parseMultistatus(response.body)
      .responses.map((r) => r.href.split('/').pop() ?? '')
      .sort();
  }

  it('keeps an Apple Calendar object byte for byte and expands its moved instance', async () => {
    const body = await put('apple-calendar-moved-instance', 'apple-moved.ics');
    const get = await dav.request('GET', `${calendarUrl}apple-moved.ics`);
    expect(get.rawPayload.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(get.headers.etag).toBe(`"${createHash('sha256').update(body).digest('hex')}"`);

    const response = await dav.request('REPORT', calendarUrl, {
      headers: { depth: '1' },
      body: query(
        timeRange('20260119T000000Z', '20260126T000000Z'),
        '<d:getetag/><c:calendar-data><c:expand start="20260119T000000Z" end="20260126T000000Z"/></c:calendar-data>',
      ),
    });
    const [item] = parseMultistatus(response.body).responses;
    expect(item?.href).toBe(`${calendarUrl}apple-moved.ics`);
    expect(item?.props.get(`{${DAV_NS}}getetag`)?.element.text).toBe(get.headers.etag);
    const data = item?.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text ?? '';
    // 22 January moved from 09:00 to 11:00 Berlin: one instance, at 10:00Z.
    expect(data.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(data).toContain('DTSTART:20260122T100000Z');
    expect(data).toContain('SUMMARY:Team sync (moved)');
    await dav.request('DELETE', `${calendarUrl}apple-moved.ics`);
  });

  it("finds Apple's all-day alarm at 09:00 the day before in the calendar's zone", async () => {
    await put('apple-calendar-all-day-floating-alarm', 'birthday.ics');
    const alarmAt = (start: string, end: string) =>
      hrefsMatching(`<c:comp-filter name="VALARM">${timeRange(start, end)}</c:comp-filter>`);
    // 09:00 on 30 April in Berlin (CEST) is 07:00Z; read as UTC it would be 09:00Z.
    expect(await alarmAt('20260430T065500Z', '20260430T070500Z')).toEqual(['birthday.ics']);
    expect(await alarmAt('20260430T085500Z', '20260430T090500Z')).toEqual([]);
    // The all-day event itself covers 1 May in Berlin: from 22:00Z on 30 April.
    expect(await hrefsMatching(timeRange('20260430T213000Z', '20260430T220100Z'))).toEqual(['birthday.ics']);
    await dav.request('DELETE', `${calendarUrl}birthday.ics`);
  });

  it("places Outlook's Windows-named zone at the right instant", async () => {
    await put('outlook-windows-zone-names', 'outlook.ics');
    // 09:00 "W. Europe Standard Time" on Tuesday 8 December is 08:00Z.
    expect(await hrefsMatching(timeRange('20261208T080000Z', '20261208T083000Z'))).toEqual(['outlook.ics']);
    expect(await hrefsMatching(timeRange('20261208T090000Z', '20261208T100000Z'))).toEqual([]);
    await dav.request('DELETE', `${calendarUrl}outlook.ics`);
  });

  it('reads an old Mozilla TZID without a VTIMEZONE as its IANA zone, at a Thunderbird <uid>.ics href', async () => {
    const href = '3f1c8a2e-1b7d-4c1e-9a57-0e2f2d4d9c11.ics';
    await put('thunderbird-mozilla-tzid', href);
    // 14:00 in Berlin in July is 12:00Z, whatever zone the request names for floating times
    // (read as floating in New York it would be 18:00Z).
    const newYork = inZone('America/New_York');
    expect(await hrefsMatching(timeRange('20260715T120000Z', '20260715T123000Z'), newYork)).toEqual([href]);
    expect(await hrefsMatching(timeRange('20260715T180000Z', '20260715T190000Z'), newYork)).toEqual([]);
    await dav.request('DELETE', `${calendarUrl}${href}`);
  });
});
