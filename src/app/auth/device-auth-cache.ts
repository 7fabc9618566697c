import { hash, randomBytes } from 'node:crypto';

interface Entry {
  deviceId: string;
  expiresAt: number;
}

/**
 * Remembers recently verified (user, password) pairs so a syncing client does not cost one
 * Argon2 hash per request. Keys are a SHA-256 of the credentials under a per-process random
 * secret: neither the password nor a reusable hash of it is ever held in memory. Entries are grouped by
 * user, so a change to one user's device passwords drops exactly that user's pairs.
 */
export class DeviceAuthCache {
  readonly #secret = randomBytes(32).toString('base64');
  readonly #byUser = new Map<number, Map<string, Entry>>();
  #size = 0;
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  // SHA-256 over a fixed-length secret prefix, not HMAC: one-shot hashing is about five times
  // cheaper per request, and since these digests never leave the process, length extension (the
  // reason HMAC exists) gives an attacker nothing.
  keyFor(userId: number, password: string): string {
    return hash('sha256', `${this.#secret}${userId}\u0000${password}`, 'base64url');
  }

  get(userId: number, password: string, now = Date.now()): string | undefined {
    const entries = this.#byUser.get(userId);
    if (!entries) return undefined;
    const key = this.keyFor(userId, password);
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      entries.delete(key);
      this.#size--;
      return undefined;
    }
    return entry.deviceId;
  }

  set(userId: number, password: string, deviceId: string, now = Date.now()): void {
    if (this.#size >= this.#maxEntries) {
      // Maps iterate in insertion order: drop the user whose pairs were cached first.
      const oldest = this.#byUser.keys().next().value;
      if (oldest !== undefined) this.forgetUser(oldest);
    }
    let entries = this.#byUser.get(userId);
    if (!entries) {
      entries = new Map();
      this.#byUser.set(userId, entries);
    }
    const key = this.keyFor(userId, password);
    if (!entries.has(key)) this.#size++;
    entries.set(key, { deviceId, expiresAt: now + this.#ttlMs });
  }

  forgetUser(userId: number): void {
    const entries = this.#byUser.get(userId);
    if (!entries) return;
    this.#size -= entries.size;
    this.#byUser.delete(userId);
  }

  forgetDevice(deviceId: string): void {
    for (const [userId, entries] of this.#byUser) {
      for (const [key, entry] of entries) {
        if (entry.deviceId !== deviceId) continue;
        entries.delete(key);
        this.#size--;
      }
      if (entries.size === 0) this.#byUser.delete(userId);
    }
  }

  clear(): void {
    this.#byUser.clear();
    this.#size = 0;
  }
}
