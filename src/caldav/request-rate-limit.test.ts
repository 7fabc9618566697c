import { describe, expect, it } from 'vitest';
import { RequestRateLimit } from './request-rate-limit.ts';

describe('RequestRateLimit', () => {
  const start = 1_000_000;

  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limit = new RequestRateLimit({ burst: 3, perMinute: 6 });
    for (let i = 0; i < 3; i++) expect(limit.take(1, start)).toEqual({ allowed: true });
    expect(limit.take(1, start)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limit.take(1, start + 4_000)).toEqual({ allowed: false, retryAfterSeconds: 6 });
  });

  it('takes nothing for a refused request, so the next token arrives on time', () => {
    const limit = new RequestRateLimit({ burst: 1, perMinute: 60 });
    expect(limit.take(1, start).allowed).toBe(true);
    for (let i = 0; i < 100; i++) expect(limit.take(1, start + 500).allowed).toBe(false);
    expect(limit.take(1, start + 1_000).allowed).toBe(true);
    expect(limit.take(1, start + 1_000).allowed).toBe(false);
  });

  it('keeps one bucket per user', () => {
    const limit = new RequestRateLimit({ burst: 2, perMinute: 1 });
    expect(limit.take(1, start).allowed).toBe(true);
    expect(limit.take(1, start).allowed).toBe(true);
    expect(limit.take(1, start).allowed).toBe(false);
    expect(limit.take(2, start).allowed).toBe(true);
  });

  it('refills up to the burst and no further', () => {
    const limit = new RequestRateLimit({ burst: 2, perMinute: 60 });
    expect(limit.take(1, start).allowed).toBe(true);
    const muchLater = start + 3_600_000;
    const allowed = Array.from({ length: 5 }, () => limit.take(1, muchLater).allowed);
    expect(allowed).toEqual([true, true, false, false, false]);
  });
});
