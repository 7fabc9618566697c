export interface ThrottleOptions {
  /** Failures of one (account, address) pair in a window that cost nothing extra (typos, a retry). */
  freeFailures: number;
  baseDelayMs: number;
  /** Clients time out around 30 s, so the added delay stays under 10 s
   * (docs/caldav-client-quirks.md#sign-in-delay). */
  maxDelayMs: number;
  /** Failures (and checks in flight) of one (account, address) pair after which it gets 429 unchecked. */
  maxFailures: number;
  /** Failures of one account from all addresses after which only addresses that never failed for it are checked… */
  maxAccountFailures: number;
  /** …and only this many more checks per window, so a locked account costs a bounded number of Argon2 runs. */
  cleanAddressChecks: number;
  /** Failures of one address across all accounts after which its password guesses are no longer checked. */
  maxAddressFailures: number;
  windowMs: number;
}

export const defaultThrottleOptions: ThrottleOptions = {
  freeFailures: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxFailures: 10,
  maxAccountFailures: 20,
  cleanAddressChecks: 10,
  maxAddressFailures: 50,
  windowMs: 15 * 60_000,
};

/**
 * What the caller may do with one sign-in attempt, decided before any await:
 * - `verify`: a check slot is reserved; run the password check, then call exactly one of
 *   `succeeded()`, `failed()` or `release()`.
 * - `memory-only`: the account or the address is over its limit; accept only a password this
 *   process already verified (no Argon2), else answer 429 and call `failed()`.
 * - `refused`: this pair is over its limit; answer 429 without looking at the password.
 */
export type LoginAttempt =
  | {
      mode: 'verify' | 'memory-only';
      retryAfterMs: number;
      succeeded(): void;
      /** Counts the failure; returns how long to hold the answer back. */
      failed(): number;
      /** Gives the slot back uncounted, when the check itself could not run (a database error). */
      release(): void;
    }
  | { mode: 'refused'; retryAfterMs: number };

interface Counter {
  failures: number;
  /** Checks reserved and not yet settled: they count against the limits, so a burst cannot outrun them. */
  pending: number;
  windowStart: number;
}

const maxTrackedKeys = 50_000;

/**
 * Failed Basic sign-ins, in memory, counted three ways (docs/caldav-client-quirks.md#sign-in-delay):
 * per (account, address) pair, per account from every address, and per address across accounts.
 * A slot is reserved synchronously before the password is checked, so N concurrent wrong
 * passwords cannot all be verified. An attacker can push an account or an address over its
 * limit, but not lock its owner out: passwords already verified by this process are still
 * accepted from any pair that is not itself blocked, and addresses that never failed for the
 * account still get a few real checks per window.
 */
