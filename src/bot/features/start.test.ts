import { describe, expect, it } from 'vitest';
import { decodeCallback, encodeCallback } from '../../telegram/callback-data.ts';
import { pickerZones, resolveTimeZone } from './start.ts';

describe('resolveTimeZone', () => {
  it('accepts IANA names in any case', () => {
    expect(resolveTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('UTC')).toBe('UTC');
  });

  it('finds a zone from a city in its name or a known alias', () => {
    expect(resolveTimeZone('New York')).toBe('America/New_York');
    expect(resolveTimeZone('  tokyo ')).toBe('Asia/Tokyo');
    expect(resolveTimeZone('Munich')).toBe('Europe/Berlin');
  });

  it('refuses what is not a zone or a city', () => {
    expect(resolveTimeZone('Atlantis')).toBeUndefined();
    expect(resolveTimeZone('')).toBeUndefined();
    expect(resolveTimeZone('x'.repeat(100))).toBeUndefined();
  });
});

describe('the time zone picker', () => {
  it('offers only zones that fit a button and resolve back to themselves when pressed', () => {
    for (const zone of pickerZones) {
      const decoded = decodeCallback(encodeCallback({ kind: 'time-zone', zone }));
      expect(decoded).toEqual({ kind: 'time-zone', zone });
      expect(resolveTimeZone(zone)).toBe(zone);
    }
  });
});
