export interface ThrottleOptions {
  /** Failures in a window that cost nothing extra (typos, a client retrying once). */
  freeFailures: number;
  baseDelayMs: number;
  /** FIELD-NOTES §2 #17: clients time out around 30 s, so the added delay stays under 10 s. */
  maxDelayMs: number;
  /** Failures in a window after which attempts get 429 + Retry-After without being checked. */
  maxFailures: number;
  windowMs: number;
}

export const defaultThrottleOptions: ThrottleOptions = {
  freeFailures: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxFailures: 20,
  windowMs: 15 * 60_000,
};

const maxTrackedKeys = 50_000;

/**
 * Failed Basic logins per (account, client IP), in memory. Keyed per account and IP together, so
 * one shared NAT address cannot lock out other accounts, and one account's guesser cannot lock
 * out the owner's other networks (FIELD-NOTES §5.4, nextcloud/server#52480).
 */
export class LoginThrottle {
  readonly #options: ThrottleOptions;
  readonly #entries = new Map<string, { failures: number; windowStart: number }>();

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.#options = { ...defaultThrottleOptions, ...options };
  }

  /** Milliseconds until this key may try again; 0 when it may try now. */
  blockedForMs(key: string, now = Date.now()): number {
    const entry = this.#current(key, now);
    if (!entry || entry.failures < this.#options.maxFailures) return 0;
    return entry.windowStart + this.#options.windowMs - now;
  }

  /** Records a failure and returns how long to hold the answer back. */
  recordFailure(key: string, now = Date.now()): number {
    const entry = this.#current(key, now) ?? { failures: 0, windowStart: now };
    entry.failures++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.#trim(now);
    const { freeFailures, baseDelayMs, maxDelayMs } = this.#options;
    if (entry.failures <= freeFailures) return 0;
    return Math.min(maxDelayMs, baseDelayMs * 2 ** (entry.failures - freeFailures - 1));
  }

  recordSuccess(key: string): void {
    this.#entries.delete(key);
  }

  #current(key: string, now: number) {
    const entry = this.#entries.get(key);
    if (entry && entry.windowStart + this.#options.windowMs <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #trim(now: number): void {
    if (this.#entries.size <= maxTrackedKeys) return;
    // Maps iterate in insertion order and failures re-insert: the first entries are the stalest.
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= maxTrackedKeys && entry.windowStart + this.#options.windowMs > now) break;
      this.#entries.delete(key);
    }
  }
}
