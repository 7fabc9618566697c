import type { StorageAdapter } from 'grammy';

/** A session adapter that can be handed a value read elsewhere (together with the user). */
export interface PrefetchingStorage<T> extends StorageAdapter<T> {
  /** The next read of `key` takes this value instead of asking storage. */
  prefetch(key: string, value: Promise<T | undefined>): void;
}

// A handler that throws never writes back, and a prefetch is normally taken at once; these caps
// only stop leftovers from piling up.
const maxRemembered = 10_000;

/**
 * JSON with object keys sorted: PostgreSQL's jsonb hands keys back in its own order, so a plain
 * JSON.stringify of what was read would differ from the same session built by a handler.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * grammY's session middleware writes the session back after every update that read it. Most
 * updates read it and change nothing, so this adapter remembers what was read and writes only
 * a change; an empty session is deleted rather than stored. Reads and writes of one key never
 * interleave because each user's updates are handled one at a time (UpdateSequencer), which also
 * keeps a prefetched value for the update that asked for it.
 */
export function writeOnChange<T>(storage: StorageAdapter<T>): PrefetchingStorage<T> {
  const seen = new Map<string, string>();
  const prefetched = new Map<string, Promise<T | undefined>>();
  const remember = (key: string, json: string) => {
    if (seen.size > maxRemembered) seen.clear();
    seen.set(key, json);
  };
  return {
    prefetch(key, value) {
      value.catch(() => undefined); // a failed read is reported by whoever awaits it
      if (prefetched.size > maxRemembered) prefetched.clear();
      prefetched.set(key, value);
    },
    async read(key) {
      const pending = prefetched.get(key);
      prefetched.delete(key);
      const value = await (pending ?? storage.read(key));
      remember(key, value === undefined ? 'null' : canonicalJson(value));
      return value;
    },
    async write(key, value) {
      const json = canonicalJson(value);
      const before = seen.get(key);
      seen.delete(key);
      if (json === before) return;
      if (json === '{}') {
        if (before !== 'null') await storage.delete(key);
        return;
      }
      await storage.write(key, value);
    },
    async delete(key) {
      const before = seen.get(key);
      seen.delete(key);
      if (before !== 'null') await storage.delete(key);
    },
  };
}
