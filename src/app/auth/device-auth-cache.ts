import { createHmac, randomBytes } from 'node:crypto';

/**
 * Remembers recently verified (user, password) pairs so a syncing client does not cost one
 * Argon2 hash per request. Keys are an HMAC of the credentials under a per-process random key:
 * neither the password nor a reusable hash of it is ever held in memory.
 */
export class DeviceAuthCache {
  readonly #key = randomBytes(32);
  readonly #entries = new Map<string, { deviceId: string; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  #keyFor(userId: number, password: string): string {
    return createHmac('sha256', this.#key).update(`${userId}\u0000${password}`).digest('base64url');
  }

  get(userId: number, password: string, now = Date.now()): string | undefined {
    const key = this.#keyFor(userId, password);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.deviceId;
  }

  set(userId: number, password: string, deviceId: string, now = Date.now()): void {
    if (this.#entries.size >= this.#maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(this.#keyFor(userId, password), { deviceId, expiresAt: now + this.#ttlMs });
  }

  forgetDevice(deviceId: string): void {
    for (const [key, entry] of this.#entries) if (entry.deviceId === deviceId) this.#entries.delete(key);
  }
}
