import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { unixMs } from '../ical/ical-time.ts';
import {
  ianaNameForTzid,
  isValidTimeZone,
  registerReferencedTimeZones,
  utcToZoned,
  vtimezoneFor,
  zonedToUtc,
} from './time-zone.ts';

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects anything else', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('zonedToUtc', () => {
  it('reads a winter and a summer wall clock with the offset in force', () => {
    expect(zonedToUtc('2026-01-15T09:00', 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(zonedToUtc('2026-07-15T09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(zonedToUtc({ year: 2026, month: 7, day: 1, hour: 9 }, 'Asia/Singapore').toISOString()).toBe(
      '2026-07-01T01:00:00.000Z',
    );
  });

  it('moves a time inside the spring-forward gap forward by the gap (RFC 5545 §3.3.5)', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; read with +01:00 it is 03:30 CEST.
    expect(zonedToUtc('2026-03-29T02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedToUtc('2026-03-08T02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the first of two repeated fall-back times (RFC 5545 §3.3.5)', () => {
    expect(zonedToUtc('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedToUtc('2026-11-01T01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('round-trips with utcToZoned for every hour of a DST-change day', () => {
    for (let h = 0; h < 24; h++) {
      const instant = new Date(Date.UTC(2026, 2, 28, 20 + h));
      const local = utcToZoned(instant, 'Europe/Berlin');
      expect(zonedToUtc(local, 'Europe/Berlin').getTime()).toBe(instant.getTime());
    }
  });
});

describe('utcToZoned', () => {
  it('gives the wall clock and the weekday in the zone', () => {
    expect(utcToZoned(new Date('2026-01-25T23:30:00Z'), 'Asia/Singapore')).toEqual({
      year: 2026,
      month: 1,
      day: 26,
      hour: 7,
      minute: 30,
      second: 0,
      weekday: 1,
    });
  });
});

describe('vtimezoneFor', () => {
  it('returns a VTIMEZONE whose TZID is the name asked for, aliases included', () => {
    expect(vtimezoneFor('Europe/Berlin')).toContain('TZID:Europe/Berlin\r\n');
    expect(vtimezoneFor('US/Eastern')).toContain('TZID:US/Eastern\r\n');
    expect(vtimezoneFor('Nowhere/Special')).toBeNull();
  });
});

describe('ianaNameForTzid', () => {
  it('finds the IANA zone inside an old Mozilla-style TZID', () => {
    expect(ianaNameForTzid('/mozilla.org/20050126_1/Europe/Berlin')).toBe('Europe/Berlin');
    expect(ianaNameForTzid('W. Europe Standard Time')).toBeNull();
  });
});

describe('registerReferencedTimeZones', () => {
  it('registers IANA zones, skips the object own ones and reports unknown TZIDs', () => {
    const unknown = registerReferencedTimeZones(['Asia/Singapore', 'Custom/Zone', 'Mine'], new Set(['Mine']));
    expect(unknown).toEqual(['Custom/Zone']);
    expect(ICAL.TimezoneService.has('Asia/Singapore')).toBe(true);
    expect(ICAL.TimezoneService.has('Mine')).toBe(false);
  });
});

describe('ical.js zones, bounded', () => {
  const zoneOf = (tzid: string) =>
    new ICAL.Timezone({ component: new ICAL.Component(ICAL.parse(vtimezoneFor(tzid) ?? '')), tzid });

  it('keeps a zone to a bounded number of changes however far into the future it is asked about', () => {
    const zone = zoneOf('Europe/Berlin');
    for (let year = 2026; year <= 3000; year += 7) {
      new ICAL.Time({ year, month: 6, day: 1, hour: 12 }, zone).utcOffset();
    }
    const { changes } = zone as unknown as { changes: unknown[] };
    // Two changes a year from 1970 to 2205, once each (ical.js used to append them all again per year).
    expect(changes.length).toBeLessThan(600);
  });

  it('gives the same instants as the IANA data at noon on any day, near a change or not', () => {
    fc.assert(
      fc.property(
        // The bundled VTIMEZONEs carry today's rules, so compare from 2020 on.
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Sao_Paulo'),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2090, 0, 1) }),
        (tzid, ms) => {
          const day = new Date(ms);
          const local = {
            year: day.getUTCFullYear(),
            month: day.getUTCMonth() + 1,
            day: day.getUTCDate(),
            hour: 12,
          };
          const time = new ICAL.Time({ ...local, minute: 0, second: 0 }, zoneOf(tzid));
          expect(unixMs(time)).toBe(zonedToUtc(local, tzid).getTime());
        },
      ),
      { numRuns: 300 },
    );
  });
});
