import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { icalFixture } from '../../../test/fixtures/ical/index.ts';
import { overlapsTimeRange } from '../time/time-range.ts';
import { utcToZoned } from '../time/time-zone.ts';
import { expandOccurrences } from './expand-occurrences.ts';

function calendar(...components: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN'];
  for (const component of components) lines.push(...component);
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

function vevent(...props: string[]): string[] {
  return ['BEGIN:VEVENT', 'UID:series-1', 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT'];
}

const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const isoStarts = (text: string, window: { start: Date; end: Date }) =>
  expandOccurrences(text, window).occurrences.map((o) => o.start.toISOString());

describe('expandOccurrences: time zones', () => {
  it('keeps a weekly 09:00 Europe/Berlin meeting at 09:00 local across both DST changes', () => {
    const text = calendar(
      vevent('DTSTART;TZID=Europe/Berlin:20260302T090000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY'),
    );
    const { occurrences } = expandOccurrences(text, range('2026-03-01T00:00:00Z', '2026-11-10T00:00:00Z'));
    expect(occurrences.length).toBe(37);
    for (const o of occurrences) {
      expect(utcToZoned(o.start, 'Europe/Berlin')).toMatchObject({ hour: 9, minute: 0, weekday: 1 });
      expect(o.end.getTime() - o.start.getTime()).toBe(3_600_000);
      expect(o.timeZone).toBe('Europe/Berlin');
    }
    expect(occurrences[3]?.start.toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(occurrences[4]?.start.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('keeps a daily America/New_York event at local time across the November change', () => {
    const text = calendar(
      vevent(
        'DTSTART;TZID=America/New_York:20261030T083000',
        'DTEND;TZID=America/New_York:20261030T090000',
        'RRULE:FREQ=DAILY;COUNT=4',
      ),
    );
    expect(isoStarts(text, range('2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z'))).toEqual([
      '2026-10-30T12:30:00.000Z',
      '2026-10-31T12:30:00.000Z',
      '2026-11-01T13:30:00.000Z',
      '2026-11-02T13:30:00.000Z',
    ]);
  });

  it('expands Asia/Singapore times with their fixed +08:00 offset', () => {
    const text = calendar(
      vevent('DTSTART;TZID=Asia/Singapore:20260105T100000', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3'),
    );
    expect(isoStarts(text, range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'))).toEqual([
      '2026-01-05T02:00:00.000Z',
      '2026-01-07T02:00:00.000Z',
      '2026-01-12T02:00:00.000Z',
    ]);
  });

  it('reads floating times in the floating time zone, UTC by default', () => {
    const text = calendar(
      vevent('DTSTART:20260105T090000', 'DTEND:20260105T100000', 'RRULE:FREQ=DAILY;COUNT=2'),
    );
    const window = range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(isoStarts(text, window)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z']);
    const berlin = expandOccurrences(text, window, { floatingTimeZone: 'Europe/Berlin' }).occurrences;
    expect(berlin.map((o) => o.start.toISOString())).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-06T08:00:00.000Z',
    ]);
    expect(berlin[0]?.timeZone).toBeNull();
  });

  it('prefers the object own VTIMEZONE over IANA data, without leaking it into the next object', () => {
    const custom = calendar(
      [
        'BEGIN:VTIMEZONE',
        'TZID:Europe/Berlin',
        'BEGIN:STANDARD',
        'DTSTART:19700101T000000',
        'TZOFFSETFROM:+0300',
        'TZOFFSETTO:+0300',
        'END:STANDARD',
        'END:VTIMEZONE',
      ],
      vevent('DTSTART;TZID=Europe/Berlin:20260105T090000'),
    );
    const plain = calendar(vevent('DTSTART;TZID=Europe/Berlin:20260105T090000'));
    const window = range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(isoStarts(custom, window)).toEqual(['2026-01-05T06:00:00.000Z']);
    expect(isoStarts(plain, window)).toEqual(['2026-01-05T08:00:00.000Z']);
    expect(isoStarts(custom, window)).toEqual(['2026-01-05T06:00:00.000Z']);
  });

  it('reads a client series in floating time in the zone asked for, on either side of midnight UTC', () => {
    const text = icalFixture('floating-time-series');
    const window = range('2026-07-01T00:00:00Z', '2026-07-04T00:00:00Z');
    const startsIn = (floatingTimeZone: string) =>
      expandOccurrences(text, window, { floatingTimeZone }).occurrences.map((o) => o.start.toISOString());
    // 23:30 local: the same evening in Berlin (21:30Z), the next morning UTC in New York (03:30Z).
    expect(startsIn('Europe/Berlin')).toEqual([
      '2026-07-01T21:30:00.000Z',
      '2026-07-02T21:30:00.000Z',
      '2026-07-03T21:30:00.000Z',
    ]);
    expect(startsIn('America/New_York')).toEqual(['2026-07-02T03:30:00.000Z', '2026-07-03T03:30:00.000Z']);
  });

  it('finds the IANA zone inside an old Mozilla TZID that comes without its VTIMEZONE', () => {
    const text = icalFixture('thunderbird-mozilla-tzid');
    // 14:00 in Berlin in July (CEST), not 14:00 floating or UTC.
    expect(isoStarts(text, range('2026-07-01T00:00:00Z', '2026-08-01T00:00:00Z'))).toEqual([
      '2026-07-15T12:00:00.000Z',
    ]);
  });

  it("reads Outlook's Windows zone name through the object's own VTIMEZONE", () => {
    const text = icalFixture('outlook-windows-zone-names');
    // 09:00 "W. Europe Standard Time" in December is 08:00Z, every Tuesday for four weeks.
    expect(isoStarts(text, range('2026-11-01T00:00:00Z', '2027-01-01T00:00:00Z'))).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-08T08:00:00.000Z',
      '2026-12-15T08:00:00.000Z',
      '2026-12-22T08:00:00.000Z',
    ]);
  });

  it('does not fail on a TZID it cannot resolve, reading it as floating', () => {
    const text = calendar(vevent('DTSTART;TZID=Atlantis/Capital:20260105T090000'));
    expect(isoStarts(text, range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'))).toEqual([
      '2026-01-05T09:00:00.000Z',
    ]);
  });
});

describe('expandOccurrences: recurrence set', () => {
  const daily = (...extra: string[]) =>
    calendar(
      vevent('DTSTART:20260105T090000Z', 'DTEND:20260105T093000Z', 'RRULE:FREQ=DAILY;COUNT=5', ...extra),
    );
  const january = range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');

  it('stops a rule after COUNT instances', () => {
    expect(isoStarts(daily(), january)).toHaveLength(5);
  });

  it('stops a rule after UNTIL, inclusive', () => {
    const text = calendar(vevent('DTSTART:20260105T090000Z', 'RRULE:FREQ=WEEKLY;UNTIL=20260119T090000Z'));
    expect(isoStarts(text, january)).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-12T09:00:00.000Z',
      '2026-01-19T09:00:00.000Z',
    ]);
  });

  it('leaves out EXDATE instances', () => {
    expect(isoStarts(daily('EXDATE:20260106T090000Z,20260108T090000Z'), january)).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-07T09:00:00.000Z',
      '2026-01-09T09:00:00.000Z',
    ]);
  });

  it('also leaves out an EXDATE written without the TZID of its DTSTART', () => {
    const text = calendar(
      vevent(
        'DTSTART;TZID=Europe/Berlin:20260105T090000',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE:20260106T090000',
      ),
    );
    expect(isoStarts(text, january)).toEqual(['2026-01-05T08:00:00.000Z', '2026-01-07T08:00:00.000Z']);
  });

  it('adds RDATE instances, including a PERIOD with its own end', () => {
    const { occurrences } = expandOccurrences(
      daily('RDATE:20260120T150000Z', 'RDATE;VALUE=PERIOD:20260125T100000Z/PT3H'),
      january,
    );
    expect(occurrences).toHaveLength(7);
    expect(occurrences[5]?.start.toISOString()).toBe('2026-01-20T15:00:00.000Z');
    expect(occurrences[5]?.end.toISOString()).toBe('2026-01-20T15:30:00.000Z');
    expect(occurrences[6]?.end.toISOString()).toBe('2026-01-25T13:00:00.000Z');
  });

  it('shows an override moved into the window and hides the instance it replaced', () => {
    const text = calendar(
      vevent(
        'DTSTART:20260105T090000Z',
        'DTEND:20260105T093000Z',
        'SUMMARY:Standup',
        'RRULE:FREQ=WEEKLY;COUNT=4',
      ),
      vevent(
        'RECURRENCE-ID:20260126T090000Z',
        'DTSTART:20260110T120000Z',
        'DTEND:20260110T130000Z',
        'SUMMARY:Moved',
      ),
    );
    const { occurrences } = expandOccurrences(text, range('2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z'));
    expect(occurrences).toEqual([
      expect.objectContaining({
        summary: 'Moved',
        isOverride: true,
        recurrenceId: new Date('2026-01-26T09:00:00Z'),
        start: new Date('2026-01-10T12:00:00Z'),
      }),
    ]);
    expect(isoStarts(text, range('2026-01-26T00:00:00Z', '2026-01-27T00:00:00Z'))).toEqual([]);
  });

  it('returns a cancelled override with its status so callers can choose', () => {
    const text = calendar(
      vevent('DTSTART:20260105T090000Z', 'RRULE:FREQ=DAILY;COUNT=3'),
      vevent('RECURRENCE-ID:20260106T090000Z', 'DTSTART:20260106T090000Z', 'STATUS:CANCELLED'),
    );
    const { occurrences } = expandOccurrences(text, range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    expect(occurrences.map((o) => o.status)).toEqual([null, 'CANCELLED', null]);
  });

  it('expands an object that holds only overrides', () => {
    const text = calendar(
      vevent('RECURRENCE-ID:20260106T090000Z', 'DTSTART:20260106T100000Z', 'SUMMARY:Only'),
    );
    const { occurrences } = expandOccurrences(text, range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    expect(occurrences.map((o) => [o.summary, o.isOverride])).toEqual([['Only', true]]);
  });

  it('returns a non-recurring event once, with a null recurrenceId', () => {
    const text = calendar(vevent('DTSTART:20260106T100000Z', 'DTEND:20260106T110000Z', 'LOCATION:Room 1'));
    const { occurrences } = expandOccurrences(text, range('2026-01-06T10:30:00Z', '2026-01-06T10:45:00Z'));
    expect(occurrences).toEqual([
      expect.objectContaining({ recurrenceId: null, location: 'Room 1', isOverride: false }),
    ]);
  });

  it('gives yearly all-day events a one-day span and keeps them all-day', () => {
    const text = calendar(vevent('DTSTART;VALUE=DATE:20200229', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1'));
    const { occurrences } = expandOccurrences(text, range('2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z'));
    expect(occurrences.map((o) => o.start.toISOString().slice(0, 10))).toEqual([
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
    expect(occurrences.every((o) => o.allDay && o.end.getTime() - o.start.getTime() === 86_400_000)).toBe(
      true,
    );
  });

  it('skips impossible dates instead of moving them (RFC 5545 §3.3.10)', () => {
    const text = calendar(vevent('DTSTART:20240229T090000Z', 'RRULE:FREQ=YEARLY'));
    expect(isoStarts(text, range('2024-01-01T00:00:00Z', '2029-01-01T00:00:00Z'))).toEqual([
      '2024-02-29T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
    ]);
  });

  it('reaches a window decades after DTSTART', () => {
    const text = calendar(vevent('DTSTART:19900101T070000Z', 'RRULE:FREQ=DAILY'));
    expect(isoStarts(text, range('2026-01-05T00:00:00Z', '2026-01-07T00:00:00Z'))).toEqual([
      '2026-01-05T07:00:00.000Z',
      '2026-01-06T07:00:00.000Z',
    ]);
  });
});

describe('expandOccurrences: limits', () => {
  it('stops at maxInstances, keeping the earliest, and says it was truncated', () => {
    const text = calendar(vevent('DTSTART:20260105T000000Z', 'RRULE:FREQ=HOURLY'));
    const result = expandOccurrences(text, range('2026-01-05T00:00:00Z', '2026-01-07T00:00:00Z'), {
      maxInstances: 10,
    });
    expect(result.truncated).toBe(true);
    expect(result.occurrences).toHaveLength(10);
    expect(result.occurrences[9]?.start.toISOString()).toBe('2026-01-05T09:00:00.000Z');
  });

  it.each([
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31',
    'FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15',
  ])('ends promptly for %s, a rule that never produces an instance', (rule) => {
    const text = calendar(vevent('DTSTART:20260101T090000Z', `RRULE:${rule}`));
    const result = expandOccurrences(text, range('2026-01-01T00:00:00Z', '2036-01-01T00:00:00Z'));
    // The walk reaches the end of the window within its step budget: not cut short, nothing left to find.
    expect(result.truncated).toBe(false);
    expect(result.occurrences.map((o) => o.start.toISOString())).toEqual(['2026-01-01T09:00:00.000Z']);
  });
});

describe('expandOccurrences: properties', () => {
  const rules = fc.constantFrom(
    'FREQ=DAILY',
    'FREQ=DAILY;INTERVAL=3',
    'FREQ=WEEKLY;BYDAY=MO,WE,FR',
    'FREQ=MONTHLY;BYMONTHDAY=31',
    'FREQ=MONTHLY;BYDAY=-1FR',
    'FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU',
    'FREQ=HOURLY;INTERVAL=7',
  );
  const zones = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Singapore');

  it('returns only sorted, distinct occurrences that overlap the window, never more than the cap', () => {
    fc.assert(
      fc.property(
        rules,
        zones,
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 24 * 90 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 50 }),
        (rule, zone, offsetHours, spanHours, durationMinutes, cap) => {
          const text = calendar(
            vevent(`DTSTART;TZID=${zone}:20250301T093000`, `DURATION:PT${durationMinutes}M`, `RRULE:${rule}`),
          );
          const start = new Date(Date.UTC(2025, 1, 1) + offsetHours * 3_600_000);
          const window = { start, end: new Date(start.getTime() + spanHours * 3_600_000) };
          const { occurrences } = expandOccurrences(text, window, { maxInstances: cap });
          expect(occurrences.length).toBeLessThanOrEqual(cap);
          const ids = occurrences.map((o) => o.recurrenceId?.getTime());
          expect(new Set(ids).size).toBe(ids.length);
          for (const [i, o] of occurrences.entries()) {
            const timing = { start: o.start, durationMs: o.end.getTime() - o.start.getTime(), allDay: false };
            expect(overlapsTimeRange(timing, window)).toBe(true);
            if (i > 0)
              expect(o.start.getTime()).toBeGreaterThanOrEqual(occurrences[i - 1]?.start.getTime() ?? 0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
