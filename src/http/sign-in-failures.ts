import rateLimit from '@fastify/rate-limit';
import { AppError, isAppError } from '../app/errors.ts';

export interface SignInFailureLimits {
  /** Failures of one address (or one account) in a window, after which it is refused with 429. */
  maxFailures: number;
  windowMs: number;
}

/** 10 failures in 15 minutes, as a CalDAV (account, address) pair (README "Rate limits"). */
export const defaultSignInFailureLimits: SignInFailureLimits = { maxFailures: 10, windowMs: 15 * 60_000 };

interface Counter {
  failures: number;
  windowStart: number;
}

const maxTrackedKeys = 50_000;
/** An IPv6 client usually holds a whole /64; counting per address would let it rotate freely. */
const ipv6Subnet = 64;

/** The counter key of a client address (IPv6 per /64). */
export function addressKey(ip: string): string {
  return `address:${rateLimit.normalizeIP(ip, ipv6Subnet)}`;
}

/** The counter key of the account a sign-in names (even a forged one: it counts against that name). */
export function accountKey(telegramId: number | string): string {
  return `account:${String(telegramId).slice(0, 32)}`;
}

/**
 * Failed sign-ins of one sign-in path (a login link, the Login Widget, Mini App initData), counted
 * in this process's memory per address and per account. Only failures count; a success neither
 * counts nor clears anything, so signing in to one's own account hands a guesser no fresh budget.
 * The CalDAV door has its own, finer throttle for device passwords (caldav/login-throttle.ts).
 */
export class SignInFailures {
  readonly #limits: SignInFailureLimits;
  readonly #counters = new Map<string, Counter>();

  constructor(limits: Partial<SignInFailureLimits> = {}) {
    this.#limits = { ...defaultSignInFailureLimits, ...limits };
  }

  /** Milliseconds until every one of `keys` is under its limit again; 0 when all are now. */
  blockedForMs(keys: readonly string[], now = Date.now()): number {
    let blockedMs = 0;
    for (const key of keys) {
      const counter = this.#counters.get(key);
      if (!counter || counter.failures < this.#limits.maxFailures) continue;
      const remainingMs = counter.windowStart + this.#limits.windowMs - now;
      if (remainingMs <= 0) this.#counters.delete(key);
      else blockedMs = Math.max(blockedMs, remainingMs);
    }
    return blockedMs;
  }

  /**
   * Counts one failure against each of `keys` and returns a function that takes it back. Paths
   * that await before they know the outcome count first and forgive on success, so a burst of
   * concurrent guesses cannot all slip past the limit.
   */
  count(keys: readonly string[], now = Date.now()): () => void {
    const counted: Counter[] = [];
    for (const key of keys) {
      let counter = this.#counters.get(key);
      if (!counter || counter.windowStart + this.#limits.windowMs <= now) {
        counter = { failures: 0, windowStart: now };
      }
      counter.failures++;
      // Re-inserted, so the Map runs from the stalest counter to the freshest.
      this.#counters.delete(key);
      this.#counters.set(key, counter);
      counted.push(counter);
    }
    for (const stalest of this.#counters.keys()) {
      if (this.#counters.size <= maxTrackedKeys) break;
      this.#counters.delete(stalest);
    }
    let forgiven = false;
    return () => {
      if (forgiven) return;
      forgiven = true;
      for (const counter of counted) counter.failures = Math.max(0, counter.failures - 1);
    };
  }
}

/** Whole seconds for Retry-After, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Runs the check of a signed proof (Login Widget payload, Mini App initData). A proof whose
 * signature or shape is wrong (`invalid-init-data`) is counted against `keys`; once any of them was
 * already past its limit, the failure becomes 429 `too-many-failed-sign-ins` with Retry-After.
 * Expired proofs are not counted: they are real, only old (a Mini App left open for a day).
 */
export function checkSignedProof<T>(failures: SignInFailures, keys: readonly string[], check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!isAppError(error) || error.reason !== 'invalid-init-data') throw error;
    const blockedMs = failures.blockedForMs(keys);
    failures.count(keys);
    if (blockedMs === 0) throw error;
    throw new AppError('too-many-failed-sign-ins', undefined, {
      cause: error,
      details: { retryAfterSeconds: retryAfterSeconds(blockedMs) },
    });
  }
}
