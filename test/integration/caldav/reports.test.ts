import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import {
  CALDAV_NS,
  type CaldavHarness,
  DAV_NS,
  event,
  parseMultistatus,
  startCaldavHarness,
} from './caldav-harness.ts';

const calendarUrl = '/calendars/1001/default/';
const xmlns = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"';

// Weekly on Mondays 09:00 Berlin from 2 March 2026, 9 March excluded, 16 March moved to Wednesday.
const weekly = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Test//EN',
  'BEGIN:VEVENT',
  'UID:weekly-1',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T090000',
  'DTEND;TZID=Europe/Berlin:20260302T100000',
  'RRULE:FREQ=WEEKLY;COUNT=6',
  'EXDATE;TZID=Europe/Berlin:20260309T090000',
  'SUMMARY:Weekly planning',
  'ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:mailto:bob@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly-1',
  'DTSTAMP:20260101T000000Z',
  'RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000',
  'DTSTART;TZID=Europe/Berlin:20260318T140000',
  'DTEND;TZID=Europe/Berlin:20260318T150000',
  'SUMMARY:Weekly planning (moved)',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const todo = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//Test//EN',
  'BEGIN:VTODO',
  'UID:todo-1',
  'DTSTAMP:20260101T000000Z',
  'DUE:20260312T120000Z',
  'SUMMARY:File taxes',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

function query(filter: string, prop = '<d:getetag/>'): string {
  return `<?xml version="1.0"?><c:calendar-query ${xmlns}><d:prop>${prop}</d:prop><c:filter><c:comp-filter name="VCALENDAR">${filter}</c:comp-filter></c:filter></c:calendar-query>`;
}

