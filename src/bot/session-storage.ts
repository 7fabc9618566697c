import type { StorageAdapter } from 'grammy';

/**
 * grammY's session middleware writes the session back after every update that read it. Most
 * updates read it and change nothing, so this adapter remembers what was read and writes only
 * a change; an empty session is deleted rather than stored. Reads and writes of one key never
 * interleave because each user's updates are handled one at a time (UpdateSequencer).
 */
export function writeOnChange<T>(storage: StorageAdapter<T>): StorageAdapter<T> {
  const seen = new Map<string, string>();
  const remember = (key: string, json: string) => {
    // A handler that throws never writes back; do not let such keys pile up.
    if (seen.size > 10_000) seen.clear();
    seen.set(key, json);
  };
  return {
    async read(key) {
      const value = await storage.read(key);
      remember(key, value === undefined ? 'null' : JSON.stringify(value));
      return value;
    },
    async write(key, value) {
      const json = JSON.stringify(value);
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
