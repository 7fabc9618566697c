import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type CaldavHarness, event, startCaldavHarness } from './caldav-harness.ts';

const base = '/calendars/1001/default';

// Everything docs/caldav-client-quirks.md#round-trip-fidelity lists as lost by other servers, in one
// object with odd formatting.
const fidelityEvent = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'CALSCALE:GREGORIAN',
  'X-WR-CALNAME:Work',
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'DTSTART:19810329T020000',
  'TZNAME:CEST',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'DTSTART:19961027T030000',
  'TZNAME:CET',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:fidelity-1@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T090000',
  'DTEND;TZID=Europe/Berlin:20260302T093000',
  'RRULE:FREQ=WEEKLY;COUNT=10',
  'RDATE;TZID=Europe/Berlin:20260320T140000',
  'EXDATE;TZID=Europe/Berlin:20260309T090000',
  'SUMMARY:Weekly sync \\, with commas',
  'CATEGORIES:Work,Planning',
  'ATTENDEE;CN="Bob, Jr.";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com',
  'ORGANIZER;CN=Alice:mailto:alice@example.com',
  'X-CUSTOM-FIELD;X-PARAM=1:keep me',
  'COLOR:turquoise',
  'ATTACH;FMTTYPE=application/pdf:https://example.com/agenda.pdf',
  'RELATED-TO:parent-1@example.com',
  'DESCRIPTION:A long description that is folded across lines because it is lon',
  ' ger than seventy-five octets in total.',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'TRIGGER:-PT10M',
  'DESCRIPTION:Reminder',
  'X-WR-ALARMUID:alarm-1',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:fidelity-1@example.com',
  'DTSTAMP:20260101T000000Z',
  'RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000',
  'DTSTART;TZID=Europe/Berlin:20260316T110000',
  'DTEND;TZID=Europe/Berlin:20260316T113000',
  'SUMMARY:Moved once',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe(`CalDAV objects [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness({ limits: { maxResourceSize: 20_000 } });
  });
  afterAll(async () => {
    await dav.close();
  });

  it('creates with If-None-Match: * (201 + ETag) and returns the stored bytes unchanged on GET', async () => {
    const put = await dav.request('PUT', `${base}/fidelity.ics`, {
      body: fidelityEvent,
      headers: { 'if-none-match': '*' },
    });
    expect(put.statusCode).toBe(201);
    const expectedEtag = `"${createHash('sha256').update(fidelityEvent).digest('hex')}"`;
    expect(put.headers.etag).toBe(expectedEtag);
    const get = await dav.request('GET', `${base}/fidelity.ics`);
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(get.headers.etag).toBe(expectedEtag);
    expect(get.rawPayload.equals(Buffer.from(fidelityEvent, 'utf8'))).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await dav.request('HEAD', `${base}/fidelity.ics`);
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(fidelityEvent)));
    expect(head.body).toBe('');
  });

  it('answers 412 to If-None-Match: * when the href is taken', async () => {
    const put = await dav.request('PUT', `${base}/fidelity.ics`, {
      body: fidelityEvent,
      headers: { 'if-none-match': '*' },
    });
    expect(put.statusCode).toBe(412);
  });

  it('updates with a matching If-Match (204 + new ETag) and refuses a stale one with 412', async () => {
    const first = await dav.request('PUT', `${base}/update.ics`, { body: event('update-1') });
    expect(first.statusCode).toBe(201);
    const updated = event('update-1', ['LOCATION:Room 1']);
    const second = await dav.request('PUT', `${base}/update.ics`, {
      body: updated,
      headers: { 'if-match': String(first.headers.etag) },
    });
    expect(second.statusCode).toBe(204);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    const stale = await dav.request('PUT', `${base}/update.ics`, {
      body: event('update-1', ['LOCATION:Room 2']),
      headers: { 'if-match': String(first.headers.etag) },
    });
    expect(stale.statusCode).toBe(412);
    expect((await dav.request('GET', `${base}/update.ics`)).body).toBe(updated);
  });

  it('answers a replace with one exact If-Match as it answers any PUT when the calendar, text or tag is wrong', async () => {
    const first = await dav.request('PUT', `${base}/exact.ics`, { body: event('exact-1') });
    const tag = String(first.headers.etag);
    const cases: Array<[string, string, string, number]> = [
      ['/calendars/1001/no-such-calendar/exact.ics', event('exact-1'), tag, 404],
      [`${base}/exact.ics`, 'BEGIN:VCALENDAR\r\nnot a calendar\r\n', tag, 403],
      [`${base}/exact.ics`, event('another-uid'), tag, 403],
      [`${base}/not-stored.ics`, event('exact-2'), tag, 412],
      [`${base}/exact.ics`, event('exact-1', ['LOCATION:Weak']), `W/${tag}`, 412],
    ];
    for (const [path, body, ifMatch, status] of cases) {
      const put = await dav.request('PUT', path, { body, headers: { 'if-match': ifMatch } });
      expect([path, put.statusCode]).toEqual([path, status]);
    }
    expect((await dav.request('GET', `${base}/exact.ics`)).headers.etag).toBe(tag);
    expect((await dav.request('GET', `${base}/not-stored.ics`)).statusCode).toBe(404);
  });

  it('answers 304 to a GET whose If-None-Match names the current ETag', async () => {
    const head = await dav.request('HEAD', `${base}/update.ics`);
    const get = await dav.request('GET', `${base}/update.ics`, {
      headers: { 'if-none-match': String(head.headers.etag) },
    });
    expect(get.statusCode).toBe(304);
  });

  it('deletes only with a matching If-Match', async () => {
    const put = await dav.request('PUT', `${base}/delete-me.ics`, { body: event('delete-1') });
    const wrong = await dav.request('DELETE', `${base}/delete-me.ics`, { headers: { 'if-match': '"nope"' } });
    expect(wrong.statusCode).toBe(412);
    const right = await dav.request('DELETE', `${base}/delete-me.ics`, {
      headers: { 'if-match': String(put.headers.etag) },
    });
    expect(right.statusCode).toBe(204);
    expect((await dav.request('GET', `${base}/delete-me.ics`)).statusCode).toBe(404);
    expect((await dav.request('DELETE', `${base}/delete-me.ics`)).statusCode).toBe(404);
  });

  it('refuses the same UID at a second href with 403 no-uid-conflict naming the first href', async () => {
    await dav.request('PUT', `${base}/uid-a.ics`, { body: event('shared-uid') });
    const second = await dav.request('PUT', `${base}/uid-b.ics`, { body: event('shared-uid') });
    expect(second.statusCode).toBe(403);
    expect(second.body).toContain('no-uid-conflict');
    expect(second.body).toContain(`${base}/uid-a.ics`);
  });

  it('refuses a UID change of a stored resource with 403 no-uid-conflict', async () => {
    const response = await dav.request('PUT', `${base}/uid-a.ics`, { body: event('other-uid') });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('no-uid-conflict');
  });

  it('refuses invalid iCalendar with 403 valid-calendar-data and a readable reason', async () => {
    const response = await dav.request('PUT', `${base}/broken.ics`, {
      body: 'BEGIN:VCALENDAR\r\nthis is not ical\r\n',
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('valid-calendar-data');
    expect(response.body).toMatch(/<t:message>[^<]{10,}<\/t:message>/);
  });

  it('refuses an object without UID with 403 valid-calendar-data', async () => {
    const noUid = event('x').replace('UID:x\r\n', '');
    const response = await dav.request('PUT', `${base}/no-uid.ics`, { body: noUid });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('valid-calendar-data');
  });

  it('refuses an unsupported component with 403 supported-calendar-component', async () => {
    const card = event('fb-1').replace(/VEVENT/g, 'VFREEBUSY');
    const response = await dav.request('PUT', `${base}/freebusy.ics`, { body: card });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('supported-calendar-component');
  });

  it('refuses an object larger than max-resource-size with 403 max-resource-size', async () => {
    const big = event('big-1', [`DESCRIPTION:${'x'.repeat(30_000)}`]);
    const response = await dav.request('PUT', `${base}/big.ics`, { body: big });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('max-resource-size');
  });

  it('stores hrefs with encoded characters and UIDs containing "/" and "@"', async () => {
    const uid = 'team/meeting@example.com';
    const href = `${base}/${encodeURIComponent('team/meeting@example.com')}.ics`;
    const put = await dav.request('PUT', href, { body: event(uid) });
    expect(put.statusCode).toBe(201);
    expect((await dav.request('GET', href)).body).toBe(event(uid));
    const spaced = `${base}/with%20space%20%C3%A9.ics`;
    expect((await dav.request('PUT', spaced, { body: event('spaced-1') })).statusCode).toBe(201);
    expect((await dav.request('GET', spaced)).statusCode).toBe(200);
  });

  it('accepts Thunderbird-style <uid>.ics names', async () => {
    const uid = '3f1c8a2e-1b7d-4c1e-9a57-0e2f2d4d9c11';
    const response = await dav.request('PUT', `${base}/${uid}.ics`, { body: event(uid) });
    expect(response.statusCode).toBe(201);
  });

  it('refuses PUT on a collection with 405', async () => {
    const response = await dav.request('PUT', `${base}/`, { body: event('collection-1') });
    expect(response.statusCode).toBe(405);
  });
});