describe(`CalDAV reports [${testEngine}]`, () => {
  let dav: CaldavHarness;

  beforeAll(async () => {
    dav = await startCaldavHarness();
    await dav.request('PUT', `${calendarUrl}weekly.ics`, { body: weekly });
    await dav.request('PUT', `${calendarUrl}todo.ics`, { body: todo });
    await dav.request('PUT', `${calendarUrl}single.ics`, {
      body: event('single-1', ['LOCATION:Café Müller'], '20260401T090000Z', '20260401T100000Z'),
    });
  });
  afterAll(async () => {
    await dav.close();
  });

  async function report(body: string, headers: Record<string, string> = { depth: '1' }) {
    const response = await dav.request('REPORT', calendarUrl, { body, headers });
    expect(response.statusCode, response.body).toBe(207);
    return parseMultistatus(response.body);
  }

  async function hrefsOf(body: string) {
    return (await report(body)).responses.map((r) => r.href.split('/').pop()).sort();
  }

  describe('calendar-multiget', () => {
    it('returns calendar-data and getetag for each href and 404 for missing or foreign ones', async () => {
      const { responses } = await report(
        `<c:calendar-multiget ${xmlns}><d:prop><d:getetag/><c:calendar-data/></d:prop>` +
          `<d:href>${calendarUrl}weekly.ics</d:href><d:href>${calendarUrl}missing.ics</d:href>` +
          '<d:href>/calendars/1002/default/weekly.ics</d:href><d:href>http://localhost/calendars/1001/default/todo.ics</d:href></c:calendar-multiget>',
      );
      expect(responses.map((r) => [r.href, r.status?.split(' ')[1] ?? '200'])).toEqual([
        [`${calendarUrl}weekly.ics`, '200'],
        [`${calendarUrl}missing.ics`, '404'],
        ['/calendars/1002/default/weekly.ics', '404'],
        [`${calendarUrl}todo.ics`, '200'],
      ]);
      expect(responses[0]?.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text).toBe(weekly);
      expect(responses[0]?.props.get(`{${DAV_NS}}getetag`)?.element.text).toMatch(/^"[0-9a-f]{64}"$/);
    });
  });

  describe('calendar-query', () => {
    it('matches a recurring event by its occurrences: EXDATE skipped, override applied', async () => {
      const range = (start: string, end: string) =>
        query(`<c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter>`);
      expect(await hrefsOf(range('20260309T000000Z', '20260310T000000Z'))).toEqual([]);
      expect(await hrefsOf(range('20260316T000000Z', '20260317T000000Z'))).toEqual([]);
      expect(await hrefsOf(range('20260318T000000Z', '20260319T000000Z'))).toEqual(['weekly.ics']);
      expect(await hrefsOf(range('20260323T070000Z', '20260323T090000Z'))).toEqual(['weekly.ics']);
      expect(await hrefsOf(range('20260301T000000Z', '20260501T000000Z'))).toEqual([
        'single.ics',
        'weekly.ics',
      ]);
    });

    it('filters by component type', async () => {
      expect(await hrefsOf(query('<c:comp-filter name="VTODO"/>'))).toEqual(['todo.ics']);
      expect(
        await hrefsOf(
          query(
            '<c:comp-filter name="VTODO"><c:time-range start="20260312T000000Z" end="20260313T000000Z"/></c:comp-filter>',
          ),
        ),
      ).toEqual(['todo.ics']);
    });

    it('matches text case-insensitively by default and exactly with i;octet', async () => {
      const text = (value: string, collation = '') =>
        query(
          `<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match${collation}>${value}</c:text-match></c:prop-filter></c:comp-filter>`,
        );
      expect(await hrefsOf(text('WEEKLY'))).toEqual(['weekly.ics']);
      expect(await hrefsOf(text('WEEKLY', ' collation="i;octet"'))).toEqual([]);
      expect(
        await hrefsOf(
          query(
            '<c:comp-filter name="VEVENT"><c:prop-filter name="LOCATION"><c:text-match>café</c:text-match></c:prop-filter></c:comp-filter>',
          ),
        ),
      ).toEqual(['single.ics']);
      expect(
        await hrefsOf(
          query(
            '<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match negate-condition="yes">weekly</c:text-match></c:prop-filter></c:comp-filter>',
          ),
        ),
      ).toEqual(['single.ics']);
    });

    it('supports is-not-defined and param-filter', async () => {
      expect(
        await hrefsOf(
          query(
            '<c:comp-filter name="VEVENT"><c:prop-filter name="LOCATION"><c:is-not-defined/></c:prop-filter></c:comp-filter>',
          ),
        ),
      ).toEqual(['weekly.ics']);
      expect(
        await hrefsOf(
          query(
            '<c:comp-filter name="VEVENT"><c:prop-filter name="ATTENDEE"><c:param-filter name="PARTSTAT"><c:text-match>accepted</c:text-match></c:param-filter></c:prop-filter></c:comp-filter>',
          ),
        ),
      ).toEqual(['weekly.ics']);
    });

    it('matches a VALARM time-range by the trigger times of the instances', async () => {
      await dav.request('PUT', `${calendarUrl}alarm.ics`, {
        body: event(
          'alarm-1',
          ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT30M', 'DESCRIPTION:Soon', 'END:VALARM'],
          '20260501T100000Z',
          '20260501T110000Z',
        ),
      });
      const alarmQuery = (start: string, end: string) =>
        query(
          `<c:comp-filter name="VEVENT"><c:comp-filter name="VALARM"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter>`,
        );
      expect(await hrefsOf(alarmQuery('20260501T092500Z', '20260501T093500Z'))).toEqual(['alarm.ics']);
      expect(await hrefsOf(alarmQuery('20260501T095000Z', '20260501T120000Z'))).toEqual([]);
      await dav.request('DELETE', `${calendarUrl}alarm.ics`);
    });

    it('refuses an unknown collation with 403 supported-collation and a bad filter with 403 valid-filter', async () => {
      const collation = await dav.request('REPORT', calendarUrl, {
        body: query(
          '<c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match collation="x;unknown">a</c:text-match></c:prop-filter></c:comp-filter>',
        ),
      });
      expect(collation.statusCode).toBe(403);
      expect(collation.body).toContain('supported-collation');
      const bad = await dav.request('REPORT', calendarUrl, {
        body: `<c:calendar-query ${xmlns}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VEVENT"/></c:filter></c:calendar-query>`,
      });
      expect(bad.statusCode).toBe(403);
      expect(bad.body).toContain('valid-filter');
    });

    it('expands a recurring event into UTC instances with the override and without the EXDATE', async () => {
      const { responses } = await report(
        query(
          '<c:comp-filter name="VEVENT"><c:time-range start="20260301T000000Z" end="20260325T000000Z"/></c:comp-filter>',
          '<c:calendar-data><c:expand start="20260301T000000Z" end="20260325T000000Z"/></c:calendar-data>',
        ),
      );
      const data = responses
        .find((r) => r.href.endsWith('weekly.ics'))
        ?.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text;
      expect(data).toBeDefined();
      expect(data).not.toContain('RRULE');
      expect(data).not.toContain('VTIMEZONE');
      expect(data?.match(/RECURRENCE-ID:/g)).toHaveLength(3);
      expect(data).toContain('DTSTART:20260302T080000Z');
      expect(data).toContain('DTSTART:20260318T130000Z');
      expect(data).toContain('DTSTART:20260323T080000Z');
      expect(data).not.toContain('20260309T080000Z');
    });

    it('keeps only the overrides in range with limit-recurrence-set', async () => {
      const { responses } = await report(
        query(
          '<c:comp-filter name="VEVENT"><c:time-range start="20260322T000000Z" end="20260401T000000Z"/></c:comp-filter>',
          '<c:calendar-data><c:limit-recurrence-set start="20260322T000000Z" end="20260401T000000Z"/></c:calendar-data>',
        ),
      );
      const data = responses
        .find((r) => r.href.endsWith('weekly.ics'))
        ?.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text;
      expect(data).toContain('RRULE:FREQ=WEEKLY');
      expect(data).not.toContain('RECURRENCE-ID');
    });

    it('returns partial calendar-data with only the requested components and properties', async () => {
      const { responses } = await report(
        query(
          '<c:comp-filter name="VEVENT"/>',
          '<c:calendar-data><c:comp name="VCALENDAR"><c:prop name="VERSION"/><c:comp name="VEVENT"><c:prop name="UID"/><c:prop name="SUMMARY"/></c:comp></c:comp></c:calendar-data>',
        ),
      );
      const data = responses
        .find((r) => r.href.endsWith('single.ics'))
        ?.props.get(`{${CALDAV_NS}}calendar-data`)?.element.text;
      expect(data).toContain('UID:single-1');
      expect(data).toContain('VERSION:2.0');
      expect(data).not.toContain('DTSTART');
      expect(data).not.toContain('PRODID');
    });
  });

  describe('free-busy-query', () => {
    it('returns a VFREEBUSY with the busy periods of the range', async () => {
      const response = await dav.request('REPORT', calendarUrl, {
        headers: { depth: '1' },
        body: `<c:free-busy-query ${xmlns}><c:time-range start="20260316T000000Z" end="20260320T000000Z"/></c:free-busy-query>`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/calendar');
      expect(response.body).toContain('BEGIN:VFREEBUSY');
      expect(response.body).toContain('FREEBUSY;FBTYPE=BUSY:20260318T130000Z/20260318T140000Z');
      expect(response.body).not.toContain('20260316T080000Z');
    });
  });

  describe('sync-collection', () => {
    const sync = (token: string, extra = '') =>
      `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level>${extra}<d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const tokenOf = (root: ReturnType<typeof parseMultistatus>['root']) =>
      root.children.find((c) => c.name === `{${DAV_NS}}sync-token`)?.text ?? '';

    it('lists every member with its etag for an empty token, whatever the Depth header', async () => {
      const { responses, root } = await report(sync(''), { depth: '1' });
      expect(responses.map((r) => r.href.split('/').pop()).sort()).toEqual([
        'single.ics',
        'todo.ics',
        'weekly.ics',
      ]);
      for (const response of responses) {
        expect(response.props.get(`{${DAV_NS}}getetag`)?.element.text).toMatch(/^"[0-9a-f]{64}"$/);
      }
      expect(tokenOf(root)).toMatch(/^https:\/\/televent\.app\/ns\/sync\//);
    });

    it('returns only changes and deletions (as 404) after a token', async () => {
      const initial = tokenOf((await report(sync(''))).root);
      await dav.request('PUT', `${calendarUrl}new.ics`, { body: event('new-1') });
      await dav.request('DELETE', `${calendarUrl}todo.ics`);
      const { responses, root } = await report(sync(initial), { depth: '0' });
      expect(responses.map((r) => [r.href.split('/').pop(), r.status?.split(' ')[1] ?? '200'])).toEqual([
        ['new.ics', '200'],
        ['todo.ics', '404'],
      ]);
      const next = tokenOf(root);
      expect(next).not.toBe(initial);
      expect((await report(sync(next))).responses).toEqual([]);
    });

    it('refuses an unknown or foreign token with 403 valid-sync-token', async () => {
      for (const token of [
        'https://televent.app/ns/sync/other/1',
        'garbage',
        'https://televent.app/ns/sync/x/999999',
      ]) {
        const response = await dav.request('REPORT', calendarUrl, { body: sync(token) });
        expect(response.statusCode, token).toBe(403);
        expect(response.body).toContain('valid-sync-token');
      }
      const current = tokenOf((await report(sync(''))).root);
      const future = current.replace(/\/(\d+)$/, (_m, n: string) => `/${Number(n) + 100}`);
      const response = await dav.request('REPORT', calendarUrl, { body: sync(future) });
      expect(response.statusCode).toBe(403);
    });

    it('honours DAV:limit with a 507 on the collection and a token that continues', async () => {
      const limit = '<d:limit><d:nresults>2</d:nresults></d:limit>';
      const first = await report(sync('', limit));
      const members = first.responses.filter((r) => !r.status?.includes('507'));
      expect(members).toHaveLength(2);
      expect(first.responses.find((r) => r.status?.includes('507'))?.href).toBe(calendarUrl);
      const second = await report(sync(tokenOf(first.root), limit));
      const seen = new Set([
        ...members.map((r) => r.href),
        ...second.responses.filter((r) => !r.status).map((r) => r.href),
      ]);
      expect([...seen].map((h) => h.split('/').pop()).sort()).toEqual([
        'new.ics',
        'single.ics',
        'weekly.ics',
      ]);
    });
  });
});
