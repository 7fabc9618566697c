import { describe, expect, it } from 'vitest';
import { DeviceAuthCache } from './device-auth-cache.ts';

describe('DeviceAuthCache', () => {
  it('answers only the exact user and password it verified, until its entries expire', () => {
    const cache = new DeviceAuthCache({ ttlMs: 1000 });
    cache.set(1001, 'secret', 'device-1', 0);
    expect(cache.get(1001, 'secret', 10)).toBe('device-1');
    expect(cache.get(1001, 'Secret', 10)).toBeUndefined();
    expect(cache.get(1002, 'secret', 10)).toBeUndefined();
    expect(cache.get(1001, 'secret', 1000)).toBeUndefined();
  });

  it('forgets one user, one device, or everything', () => {
    const cache = new DeviceAuthCache();
    cache.set(1001, 'a', 'device-a');
    cache.set(1001, 'b', 'device-b');
    cache.set(1002, 'c', 'device-c');
    cache.forgetDevice('device-a');
    expect(cache.get(1001, 'a')).toBeUndefined();
    expect(cache.get(1001, 'b')).toBe('device-b');
    cache.forgetUser(1001);
    expect(cache.get(1001, 'b')).toBeUndefined();
    expect(cache.get(1002, 'c')).toBe('device-c');
    cache.clear();
    expect(cache.get(1002, 'c')).toBeUndefined();
  });

  it('holds at most maxEntries pairs', () => {
    const cache = new DeviceAuthCache({ maxEntries: 2 });
    cache.set(1, 'a', 'd1');
    cache.set(2, 'b', 'd2');
    cache.set(3, 'c', 'd3');
    expect(cache.get(1, 'a')).toBeUndefined();
    expect(cache.get(2, 'b')).toBe('d2');
    expect(cache.get(3, 'c')).toBe('d3');
  });
});
