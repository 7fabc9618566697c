import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  const options = { freeFailures: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxFailures: 10, windowMs: 60_000 };

  it('adds a doubling delay after the free failures, capped under ten seconds', () => {
    const throttle = new LoginThrottle(options);
    const delays = Array.from({ length: 9 }, () => throttle.recordFailure('k', 0));
    expect(delays).toEqual([0, 0, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('blocks a key after the limit until its window ends', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 10; i++) throttle.recordFailure('k', 1_000);
    expect(throttle.blockedForMs('k', 2_000)).toBe(59_000);
    expect(throttle.blockedForMs('other', 2_000)).toBe(0);
    expect(throttle.blockedForMs('k', 61_000)).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 5; i++) throttle.recordFailure('k', 0);
    throttle.recordSuccess('k');
    expect(throttle.recordFailure('k', 0)).toBe(0);
  });
});