export class LoginThrottle {
  readonly #options: ThrottleOptions;
  readonly #pairs = new Map<string, Counter>();
  readonly #accounts = new Map<string, Counter>();
  readonly #addresses = new Map<string, Counter>();

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.#options = { ...defaultThrottleOptions, ...options };
  }

  /** Decides one attempt for `account` from `address` and, when it may be checked, reserves the check. */
  begin(account: string, address: string, now = Date.now()): LoginAttempt {
    const o = this.#options;
    const pairKey = `${account}\u0000${address}`;
    const pair = this.#counter(this.#pairs, pairKey, now);
    const byAccount = this.#counter(this.#accounts, account, now);
    const byAddress = this.#counter(this.#addresses, address, now);
    if (pair.failures + pair.pending >= o.maxFailures) {
      // Full of checks still in flight rather than of failures: those settle within seconds.
      const retryAfterMs = pair.failures >= o.maxFailures ? this.#remainingMs(pair, now) : 1_000;
      this.#dropIfIdle(this.#accounts, account, byAccount);
      this.#dropIfIdle(this.#addresses, address, byAddress);
      return { mode: 'refused', retryAfterMs };
    }
    const accountLoad = byAccount.failures + byAccount.pending;
    const accountOpen =
      accountLoad < o.maxAccountFailures ||
      (pair.failures === 0 && accountLoad < o.maxAccountFailures + o.cleanAddressChecks);
    const addressOpen = byAddress.failures + byAddress.pending < o.maxAddressFailures;
    if (!accountOpen || !addressOpen) {
      const retryAfterMs = Math.max(
        accountOpen ? 0 : this.#remainingMs(byAccount, now),
        addressOpen ? 0 : this.#remainingMs(byAddress, now),
      );
      // Nothing is reserved here, so counters that were only looked up need not stay.
      this.#dropIfIdle(this.#accounts, account, byAccount);
      this.#dropIfIdle(this.#addresses, address, byAddress);
      return {
        mode: 'memory-only',
        retryAfterMs,
        succeeded: () => this.#forgetPair(pairKey),
        // Counted on the pair alone: guesses stay bounded per address, and an owner refused here
        // does not push the account or a shared address further over its limit.
        failed: () => {
          const current = this.#counter(this.#pairs, pairKey, now);
          current.failures++;
          this.#touch(this.#pairs, pairKey, current);
          return 0;
        },
        release: () => {},
      };
    }
    const held: [Map<string, Counter>, string, Counter][] = [
      [this.#pairs, pairKey, pair],
      [this.#accounts, account, byAccount],
      [this.#addresses, address, byAddress],
    ];
    for (const [, , counter] of held) counter.pending++;
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('a login attempt was settled twice');
      settled = true;
      for (const [, , counter] of held) counter.pending--;
    };
    return {
      mode: 'verify',
      retryAfterMs: 0,
      succeeded: () => {
        settle();
        // Only the pair is forgotten: a success must not hand a guesser elsewhere a fresh budget.
        pair.failures = 0;
        for (const [map, key, counter] of held) this.#dropIfIdle(map, key, counter);
      },
      failed: () => {
        settle();
        for (const [map, key, counter] of held) {
          counter.failures++;
          this.#touch(map, key, counter);
        }
        return this.#delayMs(pair.failures);
      },
      release: () => {
        settle();
        for (const [map, key, counter] of held) this.#dropIfIdle(map, key, counter);
      },
    };
  }

  #forgetPair(pairKey: string): void {
    const pair = this.#pairs.get(pairKey);
    if (!pair) return;
    pair.failures = 0;
    this.#dropIfIdle(this.#pairs, pairKey, pair);
  }

  #delayMs(failures: number): number {
    const { freeFailures, baseDelayMs, maxDelayMs } = this.#options;
    if (failures <= freeFailures) return 0;
    return Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - freeFailures - 1));
  }

  #remainingMs(counter: Counter, now: number): number {
    return Math.max(1_000, counter.windowStart + this.#options.windowMs - now);
  }

  /**
   * The counter for `key`, reset in place when its window has passed. Counters are never replaced
   * while a check holds them, so settling always lands on the object that was reserved.
   */
  #counter(map: Map<string, Counter>, key: string, now: number): Counter {
    let counter = map.get(key);
    if (!counter) {
      counter = { failures: 0, pending: 0, windowStart: now };
      map.set(key, counter);
      this.#trim(map);
    } else if (counter.windowStart + this.#options.windowMs <= now) {
      counter.failures = 0;
      counter.windowStart = now;
    }
    return counter;
  }

  /** Moves a failing key to the end of the map, so the first entries are the stalest. */
  #touch(map: Map<string, Counter>, key: string, counter: Counter): void {
    if (map.get(key) !== counter) return;
    map.delete(key);
    map.set(key, counter);
  }

  /** A counter with nothing to remember is dropped, so signed-in traffic leaves no trace here. */
  #dropIfIdle(map: Map<string, Counter>, key: string, counter: Counter): void {
    if (counter.pending === 0 && counter.failures === 0 && map.get(key) === counter) map.delete(key);
  }

  #trim(map: Map<string, Counter>): void {
    if (map.size <= maxTrackedKeys) return;
    // Under pressure the stalest counters go first; those with checks in flight stay, since a
    // check in flight settles on the counter it reserved.
    for (const [key, counter] of map) {
      if (map.size <= maxTrackedKeys) break;
      if (counter.pending === 0) map.delete(key);
    }
  }
}
