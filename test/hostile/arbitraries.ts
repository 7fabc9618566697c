import fc from 'fast-check';
import { alarm, calendar, event, lines, timeZone } from './ical-text.ts';

// Generators for the property-based half of the suite: iCalendar objects assembled from random
// parts (RFC 5545 rules, durations, zones, alarms, properties) and calendar-query bodies with
// random filters (RFC 4791 §9.7). Sizes stay small so 50 runs take seconds.

const bigNumber = fc.oneof(
  fc.integer({ min: 0, max: 60 }),
  fc.constantFrom(0, 1, 999, 100_000, 2_147_483_648, 99_999_999_999),
);

const frequency = fc.constantFrom(
  'SECONDLY',
  'MINUTELY',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'YEARLY',
  'NOPE',
);

const weekday = fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU', 'XX');

function byList(name: string, values: fc.Arbitrary<string | number>): fc.Arbitrary<string> {
  return fc.array(values, { minLength: 1, maxLength: 5 }).map((list) => `${name}=${list.join(',')}`);
}

const byPart = fc.oneof(
  byList('BYSECOND', fc.integer({ min: -1, max: 61 })),
  byList('BYMINUTE', fc.integer({ min: -1, max: 61 })),
  byList('BYHOUR', fc.integer({ min: -1, max: 25 })),
  byList(
    'BYDAY',
    fc
      .tuple(fc.option(fc.integer({ min: -60, max: 60 }), { nil: undefined }), weekday)
      .map(([n, d]) => `${n ?? ''}${d}`),
  ),
  byList('BYMONTHDAY', fc.integer({ min: -40, max: 40 })),
  byList('BYYEARDAY', fc.integer({ min: -400, max: 400 })),
  byList('BYWEEKNO', fc.integer({ min: -60, max: 60 })),
  byList('BYMONTH', fc.integer({ min: -1, max: 14 })),
  byList('BYSETPOS', fc.integer({ min: -400, max: 400 })),
  weekday.map((d) => `WKST=${d}`),
);

const until = fc.constantFrom(
  '99991231T235959Z',
  '00010101T000000Z',
  '20260401T000000Z',
  '20260401',
  '19000101T000000Z',
);

/** An RRULE value (RFC 5545 §3.3.10) from random parts, valid or not. */
export const recurrenceRule: fc.Arbitrary<string> = fc
  .record({
    freq: frequency,
    interval: fc.option(bigNumber, { nil: undefined }),
    count: fc.option(bigNumber, { nil: undefined }),
    until: fc.option(until, { nil: undefined }),
    by: fc.array(byPart, { maxLength: 3 }),
  })
  .map(({ freq, interval, count, until: u, by }) =>
    [
      `FREQ=${freq}`,
      ...(interval === undefined ? [] : [`INTERVAL=${interval}`]),
      ...(count === undefined ? [] : [`COUNT=${count}`]),
      ...(u === undefined ? [] : [`UNTIL=${u}`]),
      ...by,
    ].join(';'),
  );

/** A DURATION value (RFC 5545 §3.3.6), big numbers and negatives included. */
export const duration: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '-', '+'), bigNumber, fc.constantFrom('W', 'D', 'H', 'M', 'S'))
  .map(([sign, n, unit]) => (unit === 'W' || unit === 'D' ? `${sign}P${n}${unit}` : `${sign}PT${n}${unit}`));

const zoneName = fc.oneof(
  fc.constantFrom('Europe/Berlin', 'America/New_York', 'UTC', 'Etc/GMT+14', 'Hostile/Zone', 'Zone/1'),
  fc.stringMatching(/^[A-Za-z/_+-]{1,24}$/),
);

/** Text with the characters RFC 5545 treats specially, and control characters it forbids. */
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0000', '\r', '\n', '\t', '\u001b', '\u007f', '\\', ';', ',', ':', '"'),
    fc.constantFrom('a', 'Z', '0', ' ', 'é', '日', '😀'),
  ),
  maxLength: 40,
});

const propertyName = fc.oneof(
  fc.constantFrom('SUMMARY', 'DESCRIPTION', 'LOCATION', 'CATEGORIES', 'COMMENT', 'STATUS', 'CLASS'),
  fc.stringMatching(/^X-[A-Z0-9-]{1,16}$/),
);

const dateTime = fc.constantFrom(
  '20260301T100000Z',
  '20260301T100000',
  '00010101T000000Z',
  '99991231T235959Z',
  '20261301T100000Z',
  '20260230T100000Z',
);

/** Stands for the UID in a generated object; each run puts a fresh one in its place. */
export const uidPlaceholder = '{{uid}}';

