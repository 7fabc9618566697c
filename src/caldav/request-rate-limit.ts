import { DavError } from './dav-error.ts';

export interface RequestRateOptions {
  /** Requests one user may make back to back: a full first sync of three clients fits (README "Rate limits"). */
  burst: number;
  /** Requests per minute the bucket earns back once spent. */
  perMinute: number;
}

/** What a request may do: go ahead, or wait `retryAfterSeconds` for the next token. */
export type RequestRateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Users tracked at once; past it, the least recently active is forgotten (a fresh bucket is full). */
const maxTrackedUsers = 100_000;

/**
 * A token bucket per signed-in user, in this process's memory: each CalDAV request takes one
 * token, the bucket holds at most `burst` and earns `perMinute` back. One Map lookup and a little
 * arithmetic per request; with N HTTP processes behind a load balancer a user may spend up to N
 * buckets, which the README states rather than paying a database round trip per request.
 */
export class RequestRateLimit {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #buckets = new Map<number, Bucket>();

  constructor(options: RequestRateOptions) {
    this.#burst = options.burst;
    this.#perMs = options.perMinute / 60_000;
  }

  /** Takes a token for `userId` when there is one; a refused request takes nothing. */
  take(userId: number, now = Date.now()): RequestRateDecision {
    const bucket = this.#buckets.get(userId);
    const tokens = bucket
      ? Math.min(this.#burst, bucket.tokens + Math.max(0, now - bucket.updatedAt) * this.#perMs)
      : this.#burst;
    if (tokens < 1) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.#perMs / 1000)) };
    }
    // Re-inserted, so the Map's order runs from the least recently active user to the most.
    if (bucket) this.#buckets.delete(userId);
    this.#buckets.set(userId, { tokens: tokens - 1, updatedAt: now });
    if (!bucket && this.#buckets.size > maxTrackedUsers) {
      // The least recently active user is forgotten: their bucket has had longest to fill up again.
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return { allowed: true };
  }
}

/**
 * The answer past the limit: 503 with Retry-After rather than 429, because Thunderbird disables a
 * calendar on a 4xx while a 5xx only ends this sync, and DAVx5 waits for Retry-After on a 503
 * (docs/caldav-client-quirks.md#rate-limit-status).
 */
export function overRateLimit(retryAfterSeconds: number): DavError {
  return new DavError(
    503,
    `Too many requests from this account; try again in ${retryAfterSeconds} s. Nothing was changed.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}
