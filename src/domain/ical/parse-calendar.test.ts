import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidCalendarData, type InvalidCalendarReason } from '../errors.ts';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { parseCalendarObject } from './parse-calendar.ts';

function calendar(...components: string[][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    ...components.flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
const component = (name: string, ...props: string[]) => [`BEGIN:${name}`, ...props, `END:${name}`];
const basicDate = (year: number, monthIndex: number, day: number) =>
  new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10).replaceAll('-', '');
const vevent = (...props: string[]) => component('VEVENT', 'UID:u1', 'DTSTAMP:20260101T000000Z', ...props);

function reasonOf(text: string): InvalidCalendarReason | 'none' {
  try {
    parseCalendarObject(text);
    return 'none';
  } catch (error) {
    if (error instanceof InvalidCalendarData) return error.reason;
    throw error;
  }
}

describe('parseCalendarObject: index fields', () => {
  it('reads a timed event with a TZID', () => {
    const parsed = parseCalendarObject(
      calendar(
        vevent(
          'SUMMARY:Planning',
          'DTSTART;TZID=Europe/Berlin:20260115T090000',
          'DTEND;TZID=Europe/Berlin:20260115T100000',
          'STATUS:CONFIRMED',
          'SEQUENCE:3',
          'RRULE:FREQ=WEEKLY;BYDAY=TH',
          ...component('VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:Planning'),
        ),
      ),
    );
    expect(parsed).toEqual({
      uid: 'u1',
      componentType: 'VEVENT',
      summary: 'Planning',
      start: new Date('2026-01-15T08:00:00Z'),
      end: new Date('2026-01-15T09:00:00Z'),
      allDay: false,
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
      status: 'CONFIRMED',
      sequence: 3,
      seriesFirstStart: new Date('2026-01-15T08:00:00Z'),
      seriesLastEnd: null,
      hasAlarms: true,
    });
  });

  it('reads a zone in its own offset even when it is the first use of that zone', () => {
    // Pacific/Chatham appears in no other test of this file, so nothing has registered it before.
    const parsed = parseCalendarObject(calendar(vevent('DTSTART;TZID=Pacific/Chatham:20260115T090000')));
    expect(parsed.start?.toISOString()).toBe('2026-01-14T19:15:00.000Z');
  });

  it('gives an all-day event without DTEND one day (RFC 4791 §9.9)', () => {
    const parsed = parseCalendarObject(calendar(vevent('DTSTART;VALUE=DATE:20260125')));
    expect(parsed).toMatchObject({ allDay: true, timezone: null, hasAlarms: false, sequence: 0 });
    expect(parsed.start?.toISOString()).toBe('2026-01-25T00:00:00.000Z');
    expect(parsed.end?.toISOString()).toBe('2026-01-26T00:00:00.000Z');
  });

  it('gives a timed event without DTEND no length, and adds DURATION when present', () => {
    expect(parseCalendarObject(calendar(vevent('DTSTART:20260125T100000Z'))).end?.toISOString()).toBe(
      '2026-01-25T10:00:00.000Z',
    );
    expect(
      parseCalendarObject(
        calendar(vevent('DTSTART:20260125T100000Z', 'DURATION:PT1H30M')),
      ).end?.toISOString(),
    ).toBe('2026-01-25T11:30:00.000Z');
  });

  it('reads a VTODO with DUE and a VJOURNAL', () => {
    const todo = parseCalendarObject(
      calendar(
        component('VTODO', 'UID:t1', 'DTSTART:20260101T090000Z', 'DUE:20260102T090000Z', 'SUMMARY:Taxes'),
      ),
    );
    expect(todo).toMatchObject({ componentType: 'VTODO', uid: 't1', summary: 'Taxes' });
    expect(todo.end?.toISOString()).toBe('2026-01-02T09:00:00.000Z');
    const undated = parseCalendarObject(calendar(component('VTODO', 'UID:t2')));
    expect(undated).toMatchObject({ start: null, end: null, seriesFirstStart: null, seriesLastEnd: null });
    expect(parseCalendarObject(calendar(component('VJOURNAL', 'UID:j1'))).componentType).toBe('VJOURNAL');
  });

  it('accepts an object holding only overrides and reads the first one', () => {
    const parsed = parseCalendarObject(
      calendar(vevent('RECURRENCE-ID:20260106T090000Z', 'DTSTART:20260106T100000Z', 'SUMMARY:Moved')),
    );
    expect(parsed).toMatchObject({ uid: 'u1', summary: 'Moved', start: new Date('2026-01-06T10:00:00Z') });
  });
});

describe('parseCalendarObject: series bounds', () => {
  it('ends a COUNT series at its last instance and an UNTIL series no earlier than UNTIL', () => {
    const counted = parseCalendarObject(
      calendar(vevent('DTSTART:20260105T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3')),
    );
    expect(counted.seriesLastEnd?.toISOString()).toBe('2026-01-07T10:00:00.000Z');
    const until = parseCalendarObject(
      calendar(
        vevent('DTSTART:20260105T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;UNTIL=20260110T090000Z'),
      ),
    );
    expect(until.seriesLastEnd?.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-01-10T10:00:00Z'));
  });

  it('widens the bounds for RDATEs and overrides moved outside the rule', () => {
    const parsed = parseCalendarObject(
      calendar(
        vevent('DTSTART:20260105T090000Z', 'RRULE:FREQ=DAILY;COUNT=2', 'RDATE:20251201T090000Z'),
        vevent('RECURRENCE-ID:20260106T090000Z', 'DTSTART:20260301T090000Z', 'DTEND:20260301T100000Z'),
      ),
    );
    expect(parsed.seriesFirstStart?.toISOString()).toBe('2025-12-01T09:00:00.000Z');
    expect(parsed.seriesLastEnd?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('widens floating times by the widest UTC offsets, since their zone is not known here', () => {
    const parsed = parseCalendarObject(calendar(vevent('DTSTART:20260105T090000', 'DTEND:20260105T100000')));
    expect(parsed.seriesFirstStart?.toISOString()).toBe('2026-01-04T19:00:00.000Z');
    expect(parsed.seriesLastEnd?.toISOString()).toBe('2026-01-06T00:00:00.000Z');
  });

  it('never excludes an occurrence that expansion finds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'FREQ=DAILY;COUNT=9',
          'FREQ=WEEKLY;BYDAY=MO,FR;COUNT=7',
          'FREQ=MONTHLY;UNTIL=20270101T000000Z',
        ),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Singapore', ''),
        fc.integer({ min: -40, max: 40 }),
        (rule, zone, moveDays) => {
          const dtstart = zone ? `DTSTART;TZID=${zone}:20260301T233000` : 'DTSTART:20260301T233000';
          const text = calendar(
            vevent(dtstart, 'DURATION:PT2H', `RRULE:${rule}`, 'RDATE:20260220T120000Z'),
            vevent('RECURRENCE-ID:20260302T223000Z', `DTSTART:${basicDate(2026, 2, 10 + moveDays)}T050000Z`),
          );
          const parsed = parseCalendarObject(text);
          const window = { start: new Date('2025-01-01T00:00:00Z'), end: new Date('2028-01-01T00:00:00Z') };
          for (const floatingTimeZone of ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
            for (const o of expandOccurrences(text, window, { floatingTimeZone }).occurrences) {
              expect(o.start.getTime()).toBeGreaterThanOrEqual(parsed.seriesFirstStart?.getTime() ?? 0);
              expect(o.end.getTime()).toBeLessThanOrEqual(
                parsed.seriesLastEnd?.getTime() ?? Number.POSITIVE_INFINITY,
              );
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('parseCalendarObject: refusals', () => {
  it.each<[InvalidCalendarReason, string]>([
    ['unparsable', 'this is not iCalendar'],
    ['unparsable', calendar(vevent('DTSTART:2026-bad'))],
    [
      'not-vcalendar',
      `${calendar(vevent('DTSTART:20260101T000000Z'))}${calendar(vevent('DTSTART:20260101T000000Z'))}`,
    ],
    ['not-vcalendar', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna\r\nEND:VCARD\r\n'],
    [
      'no-component',
      calendar(
        component(
          'VTIMEZONE',
          'TZID:X',
          ...component('STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0000'),
        ),
      ),
    ],
    ['unsupported-component', calendar(component('VCARD', 'FN:Anna'))],
    ['unsupported-component', calendar(component('VFREEBUSY', 'UID:f'))],
    ['mixed-components', calendar(vevent('DTSTART:20260101T000000Z'), component('VTODO', 'UID:u1'))],
    ['no-uid', calendar(component('VEVENT', 'DTSTART:20260101T000000Z'))],
    [
      'mixed-uids',
      calendar(vevent('DTSTART:20260101T000000Z'), component('VEVENT', 'UID:u2', 'DTSTART:20260101T000000Z')),
    ],
    ['missing-dtstart', calendar(vevent('SUMMARY:When?'))],
    ['invalid-recurrence', calendar(vevent('DTSTART:20260101T000000Z', 'RRULE:FREQ=SOMETIMES'))],
    ['invalid-recurrence', calendar(vevent('DTSTART:20260101T000000Z', 'RRULE:BYDAY=MO'))],
    ['unknown-timezone', calendar(vevent('DTSTART;TZID=Atlantis/Capital:20260101T090000'))],
  ])('refuses with %s', (reason, text) => {
    expect(reasonOf(text)).toBe(reason);
  });

  it('says which UIDs differ in a readable message', () => {
    expect(() =>
      parseCalendarObject(
        calendar(
          vevent('DTSTART:20260101T000000Z'),
          component('VEVENT', 'UID:u2', 'DTSTART:20260101T000000Z'),
        ),
      ),
    ).toThrow('the calendar data has two different UIDs: u1 and u2');
  });

  it('throws nothing but InvalidCalendarData for arbitrary or mangled input', () => {
    const valid = calendar(
      vevent(
        'DTSTART;TZID=Europe/Berlin:20260101T090000',
        'RRULE:FREQ=WEEKLY;COUNT=3',
        'EXDATE:20260108T080000Z',
      ),
    );
    const lines = valid.split('\r\n');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .tuple(fc.nat(lines.length - 1), fc.string({ maxLength: 40 }))
            .map(([i, junk]) =>
              lines
                .map((line, j) => (j === i ? `${line.slice(0, line.length / 2)}${junk}` : line))
                .join('\r\n'),
            ),
        ),
        (text) => {
          const outcome = reasonOf(text);
          expect(typeof outcome).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses components nested deeper than iCalendar ever nests them', () => {
    const deep = calendar(
      vevent(
        'DTSTART:20260101T000000Z',
        ...Array(5000).fill('BEGIN:VALARM'),
        ...Array(5000).fill('END:VALARM'),
      ),
    );
    expect(reasonOf(deep)).toBe('unparsable');
  });

  it('copes with a large object of many overrides', () => {
    const overrides = Array.from({ length: 2000 }, (_, i) => {
      const day = basicDate(2026, 0, 1 + i);
      return vevent(`RECURRENCE-ID:${day}T090000Z`, `DTSTART:${day}T100000Z`, `SUMMARY:${'x'.repeat(100)}`);
    });
    const text = calendar(vevent('DTSTART:20260101T090000Z', 'RRULE:FREQ=DAILY'), ...overrides);
    expect(parseCalendarObject(text).seriesLastEnd).toBeNull();
  });
});
