import type { CacheStats } from '../domain/bounded-cache.ts';
import type { Db } from '../storage/db-types.ts';
import {
  type CalendarMember,
  findMembersByHrefs,
  type IndexedMember,
  listIndexedMembers,
} from '../storage/repositories/calendar-member-repository.ts';
import { indexedMembersChangedSince } from '../storage/repositories/change-log-repository.ts';
import type { CacheInvalidation, CacheSubscriber } from './cache-invalidation.ts';

export const defaultMemberIndexBytes = 64 * 1024 * 1024;

// Windows kept per calendar: a few clients' views (this week, this month).
const maxRangesPerCalendar = 8;

// A summary is a handful of short strings and two dates; text is counted at two bytes a character.
const memberOverhead = 400;

/** One member: its summary, and its stored object once a request has read the text. */
class Member {
  readonly summary: IndexedMember;
  object: CalendarMember | undefined = undefined;
  /** The series bounds in milliseconds, unknown ones open (a time-range query reads thousands). */
  readonly first: number;
  readonly last: number;

  constructor(summary: IndexedMember) {
    this.summary = summary;
    this.first = summary.seriesFirstStart?.getTime() ?? Number.NEGATIVE_INFINITY;
    this.last = summary.seriesLastEnd?.getTime() ?? Number.POSITIVE_INFINITY;
  }
}

/**
 * Members by first start, with the bounds beside them in two flat arrays: a time-range query
 * scans those instead of thousands of objects scattered over the heap.
 */
interface ByStart {
  readonly members: readonly Member[];
  readonly first: Float64Array;
  readonly last: Float64Array;
}

/** `byName` (sorted by href name) with `replaced` swapped for `summary` of the same name, or undefined. */
function replacedByName(
  byName: readonly IndexedMember[],
  replaced: IndexedMember,
  summary: IndexedMember,
): IndexedMember[] | undefined {
  let low = 0;
  let high = byName.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const name = byName[middle]?.hrefName ?? '';
    if (name === replaced.hrefName) {
      if (byName[middle] !== replaced) return undefined;
      const patched = byName.slice();
      patched[middle] = summary;
      return patched;
    }
    if (name < replaced.hrefName) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** What the index knows of one calendar: every member as of at least `revision`. */
class CalendarMembers {
  revision: number;
  readonly members = new Map<string, Member>();
  bytes = 0;
  /** The catch-up on its way; requests that need a newer revision wait for it, then look again. */
  catchingUp: Promise<CalendarMembers | undefined> | undefined;
  #byName: IndexedMember[] | undefined;
  #byRevision: IndexedMember[] | undefined;
  #byStart: ByStart | undefined;
  /** Time-range answers while nothing changes, by "start end" (a client polls the same window). */
  readonly inRange = new Map<string, readonly CalendarMember[]>();

  constructor(revision: number, members: readonly IndexedMember[]) {
    this.revision = revision;
    for (const summary of members) this.put(summary);
  }

  put(summary: IndexedMember): void {
    const replaced = this.members.get(summary.hrefName)?.summary;
    const byName = this.#byName;
    const byRevision = this.#byRevision;
    this.remove(summary.hrefName);
    this.members.set(summary.hrefName, new Member(summary));
    this.bytes += memberOverhead + summary.hrefName.length * 4 + summary.etag.length * 2;
    this.#sorted();
    if (!replaced) return;
    // A member written again keeps its place by name and moves to the end by revision: both
    // orders are patched (into new arrays: the old ones may be in use) instead of sorted again.
    if (byName) this.#byName = replacedByName(byName, replaced, summary);
    const lastRevision = byRevision?.at(-1)?.revision;
    if (byRevision && lastRevision !== undefined && summary.revision >= lastRevision) {
      this.#byRevision = [...byRevision.filter((member) => member !== replaced), summary];
    }
  }

  remove(hrefName: string): void {
    const member = this.members.get(hrefName);
    if (!member) return;
    this.members.delete(hrefName);
    this.bytes -= memberOverhead + hrefName.length * 4 + member.summary.etag.length * 2;
    if (member.object) this.bytes -= member.object.ical.length * 2;
    this.#sorted();
  }

  /** Keeps the text of a member read by a request, if the member is still that version. */
  keep(object: CalendarMember): number {
    const member = this.members.get(object.hrefName);
    if (!member || member.object || member.summary.etag !== object.etag) return 0;
    member.object = object;
    this.bytes += object.ical.length * 2;
    return object.ical.length * 2;
  }

  byName(): readonly IndexedMember[] {
    this.#byName ??= [...this.members.values()]
      .map((m) => m.summary)
      .sort((a, b) => (a.hrefName < b.hrefName ? -1 : a.hrefName > b.hrefName ? 1 : 0));
    return this.#byName;
  }

  byRevision(): readonly IndexedMember[] {
    this.#byRevision ??= [...this.byName()].sort((a, b) => a.revision - b.revision);
    return this.#byRevision;
  }

  /** By first start, unknown starts last, as listMembersOverlapping orders them. */
  byStart(): ByStart {
    if (this.#byStart) return this.#byStart;
    const key = (m: Member) => (m.first === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : m.first);
    const members = [...this.members.values()].sort((a, b) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
    );
    this.#byStart = {
      members,
      first: Float64Array.from(members, (m) => m.first),
      last: Float64Array.from(members, (m) => m.last),
    };
    return this.#byStart;
  }

  #sorted(): void {
    this.inRange.clear();
    this.#byName = undefined;
    this.#byRevision = undefined;
    this.#byStart = undefined;
  }
}

