import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.ts';
import { isValidTimeZone, registerReferencedTimeZones, timeZoneCacheStats } from './time/time-zone.ts';

describe('BoundedCache', () => {
  it('drops the least recently used entries past its entry bound, and counts them', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2, maxBytes: 1_000, sizeOf: () => 1 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.stats()).toEqual({ entries: 2, bytes: 2, hits: 2, misses: 1, evictions: 1 });
  });

  it('stays within its byte bound and never holds one value larger than the bound', () => {
    const cache = new BoundedCache<string, string>({
      maxEntries: 100,
      maxBytes: 10,
      sizeOf: (_k, v) => v.length,
    });
    cache.set('a', 'xxxx');
    cache.set('b', 'yyyy');
    cache.set('c', 'zzzz');
    expect(cache.stats().bytes).toBeLessThanOrEqual(10);
    expect(cache.get('a')).toBeUndefined();
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
  });
});

describe('time-zone caches (hostile-input finding 5)', () => {
  it('hold a bounded number of entries however many distinct TZIDs arrive', () => {
    for (let i = 0; i < 5_000; i++) {
      registerReferencedTimeZones([`Nowhere/Zone${i}`], new Set());
      // Intl accepts any letter case: each spelling of a real zone is a distinct key.
      isValidTimeZone(i % 2 === 0 ? 'europe/berlin'.toUpperCase() : `Europe/Berlin`);
    }
    const { formatters, vtimezones, zones } = timeZoneCacheStats();
    expect(zones.entries).toBeLessThanOrEqual(1_000);
    expect(zones.evictions).toBeGreaterThan(0);
    expect(formatters.entries).toBeLessThanOrEqual(2_000);
    expect(vtimezones.entries).toBeLessThanOrEqual(2_000);
  });
});
