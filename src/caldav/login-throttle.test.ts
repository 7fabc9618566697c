import { describe, expect, it } from 'vitest';
import { type LoginAttempt, LoginThrottle, type ThrottleOptions } from './login-throttle.ts';

const options: ThrottleOptions = {
  freeFailures: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxFailures: 5,
  maxAccountFailures: 8,
  cleanAddressChecks: 3,
  maxAddressFailures: 12,
  windowMs: 60_000,
};

/** Fails one checked attempt; throws if the throttle did not let it be checked. */
function fail(throttle: LoginThrottle, account: string, address: string, now = 0): number {
  const attempt = throttle.begin(account, address, now);
  if (attempt.mode !== 'verify') throw new Error(`expected a check, got ${attempt.mode}`);
  return attempt.failed();
}

describe('LoginThrottle', () => {
  it('adds a doubling delay after the free failures, capped under ten seconds', () => {
    const throttle = new LoginThrottle({ ...options, maxFailures: 10, maxAccountFailures: 10 });
    const delays = Array.from({ length: 9 }, () => fail(throttle, 'acct', 'ip', 0));
    expect(delays).toEqual([0, 0, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('refuses a pair over its limit until its window ends, with the time left', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 5; i++) fail(throttle, 'acct', 'ip', 1_000);
    expect(throttle.begin('acct', 'ip', 2_000)).toMatchObject({ mode: 'refused', retryAfterMs: 59_000 });
    expect(throttle.begin('acct', 'ip', 61_000).mode).toBe('verify');
  });

  it('forgets a pair after a success, but not the failures counted for the account', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 4; i++) fail(throttle, 'acct', 'ip', 0);
    const correct = throttle.begin('acct', 'ip', 0);
    if (correct.mode !== 'verify') throw new Error('expected a check');
    correct.succeeded();
    expect(fail(throttle, 'acct', 'ip', 0)).toBe(0);
    // 5 failures so far for the account; 3 more from another address reach its limit of 8.
    for (let i = 0; i < 3; i++) fail(throttle, 'acct', 'other-ip', 0);
    expect(throttle.begin('acct', 'ip', 0).mode).toBe('memory-only');
  });

  it('checks at most the limit of many concurrent attempts before any of them settles', async () => {
    const throttle = new LoginThrottle(options);
    let verified = 0;
    let release!: () => void;
    const slowVerifier = new Promise<void>((resolve) => {
      release = resolve;
    });
    const attempts = Array.from({ length: 50 }, async () => {
      const attempt = throttle.begin('acct', 'ip', 0);
      if (attempt.mode !== 'verify') return attempt.mode;
      verified++;
      await slowVerifier;
      attempt.failed();
      return attempt.mode;
    });
    release();
    const modes = await Promise.all(attempts);
    expect(verified).toBe(5);
    expect(modes.filter((mode) => mode === 'refused')).toHaveLength(45);
    expect(throttle.begin('acct', 'ip', 0)).toMatchObject({ mode: 'refused', retryAfterMs: 60_000 });
  });

  it('bounds the checks for one account across many addresses, racing or not', async () => {
    const throttle = new LoginThrottle(options);
    let verified = 0;
    let release!: () => void;
    const slowVerifier = new Promise<void>((resolve) => {
      release = resolve;
    });
    const attempts = Array.from({ length: 60 }, async (_, i) => {
      const attempt = throttle.begin('acct', `ip-${i % 20}`, 0);
      if (attempt.mode !== 'verify') return;
      verified++;
      await slowVerifier;
      attempt.failed();
    });
    release();
    await Promise.all(attempts);
    // The account limit plus the few checks left for addresses that had not failed.
    expect(verified).toBe(options.maxAccountFailures + options.cleanAddressChecks);
  });

  it('still checks a locked account from an address that never failed for it, a few times per window', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 5; i++) fail(throttle, 'acct', 'attacker-1', 0);
    for (let i = 0; i < 3; i++) fail(throttle, 'acct', 'attacker-2', 0);
    // The account is at its limit: the attackers' addresses may no longer have passwords checked…
    const attacker = throttle.begin('acct', 'attacker-2', 0);
    expect(attacker).toMatchObject({ mode: 'memory-only', retryAfterMs: 60_000 });
    // …while the owner's fresh address is checked, and a correct password is accepted.
    const owner = throttle.begin('acct', 'owner-home', 1_000);
    expect(owner.mode).toBe('verify');
    if (owner.mode === 'verify') owner.succeeded();
    // Fresh addresses share a small allowance of checks per window, then they too are memory-only.
    for (let i = 0; i < 3; i++) fail(throttle, 'acct', `attacker-fresh-${i}`, 2_000);
    expect(throttle.begin('acct', 'owner-office', 3_000).mode).toBe('memory-only');
    // Other accounts are untouched.
    expect(throttle.begin('other', 'attacker-1', 3_000).mode).toBe('verify');
    expect(throttle.begin('acct', 'owner-office', 60_000).mode).toBe('verify');
  });

  it('stops checking an address that fails across many accounts', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 12; i++) fail(throttle, `acct-${i}`, 'sprayer', 0);
    expect(throttle.begin('acct-new', 'sprayer', 0).mode).toBe('memory-only');
    expect(throttle.begin('acct-new', 'someone-else', 0).mode).toBe('verify');
  });

  it('counts memory-only misses on the pair, so guesses stay bounded per address', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 8; i++) fail(throttle, 'acct', `ip-${i}`, 0);
    const modes: LoginAttempt['mode'][] = [];
    for (let i = 0; i < 7; i++) {
      const attempt = throttle.begin('acct', 'guesser', 0);
      modes.push(attempt.mode);
      if (attempt.mode !== 'refused') attempt.failed();
    }
    // One real check from the fresh address; once it failed there, memory only, until the pair is full.
    expect(modes).toEqual([
      'verify',
      'memory-only',
      'memory-only',
      'memory-only',
      'memory-only',
      'refused',
      'refused',
    ]);
  });

  it('gives a slot back uncounted when the check could not run', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 20; i++) {
      const attempt = throttle.begin('acct', 'ip', 0);
      expect(attempt.mode).toBe('verify');
      if (attempt.mode === 'verify') attempt.release();
    }
  });
});
