import { alarm, calendar, event, icalUtc, lines, repeat, timeZone } from './ical-text.ts';

// The named hostile inputs (docs/architecture.md#hostile-input-findings), shared by test/hostile/
// and `npm run bench:hostile`.
// Each PUT entry is one upload a user holding a single device password can make; every one
// must be refused with a 4xx before any expensive work, and nothing may be stored.

export interface HostilePut {
  /** Names the object (`<slug>.ics`) and the benchmark's table row. */
  slug: string;
  /** What refusing it protects, as the test names it. */
  title: string;
  /** The numbered finding (docs/architecture.md#hostile-input-findings) it reproduces. */
  finding: number;
  body(uid: string): string;
}

const start = 'DTSTART:20260301T100000Z';
const end = 'DTEND:20260301T110000Z';

/** A VTIMEZONE whose observance repeats at `rrule`, referenced by the event's DTSTART;TZID. */
function zoneReferencedByEvent(uid: string, tzid: string, dtstart: string, rrule: string): string {
  return calendar(
    timeZone(tzid, { dtstart, rrule }),
    event(uid, [`DTSTART;TZID=${tzid}:20260301T100000`, `DTEND;TZID=${tzid}:20260301T110000`]),
  );
}

/** DTSTART of day `i` of a daily series starting 2026-03-01 10:00 UTC. */
function day(i: number): string {
  return icalUtc(new Date(Date.UTC(2026, 2, 1 + i, 10)));
}

export const hostilePuts: readonly HostilePut[] = [
  // Finding 1: time-zone rules expanded without bound.
  {
    slug: 'vtimezone-secondly-1601',
    title: 'a VTIMEZONE observance repeating every second from 1601 (the 367-byte process killer)',
    finding: 1,
    body: (uid) => zoneReferencedByEvent(uid, 'Hostile/Seconds', '16010101T000000', 'FREQ=SECONDLY'),
  },
  {
    slug: 'vtimezone-daily-1601',
    title: 'a VTIMEZONE observance repeating daily from 1601',
    finding: 1,
    body: (uid) => zoneReferencedByEvent(uid, 'Hostile/Days', '16010101T000000', 'FREQ=DAILY'),
  },
  {
    slug: 'vtimezone-hourly-2000',
    title: 'a VTIMEZONE observance repeating hourly from 2000',
    finding: 1,
    body: (uid) => zoneReferencedByEvent(uid, 'Hostile/Hours', '20000101T000000', 'FREQ=HOURLY'),
  },
  // Finding 2: durations walked one unit at a time.
  {
    slug: 'duration-99999999999w',
    title: 'DURATION:P99999999999W (the 176-byte event-loop freeze)',
    finding: 2,
    body: (uid) => calendar(event(uid, [start, 'DURATION:P99999999999W'])),
  },
  {
    slug: 'duration-10000000w',
    title: 'DURATION:P10000000W',
    finding: 2,
    body: (uid) => calendar(event(uid, [start, 'DURATION:P10000000W'])),
  },
  {
    slug: 'duration-100000000w',
    title: 'DURATION:P100000000W',
    finding: 2,
    body: (uid) => calendar(event(uid, [start, 'DURATION:P100000000W'])),
  },
  {
    slug: 'trigger-minus-99999999w',
    title: 'a VALARM with TRIGGER:-P99999999W',
    finding: 2,
    body: (uid) => calendar(event(uid, [start, end], [alarm('-P99999999W')])),
  },
  // Finding 3: recurrence rules finer or more numerous than any calendar needs.
  {
    slug: 'rrule-secondly-x2000',
    title: '2,000 RRULE:FREQ=SECONDLY lines in one VEVENT',
    finding: 3,
    body: (uid) => calendar(event(uid, [start, end, ...repeat(2_000, () => 'RRULE:FREQ=SECONDLY')])),
  },
  {
    slug: 'rrule-secondly',
    title: 'a single RRULE:FREQ=SECONDLY (refused for new data)',
    finding: 3,
    body: (uid) => calendar(event(uid, [start, end, 'RRULE:FREQ=SECONDLY'])),
  },
  {
    slug: 'rrule-minutely',
    title: 'a single RRULE:FREQ=MINUTELY (refused for new data)',
    finding: 3,
    body: (uid) => calendar(event(uid, [start, end, 'RRULE:FREQ=MINUTELY'])),
  },
  {
    slug: 'rrule-secondly-until-9999',
    title: 'RRULE:FREQ=SECONDLY;UNTIL=99991231T235959Z',
    finding: 7,
    body: (uid) => calendar(event(uid, [start, end, 'RRULE:FREQ=SECONDLY;UNTIL=99991231T235959Z'])),
  },
  // Finding 4: alarms that poison reminder planning.
  {
    slug: 'valarm-x5000-daily',
    title: '5,000 VALARMs on a FREQ=DAILY event',
    finding: 4,
    body: (uid) =>
      calendar(
        event(
          uid,
          [start, end, 'RRULE:FREQ=DAILY'],
          repeat(5_000, (i) => alarm(`-PT${i + 1}M`)),
        ),
      ),
  },
  {
    slug: 'valarm-x200',
    title: '200 VALARMs on one event',
    finding: 4,
    body: (uid) =>
      calendar(
        event(
          uid,
          [start, end, 'RRULE:FREQ=DAILY'],
          repeat(200, (i) => alarm(`-PT${i + 1}M`)),
        ),
      ),
  },
  // Finding 5: one time zone per property fills the zone cache and burns CPU.
  {
    slug: 'tzid-unknown-x15000',
    title: '15,000 distinct unknown TZIDs (one EXDATE each)',
    finding: 5,
    body: (uid) =>
      calendar(
        event(uid, [
          start,
          end,
          'RRULE:FREQ=DAILY;COUNT=10',
          ...repeat(15_000, (i) => `EXDATE;TZID=Zone/${i}:20260302T100000`),
        ]),
      ),
  },
  {
    slug: 'tzid-own-vtimezone-x5000',
    title: '5,000 distinct TZIDs each with its own VTIMEZONE (as many as fit in 1 MB)',
    finding: 5,
    body: (uid) =>
      calendar(
        ...repeat(5_000, (i) => timeZone(`Zone/${i}`, { dtstart: '19700101T000000' })),
        event(uid, [
          start,
          end,
          'RRULE:FREQ=DAILY;COUNT=10',
          ...repeat(5_000, (i) => `EXDATE;TZID=Zone/${i}:20260302T100000`),
        ]),
      ),
  },
  // Findings 7 and 9: values that are not what RFC 5545 allows.
  {
    slug: 'summary-nul',
    title: 'a NUL byte inside SUMMARY',
    finding: 7,
    body: (uid) => calendar(event(uid, [start, end], [], 'before\u0000after')),
  },
  {
    slug: 'text-bare-cr',
    title: 'a bare CR inside a TEXT value',
    finding: 9,
    body: (uid) => calendar(event(uid, [start, end, 'DESCRIPTION:first\rsecond'])),
  },
  {
    slug: 'dtstart-month-13',
    title: 'DTSTART in month 13 (20261301T100000)',
    finding: 9,
    body: (uid) => calendar(event(uid, ['DTSTART:20261301T100000Z', 'DURATION:PT1H'])),
  },
  {
    slug: 'dtend-before-dtstart',
    title: 'DTEND before DTSTART',
    finding: 9,
    body: (uid) => calendar(event(uid, [start, 'DTEND:20260301T090000Z'])),
  },
  {
    slug: 'duration-negative',
    title: 'a negative DURATION:-PT1H on a VEVENT',
    finding: 9,
    body: (uid) => calendar(event(uid, [start, 'DURATION:-PT1H'])),
  },
  {
    slug: 'rrule-interval-0',
    title: 'RRULE:FREQ=DAILY;INTERVAL=0',
    finding: 9,
    body: (uid) => calendar(event(uid, [start, end, 'RRULE:FREQ=DAILY;INTERVAL=0'])),
  },
  // Bounded cost per object: components and properties.
  {
    slug: 'overrides-x5000',
    title: '5,000 RECURRENCE-ID overrides in one object',
    finding: 3,
    body: (uid) =>
      calendar(
        event(uid, [start, end, 'RRULE:FREQ=DAILY;COUNT=6000']),
        ...repeat(5_000, (i) =>
          lines(
            'BEGIN:VEVENT',
            `UID:${uid}`,
            'DTSTAMP:20260101T000000Z',
            `RECURRENCE-ID:${day(i)}`,
            `DTSTART:${day(i)}`,
            'END:VEVENT',
          ),
        ),
      ),
  },
  {
    slug: 'x-properties-x50000',
    title: '50,000 X- properties in one object (within 1 MB)',
    finding: 3,
    body: (uid) => calendar(event(uid, [start, end, ...repeat(50_000, (i) => `X-HOSTILE-${i}:v`)])),
  },
];

