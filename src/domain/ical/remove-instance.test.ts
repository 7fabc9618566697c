import { describe, expect, it } from 'vitest';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { removeInstance } from './remove-instance.ts';

const calendar = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const week = { start: new Date('2026-12-07T00:00:00Z'), end: new Date('2026-12-14T00:00:00Z') };
const starts = (text: string, zone = 'UTC') =>
  expandOccurrences(text, week, { floatingTimeZone: zone }).occurrences.map((o) => o.start.toISOString());

describe('removeInstance', () => {
  it('adds an EXDATE for the instance and drops its override, keeping the rest of the series', () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:series',
      'DTSTART;TZID=Europe/Berlin:20261207T090000',
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:series',
      'RECURRENCE-ID;TZID=Europe/Berlin:20261208T090000',
      'DTSTART;TZID=Europe/Berlin:20261208T110000',
      'DURATION:PT1H',
      'END:VEVENT',
    );
    const result = removeInstance(text, 'VEVENT', new Date('2026-12-08T08:00:00Z'), 'UTC');
    expect(result).not.toBeNull();
    expect(starts(result ?? '')).toEqual(['2026-12-07T08:00:00.000Z', '2026-12-09T08:00:00.000Z']);
  });

  it('matches a floating RECURRENCE-ID in the calendar zone, not the server clock', () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:floating',
      'DTSTART:20261207T090000',
      'RRULE:FREQ=DAILY;COUNT=2',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:floating',
      'RECURRENCE-ID:20261208T090000',
      'DTSTART:20261208T100000',
      'END:VEVENT',
    );
    const result = removeInstance(text, 'VEVENT', new Date('2026-12-08T08:00:00Z'), 'Europe/Berlin') ?? '';
    expect(result).not.toContain('RECURRENCE-ID');
    expect(starts(result, 'Europe/Berlin')).toEqual(['2026-12-07T08:00:00.000Z']);
  });

  it('writes a DATE EXDATE for an all-day series, and gives null when nothing is left', () => {
    const allDay = calendar(
      'BEGIN:VEVENT',
      'UID:days',
      'DTSTART;VALUE=DATE:20261207',
      'RRULE:FREQ=DAILY;COUNT=2',
      'END:VEVENT',
    );
    expect(removeInstance(allDay, 'VEVENT', new Date('2026-12-07T23:00:00Z'), 'Europe/Berlin')).toContain(
      'EXDATE;VALUE=DATE:20261208',
    );
    const override = calendar(
      'BEGIN:VEVENT',
      'UID:lone',
      'RECURRENCE-ID:20261207T090000Z',
      'DTSTART:20261207T100000Z',
      'END:VEVENT',
    );
    expect(removeInstance(override, 'VEVENT', new Date('2026-12-07T09:00:00Z'), 'UTC')).toBeNull();
  });
});
