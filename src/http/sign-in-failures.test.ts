import { describe, expect, it } from 'vitest';
import { AppError } from '../app/errors.ts';
import { addressKey, checkSignedProof, SignInFailures } from './sign-in-failures.ts';

describe('SignInFailures', () => {
  const start = 5_000_000;
  const keys = ['address:192.0.2.1', 'account:42'];

  it('blocks a key at its limit until its window ends', () => {
    const failures = new SignInFailures({ maxFailures: 2, windowMs: 60_000 });
    failures.count(keys, start);
    expect(failures.blockedForMs(keys, start)).toBe(0);
    failures.count(keys, start + 10_000);
    expect(failures.blockedForMs(keys, start + 10_000)).toBe(50_000);
    expect(failures.blockedForMs(['account:42'], start + 59_999)).toBe(1);
    expect(failures.blockedForMs(keys, start + 60_000)).toBe(0);
  });

  it('takes back a failure forgiven on success, once', () => {
    const failures = new SignInFailures({ maxFailures: 1, windowMs: 60_000 });
    const forgive = failures.count(keys, start);
    forgive();
    forgive();
    expect(failures.blockedForMs(keys, start)).toBe(0);
    failures.count(keys, start);
    expect(failures.blockedForMs(keys, start)).toBeGreaterThan(0);
  });

  it('counts an IPv6 /64 as one address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb::2'));
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });
});

describe('checkSignedProof', () => {
  const forged = () => {
    throw new AppError('invalid-init-data');
  };

  it('turns failures past the limit into too-many-failed-sign-ins with Retry-After, but lets a valid proof through', () => {
    const failures = new SignInFailures({ maxFailures: 2, windowMs: 60_000 });
    const keys = ['address:192.0.2.9'];
    for (let i = 0; i < 2; i++) expect(() => checkSignedProof(failures, keys, forged)).toThrow(/not valid/);
    let refused: unknown;
    try {
      checkSignedProof(failures, keys, forged);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ reason: 'too-many-failed-sign-ins', details: { retryAfterSeconds: 60 } });
    expect(checkSignedProof(failures, keys, () => 'signed in')).toBe('signed in');
  });

  it('does not count expired proofs', () => {
    const failures = new SignInFailures({ maxFailures: 1, windowMs: 60_000 });
    const keys = ['address:192.0.2.10'];
    const expired = () => {
      throw new AppError('expired-init-data');
    };
    for (let i = 0; i < 3; i++) expect(() => checkSignedProof(failures, keys, expired)).toThrow(/expired/);
    expect(failures.blockedForMs(keys)).toBe(0);
  });
});
