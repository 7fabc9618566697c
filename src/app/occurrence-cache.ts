import type { CacheStats } from '../domain/bounded-cache.ts';
import {
  type ExpandOptions,
  type Expansion,
  expandOccurrences,
} from '../domain/recurrence/expand-occurrences.ts';
import {
  expansionFromTimeline,
  type SeriesTimeline,
  seriesTimeline,
} from '../domain/recurrence/series-timeline.ts';

/** Expands the object it was made for over a window: expandOccurrences with the object's text bound. */
export type Expander = (window: { start: Date; end: Date }, options: ExpandOptions) => Expansion;

type Entry = {
  timeline: SeriesTimeline | null;
  /** Horizon a timeline could not be built to (too many instances): at or past it, expand directly. */
  failedAtMs: number;
  size: number;
  /** Read since eviction last looked at it: it gets a second chance (CLOCK) instead of a move per hit. */
  used: boolean;
};

// A timeline reaches this far past the window that built it, so nearby windows (next week, next
// month) are answered from it too.
const horizonMs = 183 * 86_400_000;
// Wider windows are expanded directly, as before the cache.
const maxSpanMs = 3 * 366 * 86_400_000;

/**
 * Occurrence timelines of recently queried calendar objects, roughly least recently used first out
 * (CLOCK: a hit marks its entry, eviction passes marked ones over once), bounded by
 * the number of occurrences held. Keyed by the object's ETag, a SHA-256 of its stored text (and the
 * floating zone): an edited object has a new ETag, so an entry is never stale, only unused.
 */
export class OccurrenceCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxOccurrences: number;
  readonly #timeLimitMs: number | undefined;
  #held = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  /**
   * `timeLimitMs` bounds the wall-clock time of each expansion this cache runs (ExpandOptions), so
   * that one stored object can never hold a request for long; without it results never depend on
   * the machine's speed.
   */
  constructor(options: { maxOccurrences: number; timeLimitMs?: number }) {
    this.#maxOccurrences = options.maxOccurrences;
    this.#timeLimitMs = options.timeLimitMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** For /metrics; bytes are estimated at 320 per held occurrence. */
  stats(): CacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#held * 320,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }

  /** Whether the object's timeline (or its too-long marker) is held for this floating zone. */
  has(object: { etag: string }, floatingTimeZone = 'UTC'): boolean {
    return this.#entries.has(`${floatingTimeZone} ${object.etag}`);
  }

  /** An Expander for one stored object; its results equal expandOccurrences(object.ical, …). */
  expanderFor(object: { ical: string; etag: string }): Expander {
    return (window, options) => this.expand(object, window, options);
  }

  expand(
    object: { ical: string; etag: string },
    window: { start: Date; end: Date },
    requested: ExpandOptions,
  ): Expansion {
    // Answered from a timeline, `requested` is all it takes; the time limit is for expansions run here.
    const options = (): ExpandOptions =>
      this.#timeLimitMs === undefined ? requested : { ...requested, timeLimitMs: this.#timeLimitMs };
    // An open-ended range (older iOS sends only a start) would need every instance until 2200; a
    // direct expansion stops at the first instances in range instead.
    if (window.end.getTime() - window.start.getTime() > maxSpanMs) {
      return expandOccurrences(object.ical, window, options());
    }
    const floatingTimeZone = requested.floatingTimeZone ?? 'UTC';
    const key = `${floatingTimeZone} ${object.etag}`;
    const entry = this.#entries.get(key);
    if (entry) {
      entry.used = true;
      if (entry.timeline) {
        const answer = expansionFromTimeline(entry.timeline, window, requested);
        if (answer) {
          this.#hits++;
          return answer;
        }
      }
      if (window.end.getTime() + horizonMs >= entry.failedAtMs) {
        return expandOccurrences(object.ical, window, options());
      }
    }
    this.#misses++;
    const coverUntil = new Date(window.end.getTime() + horizonMs);
    const coverFrom = new Date(window.start.getTime() - horizonMs);
    // Throws InvalidCalendarData for unreadable text, as a direct expansion would.
    const timeline = seriesTimeline(object.ical, coverUntil, floatingTimeZone, {
      coverFrom,
      ...(this.#timeLimitMs === undefined ? {} : { timeLimitMs: this.#timeLimitMs }),
    });
    // One long series may not push out the rest: past this size it is expanded per window.
    const keep = timeline !== null && timeline.items.length <= this.#maxOccurrences / 16;
    this.#store(key, {
      timeline: keep ? timeline : (entry?.timeline ?? null),
      failedAtMs: keep ? (entry?.failedAtMs ?? Number.POSITIVE_INFINITY) : coverUntil.getTime(),
      size: 0,
      used: false,
    });
    const answer = timeline && expansionFromTimeline(timeline, window, requested);
    return answer ?? expandOccurrences(object.ical, window, options());
  }

  #store(key: string, entry: Entry): void {
    const previous = this.#entries.get(key);
    if (previous) {
      this.#held -= previous.size;
      this.#entries.delete(key);
    }
    // Counted as at least one so that entries without occurrences are bounded too.
    entry.size = 1 + (entry.timeline?.items.length ?? 0);
    if (entry.size > this.#maxOccurrences) return;
    this.#entries.set(key, entry);
    this.#held += entry.size;
    for (const [oldest, old] of this.#entries) {
      if (this.#held <= this.#maxOccurrences) break;
      this.#entries.delete(oldest);
      if (old.used) {
        // Second chance: to the back of the order, unmarked (met again at most once more here).
        old.used = false;
        this.#entries.set(oldest, old);
        continue;
      }
      this.#held -= old.size;
      this.#evictions++;
    }
  }
}

/**
 * The settings of the one cache per process (built in app/services.ts), shared by CalDAV queries and
 * every range listing (bot agenda, REST, digest): keys are content hashes, so users never see each
 * other's entries and edits never read stale ones.
 */
export const processOccurrenceCache = { maxOccurrences: 100_000, timeLimitMs: 100 } as const;
