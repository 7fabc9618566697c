import ICAL from 'ical.js';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { BoundedCache, type CacheStats } from '../bounded-cache.ts';

/** A wall-clock date and time with no zone attached; month is 1-12. */
export type LocalDateTime = {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
};

/** A wall-clock reading in some zone; weekday is 0 (Sunday) to 6 (Saturday) like Date#getDay. */
export type ZonedParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
};

// Keyed by the name as given: Intl accepts any letter case, so valid names alone are not a bound.
const formatters = new BoundedCache<string, Intl.DateTimeFormat>({
  maxEntries: 2_000,
  maxBytes: 8 * 1024 * 1024,
  sizeOf: (name) => 2 * name.length + 2_048,
});

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime's IANA data knows the zone (aliases such as US/Eastern included). */
export function isValidTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall clock in `timeZone` at the instant `date`. */
export function utcToZoned(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays.indexOf(parts.weekday ?? ''),
  };
}

/** Offset of the zone from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instantMs: number, timeZone: string): number {
  const p = utcToZoned(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function toLocal(local: LocalDateTime | string): LocalDateTime {
  if (typeof local !== 'string') return local;
  const m = localPattern.exec(local);
  if (!m) throw new RangeError(`not a local date-time like 2026-01-25T14:00: ${local}`);
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
}

/**
 * The instant at which the wall clock in `timeZone` reads `local`.
 * RFC 5545 §3.3.5: a time that falls in a DST gap (does not exist) is read with the offset from before
 * the gap, which moves it forward by the gap's length (02:30 on a spring-forward day becomes 03:30);
 * a time that happens twice (fall back) means its first occurrence.
 */
export function zonedToUtc(local: LocalDateTime | string, timeZone: string): Date {
  const l = toLocal(local);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour ?? 0, l.minute ?? 0, l.second ?? 0);
  const day = 86_400_000;
  const candidates = new Set([
    offsetAt(wall - day, timeZone),
    offsetAt(wall, timeZone),
    offsetAt(wall + day, timeZone),
  ]);
  const valid: number[] = [];
  for (const offset of candidates) {
    if (offsetAt(wall - offset, timeZone) === offset) valid.push(wall - offset);
  }
  if (valid.length > 0) return new Date(Math.min(...valid));
  // A gap only opens when the offset grows, so the offset before it is the smaller one.
  return new Date(wall - Math.min(...candidates));
}

let libraryZones: Set<string> | null = null;

function libraryZoneName(tzid: string): string | null {
  if (!libraryZones) {
    const list = tzlib_get_timezones();
    libraryZones = new Set(Array.isArray(list) ? list : []);
  }
  if (libraryZones.has(tzid)) return tzid;
  if (!isValidTimeZone(tzid)) return null;
  const canonical = formatterFor(tzid).resolvedOptions().timeZone;
  return libraryZones.has(canonical) ? canonical : null;
}

const vtimezoneCache = new BoundedCache<string, string | null>({
  maxEntries: 2_000,
  maxBytes: 16 * 1024 * 1024,
  sizeOf: (tzid, text) => 2 * (tzid.length + (text?.length ?? 0)) + 64,
});

/** VTIMEZONE text for an IANA zone with TZID equal to `tzid`, or null when the zone is unknown. */
export function vtimezoneFor(tzid: string): string | null {
  const cached = vtimezoneCache.get(tzid);
  if (cached !== undefined) return cached;
  const name = libraryZoneName(tzid);
  let text: string | null = null;
  if (name) {
    const block = tzlib_get_ical_block(name);
    const first = Array.isArray(block) ? block[0] : undefined;
    // The library answers aliases with the canonical TZID; rename it so DTSTART;TZID= finds it.
    if (first) text = first.replace(/^TZID:.*$/m, `TZID:${tzid}`);
  }
  vtimezoneCache.set(tzid, text);
  return text;
}

