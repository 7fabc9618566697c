import { describe, expect, it } from 'vitest';
import { InvalidCalendarData } from '../errors.ts';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { buildEventCalendar } from './build-event.ts';
import { parseCalendarObject } from './parse-calendar.ts';

const now = new Date('2026-01-20T12:00:00Z');
const base = {
  uid: 'evt-1@televent',
  summary: 'Dentist',
  start: new Date('2026-03-29T13:00:00Z'),
  end: new Date('2026-03-29T14:00:00Z'),
  allDay: false,
  timeZone: 'Europe/Berlin',
  now,
};

describe('buildEventCalendar', () => {
  it('writes a timed event as local time with TZID and a matching VTIMEZONE', () => {
    const text = buildEventCalendar({
      ...base,
      location: 'Praxis',
      description: 'Bring card',
      reminders: [15, 60],
    });
    expect(text).toContain(
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Televent//Televent//EN\r\nCALSCALE:GREGORIAN\r\n',
    );
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n');
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260329T150000\r\n');
    expect(text).toContain('DTEND;TZID=Europe/Berlin:20260329T160000\r\n');
    expect(text).toContain('UID:evt-1@televent\r\nDTSTAMP:20260120T120000Z\r\nCREATED:20260120T120000Z\r\n');
    expect(text).toContain('LAST-MODIFIED:20260120T120000Z\r\nSEQUENCE:0\r\n');
    expect(text).toContain('LOCATION:Praxis\r\n');
    expect(text).toContain('DESCRIPTION:Bring card\r\n');
    expect(
      text.match(
        /BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT(15|1H)M?\r\nDESCRIPTION:Dentist\r\nEND:VALARM/g,
      ),
    ).toHaveLength(2);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
  });

  it('produces an object that parses back to the same instants', () => {
    const parsed = parseCalendarObject(buildEventCalendar({ ...base, rrule: 'FREQ=WEEKLY;COUNT=3' }));
    expect(parsed).toMatchObject({
      uid: 'evt-1@televent',
      summary: 'Dentist',
      start: base.start,
      end: base.end,
      timezone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;COUNT=3',
      sequence: 0,
      hasAlarms: false,
    });
  });

  it('writes an all-day event as DATE values with an exclusive end', () => {
    const text = buildEventCalendar({
      ...base,
      allDay: true,
      start: new Date('2026-01-24T23:00:00Z'),
      end: new Date('2026-01-25T23:00:00Z'),
    });
    expect(text).toContain('DTSTART;VALUE=DATE:20260125\r\n');
    expect(text).toContain('DTEND;VALUE=DATE:20260126\r\n');
    expect(text).not.toContain('BEGIN:VTIMEZONE');
  });

  it('gives an all-day event at least one day even when end equals start', () => {
    const start = new Date('2026-10-24T22:00:00Z');
    const text = buildEventCalendar({ ...base, allDay: true, start, end: start });
    expect(text).toContain('DTEND;VALUE=DATE:20261026\r\n');
  });

  it('writes UTC times with Z and no VTIMEZONE', () => {
    const text = buildEventCalendar({ ...base, timeZone: 'UTC' });
    expect(text).toContain('DTSTART:20260329T130000Z\r\n');
    expect(text).not.toContain('VTIMEZONE');
  });

  it('folds long lines at 75 octets, counting multi-byte characters by their bytes', () => {
    const text = buildEventCalendar({ ...base, description: 'Zahnärztin Müller — Übersicht '.repeat(10) });
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(parseCalendarObject(text).summary).toBe('Dentist');
  });

  it('refuses an invalid RRULE and an unknown time zone', () => {
    expect(() => buildEventCalendar({ ...base, rrule: 'FREQ=SOMETIMES' })).toThrow(InvalidCalendarData);
    expect(() => buildEventCalendar({ ...base, rrule: 'BYDAY=MO' })).toThrow(/FREQ/);
    expect(() => buildEventCalendar({ ...base, timeZone: 'Mars/Base' })).toThrow(InvalidCalendarData);
  });

  it('keeps a weekly rule at the same local time when expanded', () => {
    const text = buildEventCalendar({
      ...base,
      start: new Date('2026-03-23T08:00:00Z'),
      end: new Date('2026-03-23T09:00:00Z'),
      rrule: 'FREQ=WEEKLY;COUNT=2',
    });
    const window = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-30T00:00:00Z') };
    expect(expandOccurrences(text, window).occurrences.map((o) => o.start.toISOString())).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });
});
