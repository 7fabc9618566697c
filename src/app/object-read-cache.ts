import type { CacheStats } from '../domain/bounded-cache.ts';
import type { Db } from '../storage/db-types.ts';
import { findOwnObjectWithCalendar } from '../storage/repositories/calendar-object-summary-repository.ts';
import type { CacheInvalidation, CacheSubscriber } from './cache-invalidation.ts';

/** What a GET or HEAD of one calendar object answers with: the stored text and its validators. */
export interface ObjectRepresentation {
  readonly calendarId: string;
  readonly etag: string;
  /** The stored iCalendar text, exactly as the client sent it. */
  readonly ical: string;
  /** The Last-Modified header value, formatted once. */
  readonly lastModified: string;
}

export const defaultObjectCacheBytes = 48 * 1024 * 1024;

// A JavaScript string may hold two bytes per character; the rest is the entry and its keys.
const entryOverhead = 256;
function sizeOf(value: ObjectRepresentation): number {
  return value.ical.length * 2 + value.etag.length * 2 + entryOverhead;
}

/**
 * Calendar objects as GET returns them, by owner + calendar slug + href name (the request URL),
 * bounded by bytes and evicting roughly the least recently used (CLOCK). The owner is part of the key, so one
 * user's entry can never answer another user's path.
 */
export class ObjectCache implements CacheSubscriber {
  readonly #maxBytes: number;
  #bytes = 0;
  readonly #entries = new Map<string, { value: ObjectRepresentation; used: boolean }>();
  /** calendar id → the key prefix of its entries and the href names cached under it. */
  readonly #calendars = new Map<string, { prefix: string; names: Set<string> }>();

  constructor(options: { maxBytes?: number } = {}) {
    this.#maxBytes = options.maxBytes ?? defaultObjectCacheBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  #hits = 0;
  #misses = 0;
  #evictions = 0;

  stats(): CacheStats {
    const { size: entries } = this.#entries;
    return {
      entries,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }

  static key(ownerId: number, slug: string, hrefName: string): string {
    return `${ownerId}\u0000${slug}\u0000${hrefName}`;
  }

  get(ownerId: number, slug: string, hrefName: string): ObjectRepresentation | undefined {
    const entry = this.#entries.get(ObjectCache.key(ownerId, slug, hrefName));
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    // Marked, not moved: eviction gives a used entry a second chance (CLOCK), so a hit does not
    // rewrite the Map.
    entry.used = true;
    return entry.value;
  }

  set(ownerId: number, slug: string, hrefName: string, value: ObjectRepresentation): void {
    const size = sizeOf(value);
    // One object may not crowd out most of the others.
    if (size > this.#maxBytes / 8) return;
    const prefix = ObjectCache.key(ownerId, slug, '');
    this.#remove(prefix + hrefName);
    let calendar = this.#calendars.get(value.calendarId);
    if (calendar && calendar.prefix !== prefix) {
      // The calendar now lives at another address: nothing under the old one is current.
      this.calendarChanged(value.calendarId);
      calendar = undefined;
    }
    if (!calendar) {
      calendar = { prefix, names: new Set() };
      this.#calendars.set(value.calendarId, calendar);
    }
    calendar.names.add(hrefName);
    this.#entries.set(prefix + hrefName, { value, used: false });
    this.#bytes += size;
    while (this.#bytes > this.#maxBytes) this.#evictOne();
  }

  /** Removes the oldest entry not used since it was last looked at here. */
  #evictOne(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.used) {
        // Second chance: to the back of the order, unmarked.
        entry.used = false;
        this.#entries.delete(key);
        this.#entries.set(key, entry);
        continue;
      }
      this.#remove(key);
      this.#evictions++;
      return;
    }
  }

  objectChanged(calendarId: string, hrefName: string): void {
    const calendar = this.#calendars.get(calendarId);
    if (calendar) this.#remove(calendar.prefix + hrefName);
  }

  calendarChanged(calendarId: string): void {
    const calendar = this.#calendars.get(calendarId);
    if (!calendar) return;
    for (const name of [...calendar.names]) this.#remove(calendar.prefix + name);
    this.#calendars.delete(calendarId);
  }

  reset(): void {
    this.#entries.clear();
    this.#calendars.clear();
    this.#bytes = 0;
  }

  #remove(key: string): void {
    const value = this.#entries.get(key)?.value;
    if (value === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= sizeOf(value);
    const calendar = this.#calendars.get(value.calendarId);
    if (!calendar) return;
    calendar.names.delete(key.slice(calendar.prefix.length));
    if (calendar.names.size === 0) this.#calendars.delete(value.calendarId);
  }
}

/**
 * Reads one of the user's calendar objects for GET/HEAD: from memory while the change feed is
 * live, else (and on a miss) with one query. Another user's object, like a missing one, is
 * undefined: the owner is both the cache key's first part and the query's first condition.
 */
export class ObjectReader {
  readonly #db: Db;
  readonly #changes: CacheInvalidation;
  readonly #cache: ObjectCache;

  constructor(deps: { db: Db; changes: CacheInvalidation; cache?: ObjectCache }) {
    this.#db = deps.db;
    this.#changes = deps.changes;
    this.#cache = deps.cache ?? new ObjectCache();
    this.#changes.subscribe(this.#cache);
  }

  cacheStats(): CacheStats {
    return this.#cache.stats();
  }

  /** The object from memory alone, without any await (the GET hot path); undefined on a miss. */
  cached(ownerId: number, slug: string, hrefName: string): ObjectRepresentation | undefined {
    return this.#changes.live ? this.#cache.get(ownerId, slug, hrefName) : undefined;
  }

  async read(ownerId: number, slug: string, hrefName: string): Promise<ObjectRepresentation | undefined> {
    const hit = this.cached(ownerId, slug, hrefName);
    if (hit) return hit;
    const epoch = this.#changes.epoch;
    const found = await findOwnObjectWithCalendar(this.#db, ownerId, slug, hrefName);
    if (!found) return undefined;
    const value: ObjectRepresentation = {
      calendarId: found.calendar.id,
      etag: found.object.etag,
      ical: found.object.ical,
      lastModified: found.object.updated_at.toUTCString(),
    };
    // Stored only if nothing changed while the query ran: the row may already be stale.
    if (this.#changes.live && this.#changes.epoch === epoch) this.#cache.set(ownerId, slug, hrefName, value);
    return value;
  }
}