// A parsed zone holds its expanded changes too (about 40 KB for a century of a DST zone).
const ianaZones = new BoundedCache<string, ICAL.Timezone | null>({
  maxEntries: 1_000,
  maxBytes: 64 * 1024 * 1024,
  sizeOf: (tzid, zone) => 2 * tzid.length + (zone ? 48 * 1024 : 64),
});

// An object's own VTIMEZONE, by its exact content: calendar apps send the same few definitions
// with every event, and expanding one (every offset change from its first DTSTART on) cost more
// than the rest of reading the event. Same content, same zone: sharing one changes no result.
const ownZones = new BoundedCache<string, ICAL.Timezone>({
  maxEntries: 1_000,
  maxBytes: 64 * 1024 * 1024,
  sizeOf: (content) => 2 * content.length + 48 * 1024,
});

/**
 * The zone a VTIMEZONE component defines, shared by every object holding the same definition.
 * `content` is the component's jCal as JSON (its identity); the zone reads a private copy, so no
 * later change to the caller's component can reach other objects.
 */
export function sharedTimeZone(content: string): ICAL.Timezone {
  let zone = ownZones.get(content);
  if (!zone) {
    zone = new ICAL.Timezone({ component: new ICAL.Component(JSON.parse(content)) });
    ownZones.set(content, zone);
  }
  return zone;
}

/** Hit, miss and eviction counts of the time-zone caches, for /metrics. */
export function timeZoneCacheStats(): {
  formatters: CacheStats;
  vtimezones: CacheStats;
  zones: CacheStats;
  ownZones: CacheStats;
} {
  return {
    formatters: formatters.stats(),
    vtimezones: vtimezoneCache.stats(),
    zones: ianaZones.stats(),
    ownZones: ownZones.stats(),
  };
}

/**
 * Old Mozilla clients write TZIDs like "/mozilla.org/20050126_1/Europe/Berlin"; the IANA name is a
 * suffix of the path. Returns the IANA name a TZID stands for, or null.
 */
export function ianaNameForTzid(tzid: string): string | null {
  if (tzid === 'UTC' || tzid === 'GMT' || tzid === 'Z') return 'UTC';
  if (libraryZoneName(tzid)) return tzid;
  const segments = tzid.split('/').filter((s) => s.length > 0);
  for (let i = 1; i < segments.length - 1; i++) {
    const candidate = segments.slice(i).join('/');
    if (libraryZoneName(candidate)) return candidate;
  }
  return null;
}

function ianaTimezone(tzid: string): ICAL.Timezone | null {
  const cached = ianaZones.get(tzid);
  if (cached !== undefined) return cached;
  const name = ianaNameForTzid(tzid);
  const text = name ? vtimezoneFor(name) : null;
  const zone = text ? new ICAL.Timezone({ component: new ICAL.Component(ICAL.parse(text)), tzid }) : null;
  ianaZones.set(tzid, zone);
  return zone;
}

/**
 * Makes the TZIDs an object references resolvable by ical.js. ical.js itself prefers the object's own
 * VTIMEZONE (Component#getTimeZoneByID, cached per parsed root), so the global TimezoneService only ever
 * holds IANA definitions under their own names: no object's custom VTIMEZONE can leak into another parse,
 * and a result never depends on what was parsed before. Returns the TZIDs that are neither defined in
 * the object (`ownTzids`) nor known IANA zones.
 */
export function registerReferencedTimeZones(
  tzids: Iterable<string>,
  ownTzids: ReadonlySet<string>,
): string[] {
  // Touching the service initialises its built-in UTC/GMT/Z entries, which need no definition.
  ICAL.TimezoneService.get('UTC');
  const unknown: string[] = [];
  for (const tzid of tzids) {
    if (ownTzids.has(tzid) || ICAL.TimezoneService.has(tzid)) continue;
    const zone = ianaTimezone(tzid);
    if (zone) register(zone, tzid);
    else if (!unknown.includes(tzid)) unknown.push(tzid);
  }
  return unknown;
}

// The service is ical.js's global registry, keyed by the TZID as written (any letter case, any
// Mozilla-style prefix): past this many names it is emptied and refilled on demand.
const maxRegistered = 1_000;
const registered = new Set<string>();

