import { describe, expect, it } from 'vitest';
import { strongEtag } from '../domain/etag.ts';
import { expandOccurrences } from '../domain/recurrence/expand-occurrences.ts';
import { OccurrenceCache } from './occurrence-cache.ts';

function stored(...props: string[]) {
  const ical = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    'UID:cache-1',
    'DTSTAMP:20260101T000000Z',
    ...props,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return { ical, etag: strongEtag(ical) };
}

const window = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const options = { maxInstances: 100, floatingTimeZone: 'Europe/Berlin' };

describe('OccurrenceCache', () => {
  const daily = stored('DTSTART:20260301T090000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY');

  it('answers like expandOccurrences, first and from memory, for near and far windows', () => {
    const cache = new OccurrenceCache({ maxOccurrences: 10_000 });
    for (const w of [
      window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z'),
      window('2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'),
      window('2027-06-01T00:00:00Z', '2027-07-01T00:00:00Z'),
      window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z'),
    ]) {
      expect(cache.expand(daily, w, options)).toEqual(expandOccurrences(daily.ical, w, options));
    }
    expect(cache.expand(daily, window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z'), {})).toEqual(
      expandOccurrences(daily.ical, window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z')),
    );
  });

  it('answers an event with one instance from memory in every window, near it or years away', () => {
    const cache = new OccurrenceCache({ maxOccurrences: 10_000 });
    const zone = [
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:19701025T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const ical = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      ...zone,
      'BEGIN:VEVENT',
      'UID:cache-once',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20281110T090000',
      'DURATION:PT1H',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const once = { ical, etag: strongEtag(ical) };
    const itsWeek = window('2028-11-06T00:00:00Z', '2028-11-13T00:00:00Z');
    const windows = [
      window('2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z'),
      itsWeek,
      window('2031-01-01T00:00:00Z', '2031-01-08T00:00:00Z'),
      window('2028-11-10T08:30:00Z', '2028-11-10T08:31:00Z'),
    ];
    for (const w of windows) {
      expect(cache.expand(once, w, options)).toEqual(expandOccurrences(once.ical, w, options));
    }
    expect(cache.expand(once, itsWeek, options).occurrences).toHaveLength(1);
    // Built once, by the first window; every later one, however far, is answered from it.
    expect(cache.stats()).toMatchObject({ misses: 1, hits: windows.length });
  });

  it('keeps answering correctly for a series too long to hold', () => {
    const cache = new OccurrenceCache({ maxOccurrences: 10_000 });
    // An hourly series has more instances around a window than one timeline holds.
    const hourly = stored('DTSTART:20260301T090000Z', 'RRULE:FREQ=HOURLY');
    const w = window('2026-03-01T09:00:00Z', '2026-03-02T10:00:00Z');
    for (let i = 0; i < 2; i++) {
      expect(cache.expand(hourly, w, options)).toEqual(expandOccurrences(hourly.ical, w, options));
    }
  });

  it('expands open-ended ranges and series too long for one entry directly, without holding them', () => {
    const cache = new OccurrenceCache({ maxOccurrences: 160 });
    const weekly = stored('DTSTART;TZID=Europe/Berlin:20260301T090000', 'RRULE:FREQ=WEEKLY');
    const openEnded = window('2026-03-01T00:00:00Z', '2200-01-01T00:00:00Z');
    const year = window('2027-01-01T00:00:00Z', '2027-01-08T00:00:00Z');
    for (const w of [openEnded, year, year]) {
      expect(cache.expand(weekly, w, { ...options, maxInstances: 1 })).toEqual(
        expandOccurrences(weekly.ical, w, { ...options, maxInstances: 1 }),
      );
    }
    // A week in 2027 needs some 100 instances from March 2026 on: more than 160 / 16.
    expect(cache.size).toBe(1);
    expect(cache.has(weekly, options.floatingTimeZone)).toBe(true);
    expect(cache.expand(weekly, year, options)).toEqual(expandOccurrences(weekly.ical, year, options));
  });

  it('holds no more occurrences than its bound, dropping the least recently used first', () => {
    // Each series holds 20 occurrences (+1): sixteen fit.
    const cache = new OccurrenceCache({ maxOccurrences: 16 * 21 });
    const w = window('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    const weekly = (n: number) =>
      stored(`DTSTART:20260301T090000Z`, `SUMMARY:${n}`, 'RRULE:FREQ=WEEKLY;COUNT=20');
    for (let n = 0; n < 20; n++) {
      cache.expand(weekly(n), w, options);
      cache.expand(weekly(0), w, options);
    }
    expect(cache.size).toBe(16);
    expect(cache.has(weekly(0), options.floatingTimeZone)).toBe(true);
    expect(cache.has(weekly(1), options.floatingTimeZone)).toBe(false);
    expect(cache.has(weekly(19), options.floatingTimeZone)).toBe(true);
    expect(cache.expand(weekly(1), w, options)).toEqual(expandOccurrences(weekly(1).ical, w, options));
  });

  it('throws for unreadable text as expandOccurrences does', () => {
    const cache = new OccurrenceCache({ maxOccurrences: 100 });
    const bad = { ical: 'BEGIN:VCALENDAR\r\nnot ical', etag: '"x"' };
    const w = window('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
    expect(() => expandOccurrences(bad.ical, w, options)).toThrow();
    expect(() => cache.expand(bad, w, options)).toThrow();
  });
});