/**
 * The members of recently used calendars, kept per process so a listing, an initial sync, a
 * multiget or a time-range query of a large calendar does not read and parse every row again.
 *
 * Never stale, and independent of change notifications: every use names the calendar's sync
 * revision as the request read it from the database, and every write to a member bumps that
 * revision in its own transaction and logs the member in the change log (app/object-writes.ts). An
 * index behind that revision first applies the log since its own revision (one query, the cost
 * following the number of changes); one whose revision the log no longer covers is read again.
 * What it returns is the calendar as of at least the request's revision — the same promise a
 * read of the rows made after the calendar row gives, which is what sync tokens rely on
 * (CaldavService.snapshot).
 *
 * Bounded by bytes (summaries, and the text of members a request read), evicting the calendar used
 * longest ago; a calendar too large for a quarter of the budget is not kept and is read as before.
 */
export class CalendarMemberIndex implements CacheSubscriber {
  readonly #db: Db;
  readonly #maxBytes: number;
  /** Least recently used first. */
  readonly #calendars = new Map<string, CalendarMembers>();
  readonly #loading = new Map<string, Promise<CalendarMembers | undefined>>();
  #bytes = 0;

  constructor(deps: { db: Db; changes?: CacheInvalidation; maxBytes?: number }) {
    this.#db = deps.db;
    this.#maxBytes = deps.maxBytes ?? defaultMemberIndexBytes;
    deps.changes?.subscribe(this);
  }

  /** Every member, by href name; undefined when the calendar is not kept (read it from the database). */
  async summaries(
    calendar: { id: string; syncRevision: number },
    order: 'href_name' | 'revision',
  ): Promise<readonly IndexedMember[] | undefined> {
    const entry = await this.#current(calendar);
    if (!entry) return undefined;
    return order === 'revision' ? entry.byRevision() : entry.byName();
  }

  /** One member's ETag (undefined inside when there is no such member); undefined when not kept. */
  async etagOf(
    calendar: { id: string; syncRevision: number },
    hrefName: string,
  ): Promise<{ etag: string | undefined } | undefined> {
    const entry = await this.#current(calendar);
    return entry && { etag: entry.members.get(hrefName)?.summary.etag };
  }

