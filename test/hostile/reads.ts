import { icalUtc } from './ical-text.ts';

// The reads a calendar app (and the web app) makes over a calendar that holds stored hostile
// objects. Each must answer — 2xx, or a 4xx/507 naming the limit — without stalling anyone.

export type ReadRequest =
  | { kind: 'dav'; method: 'PROPFIND' | 'REPORT'; path: string; depth: '0' | '1'; body: string }
  | { kind: 'rest'; path: string };

export interface ReadContext {
  calendarPath: string;
  /** Names of the stored hostile objects (for calendar-multiget). */
  hrefNames: readonly string[];
  now: Date;
}

export interface HostileRead {
  slug: string;
  title: string;
  request(context: ReadContext): ReadRequest;
}

const xmlHead = '<?xml version="1.0" encoding="utf-8"?>';
const namespaces = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"';

/** The week from today 00:00 UTC: the SECONDLY series are live all through it. */
export function oneWeek(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}

function calendarQuery(week: { start: Date; end: Date }, expand: boolean): string {
  const range = `start="${icalUtc(week.start)}" end="${icalUtc(week.end)}"`;
  const data = expand ? `<c:calendar-data><c:expand ${range}/></c:calendar-data>` : '<c:calendar-data/>';
  return `${xmlHead}<c:calendar-query ${namespaces}><d:prop><d:getetag/>${data}</d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range ${range}/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
}

function weekRange(now: Date): string {
  const week = oneWeek(now);
  return `start="${icalUtc(week.start)}" end="${icalUtc(week.end)}"`;
}

export const storedHostileReads: readonly HostileRead[] = [
  {
    slug: 'calendar-query-week',
    title: 'a calendar-query REPORT with a one-week time range',
    request: ({ calendarPath, now }) => ({
      kind: 'dav',
      method: 'REPORT',
      path: calendarPath,
      depth: '1',
      body: calendarQuery(oneWeek(now), false),
    }),
  },
  {
    slug: 'calendar-query-week-expand',
    title: 'a calendar-query REPORT with a one-week time range and <C:expand>',
    request: ({ calendarPath, now }) => ({
      kind: 'dav',
      method: 'REPORT',
      path: calendarPath,
      depth: '1',
      body: calendarQuery(oneWeek(now), true),
    }),
  },
  {
    slug: 'calendar-query-valarm-week',
    title: 'a calendar-query REPORT for events with an alarm firing this week (VALARM time-range)',
    request: ({ calendarPath, now }) => ({
      kind: 'dav',
      method: 'REPORT',
      path: calendarPath,
      depth: '1',
      body: `${xmlHead}<c:calendar-query ${namespaces}><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:comp-filter name="VALARM"><c:time-range ${weekRange(now)}/></c:comp-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
    }),
  },
  {
    slug: 'free-busy-week',
    title: 'a free-busy-query REPORT over one week',
    request: ({ calendarPath, now }) => ({
      kind: 'dav',
      method: 'REPORT',
      path: calendarPath,
      depth: '1',
      body: `${xmlHead}<c:free-busy-query ${namespaces}><c:time-range ${weekRange(now)}/></c:free-busy-query>`,
    }),
  },
  {
    slug: 'propfind-depth-1',
    title: 'a PROPFIND Depth 1 of the calendar',
    request: ({ calendarPath }) => ({
      kind: 'dav',
      method: 'PROPFIND',
      path: calendarPath,
      depth: '1',
      body: `${xmlHead}<d:propfind ${namespaces}><d:prop><d:getetag/><d:getcontenttype/><d:resourcetype/></d:prop></d:propfind>`,
    }),
  },
  {
    slug: 'multiget-stored',
    title: 'a calendar-multiget of every stored hostile object, with calendar-data',
    request: ({ calendarPath, hrefNames }) => ({
      kind: 'dav',
      method: 'REPORT',
      path: calendarPath,
      depth: '1',
      body: `${xmlHead}<c:calendar-multiget ${namespaces}><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefNames
        .map((name) => `<d:href>${calendarPath}${encodeURIComponent(name)}</d:href>`)
        .join('')}</c:calendar-multiget>`,
    }),
  },
  {
    slug: 'rest-events-week',
    title: 'REST GET /api/events over one week',
    request: ({ now }) => {
      const week = oneWeek(now);
      return {
        kind: 'rest',
        path: `/api/events?start=${week.start.toISOString()}&end=${week.end.toISOString()}`,
      };
    },
  },
];
