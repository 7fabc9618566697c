import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icalFixture } from '../../fixtures/ical/index.ts';
import { testEngine } from '../../support/test-database.ts';
import { CALDAV_NS, type CaldavHarness, parseMultistatus, startCaldavHarness } from './caldav-harness.ts';

// calendar-query keeps the occurrences of recently queried objects in memory (src/app/occurrence-cache.ts);
// these tests make sure a query always answers for what is stored now and for the zone it names.

const calendarUrl = '/calendars/1001/default/';
const xmlns = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"';

function series(extra: string[], summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Test//EN',
    'BEGIN:VEVENT',
    'UID:edited-series',
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Europe/Berlin:20260601T090000',
    'DTEND;TZID=Europe/Berlin:20260601T100000',
    'RRULE:FREQ=WEEKLY',
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function query(start: string, end: string, data = '<c:calendar-data/>', timezone = ''): string {
  return `<?xml version="1.0"?><c:calendar-query ${xmlns}><d:prop><d:getetag/>${data}</d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter>${timezone}</c:calendar-query>`;
}

describe(`CalDAV calendar-query after edits [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
  });
  afterAll(async () => {
    await dav.close();
  });

  async function dataByHref(body: string): Promise<Map<string, string>> {
    const response = await dav.request('REPORT', calendarUrl, { body, headers: { depth: '1' } });
    expect(response.statusCode, response.body).toBe(207);
    return new Map(
      parseMultistatus(response.body).responses.map((r) => [
        r.href.split('/').pop() ?? '',
        r.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text ?? '',
      ]),
    );
  }

  it('answers with the edited series after a PUT, never with what was queried before', async () => {
    const original = series([], 'Weekly sync');
    expect((await dav.request('PUT', `${calendarUrl}series.ics`, { body: original })).statusCode).toBe(201);
    const week = query('20260615T000000Z', '20260622T000000Z');
    const expandWeek = query(
      '20260601T000000Z',
      '20260622T000000Z',
      '<c:calendar-data><c:expand start="20260601T000000Z" end="20260622T000000Z"/></c:calendar-data>',
    );
    expect((await dataByHref(week)).get('series.ics')).toBe(original);
    expect((await dataByHref(expandWeek)).get('series.ics')?.match(/BEGIN:VEVENT/g)).toHaveLength(3);

    // The 15 June instance is excluded now: that week no longer matches, the next one shows the edit.
    const edited = series(['EXDATE;TZID=Europe/Berlin:20260615T090000'], 'Weekly sync (edited)');
    expect((await dav.request('PUT', `${calendarUrl}series.ics`, { body: edited })).statusCode).toBe(204);
    expect((await dataByHref(week)).has('series.ics')).toBe(false);
    const next = await dataByHref(query('20260622T000000Z', '20260629T000000Z'));
    expect(next.get('series.ics')).toBe(edited);
    const expanded = (await dataByHref(expandWeek)).get('series.ics') ?? '';
    expect(expanded.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(expanded).not.toContain('DTSTART:20260615T070000Z');
    expect(expanded).toContain('SUMMARY:Weekly sync (edited)');

    expect((await dav.request('DELETE', `${calendarUrl}series.ics`)).statusCode).toBe(204);
    expect((await dataByHref(week)).has('series.ics')).toBe(false);
    expect((await dataByHref(query('20260622T000000Z', '20260629T000000Z'))).has('series.ics')).toBe(false);
  });

  it('reads the same floating event in the zone each request names', async () => {
    const floating = icalFixture('floating-time-series');
    expect((await dav.request('PUT', `${calendarUrl}floating.ics`, { body: floating })).statusCode).toBe(201);
    const zone = (tzid: string) =>
      `<c:timezone>BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:${tzid}\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n</c:timezone>`;
    // 23:30 on 2 July is 21:30Z in Berlin (summer) and 03:30Z on 3 July in New York.
    const berlinSlot = (tz: string) => query('20260702T210000Z', '20260702T220000Z', '', tz);
    const newYorkSlot = (tz: string) => query('20260703T030000Z', '20260703T040000Z', '', tz);
    for (let round = 0; round < 2; round++) {
      expect((await dataByHref(berlinSlot(zone('Europe/Berlin')))).has('floating.ics')).toBe(true);
      expect((await dataByHref(berlinSlot(zone('America/New_York')))).has('floating.ics')).toBe(false);
      expect((await dataByHref(newYorkSlot(zone('America/New_York')))).has('floating.ics')).toBe(true);
      expect((await dataByHref(newYorkSlot(zone('Europe/Berlin')))).has('floating.ics')).toBe(false);
    }
  });
});
