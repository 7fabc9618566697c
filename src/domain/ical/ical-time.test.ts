import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { unixMs } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';

function dtstartOf(text: string): ICAL.Time {
  const root = readVCalendar(text, { unknownTimeZones: 'floating' });
  const value = root.getFirstSubcomponent('vevent')?.getFirstPropertyValue('dtstart');
  if (!(value instanceof ICAL.Time)) throw new Error('no DTSTART');
  return value;
}

function calendar(dtstart: string, ...extra: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    ...extra,
    'BEGIN:VEVENT',
    'UID:t',
    'DTSTAMP:20260101T000000Z',
    dtstart,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function customZone(offset: string): string[] {
  return [
    'BEGIN:VTIMEZONE',
    'TZID:Office',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    'END:STANDARD',
    'END:VTIMEZONE',
  ];
}

describe('unixMs', () => {
  it('equals ical.js toUnixTime for any wall-clock time, DST gaps and repeats included', () => {
    const zones = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC');
    fc.assert(
      fc.property(
        zones,
        fc.integer({ min: 0, max: 60 * 24 * 365 * 3 }),
        fc.boolean(),
        (zone, minutes, asked) => {
          const wall = new Date(Date.UTC(2025, 0, 1) + minutes * 60_000);
          const stamp = wall.toISOString().replace(/[-:]/g, '').slice(0, 15);
          const time = dtstartOf(calendar(`DTSTART;TZID=${zone}:${stamp}`));
          // Asking first fills the memory; the second answer must be the same either way.
          if (asked) unixMs(time.clone());
          expect(unixMs(time)).toBe(time.clone().toUnixTime() * 1000);
          expect(unixMs(time)).toBe(time.clone().toUnixTime() * 1000);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps the answers of two objects whose own VTIMEZONEs share a TZID apart', () => {
    const east = dtstartOf(calendar('DTSTART;TZID=Office:20260601T090000', ...customZone('+0300')));
    const west = dtstartOf(calendar('DTSTART;TZID=Office:20260601T090000', ...customZone('-0500')));
    // A third object with the first one's definition, read after the second.
    const eastAgain = dtstartOf(calendar('DTSTART;TZID=Office:20260601T090000', ...customZone('+0300')));
    expect(new Date(unixMs(east)).toISOString()).toBe('2026-06-01T06:00:00.000Z');
    expect(new Date(unixMs(west)).toISOString()).toBe('2026-06-01T14:00:00.000Z');
    expect(new Date(unixMs(eastAgain)).toISOString()).toBe('2026-06-01T06:00:00.000Z');
  });
});