/** A whole object resource: one VEVENT with random rules, times, zone, alarms and properties. */
export const hostileCalendarObject: fc.Arbitrary<string> = fc
  .record({
    zone: zoneName,
    zoneRule: fc.option(
      fc.record({
        dtstart: fc.constantFrom('16010101T000000', '19700101T000000', '20000101T000000'),
        rrule: fc.option(recurrenceRule, { nil: undefined }),
      }),
      { nil: undefined },
    ),
    start: fc.oneof(
      dateTime.map((t) => `DTSTART:${t}`),
      dateTime.map((t) => `DTSTART;VALUE=DATE:${t.slice(0, 8)}`),
      fc.constant('TZ'),
    ),
    end: fc.oneof(
      dateTime.map((t) => `DTEND:${t}`),
      duration.map((d) => `DURATION:${d}`),
      fc.constant(''),
    ),
    rules: fc.array(recurrenceRule, { maxLength: 3 }),
    alarmCount: fc.nat({ max: 300 }),
    triggers: fc.array(duration, { minLength: 1, maxLength: 3 }),
    properties: fc.array(fc.tuple(propertyName, hostileText), { maxLength: 6 }),
  })
  .map((parts) => {
    const start = parts.start === 'TZ' ? `DTSTART;TZID=${parts.zone}:20260301T100000` : parts.start;
    const alarms = Array.from({ length: parts.alarmCount }, (_, i) =>
      alarm(parts.triggers[i % parts.triggers.length] ?? '-PT5M'),
    );
    const properties = [
      start,
      ...(parts.end ? [parts.end] : []),
      ...parts.rules.map((rule) => `RRULE:${rule}`),
      ...parts.properties.map(([name, value]) => `${name}:${value}`),
    ];
    const zone = parts.zoneRule ? [timeZone(parts.zone, parts.zoneRule)] : [];
    return calendar(...zone, event(uidPlaceholder, properties, alarms));
  });

// --- calendar-query bodies (RFC 4791 §9.7) ---

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const stamp = fc.constantFrom(
  '00010101T000000Z',
  '99991231T235959Z',
  '20260301T000000Z',
  '20260308T000000Z',
  '19700101T000000Z',
  '2026-03-01',
  'nonsense',
);

const timeRange = fc
  .record({ start: fc.option(stamp, { nil: undefined }), end: fc.option(stamp, { nil: undefined }) })
  .map(({ start, end }) => `<c:time-range${start ? ` start="${start}"` : ''}${end ? ` end="${end}"` : ''}/>`);

const textMatch = fc
  .record({
    text: hostileText,
    collation: fc.constantFrom('i;ascii-casemap', 'i;octet', 'i;unicode-casemap', 'i;nope'),
    negate: fc.constantFrom('yes', 'no', 'maybe'),
  })
  .map(
    (t) =>
      `<c:text-match collation="${t.collation}" negate-condition="${t.negate}">${escapeXml(t.text)}</c:text-match>`,
  );

const propFilter = fc
  .record({
    name: fc.constantFrom('SUMMARY', 'UID', 'DTSTART', 'RRULE', 'ATTENDEE', 'X-NOPE', ''),
    test: fc.oneof(
      fc.constant('<c:is-not-defined/>'),
      textMatch,
      timeRange,
      textMatch.map((m) => `<c:param-filter name="TZID">${m}</c:param-filter>`),
    ),
  })
  .map((p) => `<c:prop-filter name="${p.name}">${p.test}</c:prop-filter>`);

const componentName = fc.constantFrom(
  'VEVENT',
  'VTODO',
  'VJOURNAL',
  'VALARM',
  'VTIMEZONE',
  'STANDARD',
  'X-NOPE',
);

function compFilter(depth: number): fc.Arbitrary<string> {
  const children = depth > 0 ? fc.array(compFilter(depth - 1), { maxLength: 2 }) : fc.constant<string[]>([]);
  return fc
    .record({
      name: componentName,
      notDefined: fc.boolean(),
      range: fc.option(timeRange, { nil: undefined }),
      props: fc.array(propFilter, { maxLength: 2 }),
      children,
    })
    .map((f) =>
      f.notDefined
        ? `<c:comp-filter name="${f.name}"><c:is-not-defined/></c:comp-filter>`
        : `<c:comp-filter name="${f.name}">${f.range ?? ''}${f.props.join('')}${f.children.join('')}</c:comp-filter>`,
    );
}

const calendarData = fc.oneof(
  fc.constant('<c:calendar-data/>'),
  fc
    .tuple(stamp, stamp)
    .map(([start, end]) => `<c:calendar-data><c:expand start="${start}" end="${end}"/></c:calendar-data>`),
  fc
    .tuple(stamp, stamp)
    .map(
      ([start, end]) =>
        `<c:calendar-data><c:limit-recurrence-set start="${start}" end="${end}"/></c:calendar-data>`,
    ),
  fc.constant(
    '<c:calendar-data><c:comp name="VCALENDAR"><c:comp name="VEVENT"><c:prop name="SUMMARY"/></c:comp></c:comp></c:calendar-data>',
  ),
  fc.constant(''),
);

/** A calendar-query REPORT body: random filters, time ranges from year 0001 to 9999, expand. */
export const calendarQueryBody: fc.Arbitrary<string> = fc
  .tuple(calendarData, fc.array(compFilter(2), { maxLength: 3 }), fc.option(timeRange, { nil: undefined }))
  .map(([data, filters, range]) =>
    lines(
      '<?xml version="1.0" encoding="utf-8"?>',
      `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/>${data}</d:prop>`,
      `<c:filter><c:comp-filter name="VCALENDAR">${range ?? ''}${filters.join('')}</c:comp-filter></c:filter>`,
      '</c:calendar-query>',
    ),
  );