export interface HostileRestCall {
  slug: string;
  title: string;
  finding: number;
  method: 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** 400 unless said otherwise; `any-4xx` where "no such thing" (404) is as right as 400. */
  expect?: 'any-4xx';
}

/** REST inputs (signed in with a web session) that must be refused and store nothing. */
export const hostileRestCalls: readonly HostileRestCall[] = [
  {
    slug: 'rest-summary-nul',
    title: 'a NUL byte in an event summary',
    finding: 7,
    method: 'POST',
    path: '/api/events',
    body: { summary: 'before\u0000after', start: '2026-03-10T10:00:00Z', end: '2026-03-10T11:00:00Z' },
  },
  {
    slug: 'rest-description-nul',
    title: 'a NUL byte in an event description',
    finding: 7,
    method: 'POST',
    path: '/api/events',
    body: {
      summary: 'hostile description',
      description: 'a\u0000b',
      start: '2026-03-10T10:00:00Z',
      end: '2026-03-10T11:00:00Z',
    },
  },
  {
    slug: 'rest-february-30',
    title: 'a start on 2026-02-30 (never turned into 2 March)',
    finding: 9,
    method: 'POST',
    path: '/api/events',
    body: { summary: 'hostile date', start: '2026-02-30T10:00:00', end: '2026-03-02T11:00:00' },
  },
  {
    slug: 'rest-february-30-all-day',
    title: 'an all-day event on 2026-02-30',
    finding: 9,
    method: 'POST',
    path: '/api/events',
    body: { summary: 'hostile all-day date', start: '2026-02-30', end: '2026-03-02', allDay: true },
  },
  {
    slug: 'rest-device-name-nul',
    title: 'a NUL byte in a device name',
    finding: 7,
    method: 'POST',
    path: '/api/devices',
    body: { name: 'laptop\u0000' },
  },
  {
    slug: 'rest-device-id-not-uuid',
    title: 'DELETE /api/devices/ with 36 characters of [0-9a-f-] that are not a UUID',
    finding: 7,
    method: 'DELETE',
    path: `/api/devices/${'-'.repeat(4)}${'f'.repeat(32)}`,
    expect: 'any-4xx',
  },
];