  /** The members at these href names with their text, read from the database only where not kept. */
  async objects(
    calendar: { id: string; syncRevision: number },
    hrefNames: readonly string[],
  ): Promise<CalendarMember[] | undefined> {
    const entry = await this.#current(calendar);
    if (!entry) return undefined;
    return this.#withText(
      entry,
      calendar.id,
      hrefNames.flatMap((name) => {
        const member = entry.members.get(name);
        return member ? [member] : [];
      }),
    );
  }

  /** Members whose series may touch [start, end), as listMembersOverlapping selects them. */
  async overlapping(
    calendar: { id: string; syncRevision: number },
    range: { start: Date; end: Date },
  ): Promise<readonly CalendarMember[] | undefined> {
    const entry = await this.#current(calendar);
    if (!entry) return undefined;
    const start = range.start.getTime();
    const end = range.end.getTime();
    // The same array for the same window while nothing changed (response-cache.ts keeps its answer).
    const rangeKey = `${start} ${end}`;
    const known = entry.inRange.get(rangeKey);
    if (known) return known;
    const { members, first, last } = entry.byStart();
    const candidates: Member[] = [];
    for (let i = 0; i < members.length; i++) {
      // Unknown starts are open (-Infinity) but sorted last, so the scan cannot stop early.
      if ((first[i] as number) <= end && (last[i] as number) >= start) candidates.push(members[i] as Member);
    }
    const objects = await this.#withText(entry, calendar.id, candidates);
    // Kept only if every candidate is still the version the entry names (no member changed meanwhile).
    if (objects.length === candidates.length && candidates.every((m, i) => m.object === objects[i])) {
      if (entry.inRange.size >= maxRangesPerCalendar) entry.inRange.clear();
      entry.inRange.set(rangeKey, objects);
    }
    return objects;
  }

  async #withText(
    entry: CalendarMembers,
    calendarId: string,
    members: readonly Member[],
  ): Promise<CalendarMember[]> {
    const missing = members.flatMap((m) => (m.object ? [] : [m.summary.hrefName]));
    const read = new Map<string, CalendarMember>();
    if (missing.length > 0) {
      for (const object of await findMembersByHrefs(this.#db, calendarId, missing)) {
        read.set(object.hrefName, object);
        // Only while this entry is still the one kept, within its share of the budget, and only
        // the version the index names.
        const room = this.#maxBytes / 4 - entry.bytes;
        if (this.#calendars.get(calendarId) === entry && object.ical.length * 2 <= room) {
          this.#bytes += entry.keep(object);
        }
      }
      this.#evict();
    }
    // A member deleted since the index's revision is left out, as a read of the rows would.
    return members.flatMap((m) => {
      const object = m.object ?? read.get(m.summary.hrefName);
      return object ? [object] : [];
    });
  }

  async #current(calendar: { id: string; syncRevision: number }): Promise<CalendarMembers | undefined> {
    let entry = this.#calendars.get(calendar.id);
    // A hit: the members known, at the request's revision, without reading the database.
    if (entry && entry.revision >= calendar.syncRevision) this.#hits++;
    else this.#misses++;
    entry ??= await this.#load(calendar);
    if (!entry) return undefined;
    while (entry.revision < calendar.syncRevision) {
      const behind: CalendarMembers = entry;
      behind.catchingUp ??= this.#catchUp(behind, calendar).finally(() => {
        behind.catchingUp = undefined;
      });
      // Another request's catch-up may have been for an older revision: then look again.
      const next = await behind.catchingUp;
      if (!next) return undefined;
      entry = next;
    }
    // Most recently used last.
    if (this.#calendars.get(calendar.id) === entry) {
      this.#calendars.delete(calendar.id);
      this.#calendars.set(calendar.id, entry);
    }
    return entry;
  }

  #load(calendar: { id: string; syncRevision: number }): Promise<CalendarMembers | undefined> {
    let loading = this.#loading.get(calendar.id);
    if (!loading) {
      loading = (async () => {
        // The rows are read after the request read the revision: as of at least that revision.
        const members = await listIndexedMembers(this.#db, calendar.id);
        const entry = new CalendarMembers(calendar.syncRevision, members);
        if (entry.bytes <= this.#maxBytes / 4) this.#store(calendar.id, entry);
        return entry;
      })().finally(() => this.#loading.delete(calendar.id));
      this.#loading.set(calendar.id, loading);
    }
    return loading;
  }

  /** Applies the change log since the entry's revision; a new entry when the log no longer covers it. */
  async #catchUp(
    entry: CalendarMembers,
    calendar: { id: string; syncRevision: number },
  ): Promise<CalendarMembers | undefined> {
    const { oldestRetainedRevision, changes } = await indexedMembersChangedSince(
      this.#db,
      calendar.id,
      entry.revision,
    );
    if (entry.revision < oldestRetainedRevision) {
      this.#drop(calendar.id);
      return this.#load(calendar);
    }
    const before = entry.bytes;
    for (const change of changes) {
      if (change.object) entry.put(change.object);
      else entry.remove(change.hrefName);
    }
    entry.revision = Math.max(entry.revision, calendar.syncRevision);
    if (this.#calendars.get(calendar.id) === entry) {
      this.#bytes += entry.bytes - before;
      if (entry.bytes > this.#maxBytes / 4) this.#drop(calendar.id);
      this.#evict();
    }
    return entry;
  }

  #store(calendarId: string, entry: CalendarMembers): void {
    this.#drop(calendarId);
    this.#calendars.set(calendarId, entry);
    this.#bytes += entry.bytes;
    this.#evict();
  }

  #evict(): void {
    for (const [id] of this.#calendars) {
      if (this.#bytes <= this.#maxBytes) return;
      this.#drop(id);
      this.#evictions++;
    }
  }

  #drop(calendarId: string): void {
    const entry = this.#calendars.get(calendarId);
    if (!entry) return;
    this.#calendars.delete(calendarId);
    this.#bytes -= entry.bytes;
  }

  #hits = 0;
  #misses = 0;
  #evictions = 0;

  /** For /metrics: entries are calendars kept; a miss is a use that read the database first. */
  stats(): CacheStats {
    return {
      entries: this.#calendars.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }

  // Correctness never depends on these (see the class comment); they free memory early.
  calendarChanged(calendarId: string): void {
    this.#drop(calendarId);
  }

  reset(): void {
    this.#calendars.clear();
    this.#bytes = 0;
  }
}