function register(zone: ICAL.Timezone, tzid: string): void {
  if (registered.size >= maxRegistered) {
    for (const name of registered) ICAL.TimezoneService.remove(name);
    registered.clear();
  }
  ICAL.TimezoneService.register(zone, tzid);
  registered.add(tzid);
}

/**
 * Offset changes are computed up to this year at most; later instants keep the last offset known.
 * Nothing a person plans needs DST rules past it (sabre/vobject stops expanding at 2100).
 */
export const lastCoveredYear = 2200;

type ExpandingZone = {
  changes: ZoneChange[];
  expandedUntilYear: number;
  _ensureCoverage(year: number): void;
  utcOffset(time: ICAL.Time): number;
};
type ZoneChange = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  utcOffset: number;
};

// Offset changes of a zone as instants, in order, rebuilt when ical.js expands the zone further.
const changeInstants = new WeakMap<
  object,
  { source: ZoneChange[]; length: number; instants: Float64Array }
>();
// Wall clock and UTC differ by less than this in every zone, so a time this far from every change
// has the offset of the change before it, whatever the exact instant.
const offsetSpanMs = 26 * 3_600_000;

/**
 * The zone's offset at a wall-clock time when no offset change lies within a day of it; null near
 * a change (or before the first), where ical.js's own rules for gaps and repeats decide. ical.js finds
 * an offset by scanning and deep-copying its changes on every call, which made zone lookups the larger
 * part of expanding a long series; between changes the answer is simply the last change's offset.
 */
function steadyOffset(zone: object, year: number, wallMs: number): number | null {
  const expanding = zone as ExpandingZone;
  if (typeof expanding._ensureCoverage !== 'function' || !Array.isArray(expanding.changes)) return null;
  expanding._ensureCoverage(year);
  const changes = expanding.changes;
  if (changes.length === 0) return null;
  let cached = changeInstants.get(zone);
  if (!cached || cached.source !== changes || cached.length !== changes.length) {
    const instants = new Float64Array(changes.length);
    for (const [i, c] of changes.entries()) {
      instants[i] = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
    }
    cached = { source: changes, length: changes.length, instants };
    changeInstants.set(zone, cached);
  }
  const before = lastAtOrBefore(cached.instants, wallMs - offsetSpanMs);
  if (before < 0 || lastAtOrBefore(cached.instants, wallMs + offsetSpanMs) !== before) return null;
  return changes[before]?.utcOffset ?? null;
}

function lastAtOrBefore(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] ?? 0) <= value) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * ical.js expands a zone's changes from its first observance to the year asked for, and on every
 * later year it appends the whole expansion again: a query walking into the year 3000 left 178,000
 * duplicate changes in a shared zone and took seconds per call. Here each expansion starts afresh
 * and never goes past `lastCoveredYear`, so one zone costs at most a few thousand changes, for ever.
 */
function boundZoneExpansion(): void {
  const prototype = ICAL.Timezone.prototype as unknown as ExpandingZone & { televentBounded?: true };
  if (prototype.televentBounded) return;
  const expand = prototype._ensureCoverage;
  prototype._ensureCoverage = function ensureCoverage(this: ExpandingZone, year: number) {
    const target = Math.min(year, lastCoveredYear);
    if (this.changes.length > 0 && this.expandedUntilYear >= target) return;
    this.changes = [];
    expand.call(this, target);
  };
  const utcOffset = prototype.utcOffset;
  prototype.utcOffset = function offsetAt(this: ExpandingZone, time: ICAL.Time) {
    // UTC and floating time have no changes to search (and no component to expand).
    if (
      (this as unknown) === ICAL.Timezone.utcTimezone ||
      (this as unknown) === ICAL.Timezone.localTimezone
    ) {
      return 0;
    }
    const wallMs = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    return steadyOffset(this, time.year, wallMs) ?? utcOffset.call(this, time);
  };
  prototype.televentBounded = true;
}
boundZoneExpansion();
