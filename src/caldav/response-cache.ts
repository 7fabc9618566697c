import type { CalendarView } from '../app/caldav-views.ts';
import { eachCooperatively, type RequestWork } from '../app/cooperative-work.ts';
import type { CacheStats } from '../domain/bounded-cache.ts';
import type { PropertyRequest } from './core/property-request.ts';
import type { Multistatus } from './multistatus.ts';
import { type WrittenXml, XmlDocumentWriter, type XmlNode } from './xml/build-xml.ts';
import type { XmlElement } from './xml/parse-xml.ts';

// The member objects of app/calendar-member-index.ts live as long as that version of the member is
// current in the index; a response written for one is kept beside it, so a listing of a calendar
// that did not change (or changed in a few members) writes only what changed. Objects read straight
// from the database are new every time: their entries go with them.
const written = new WeakMap<object, Map<string, WrittenXml>>();

// Per object: a few ways of asking (Depth-1 PROPFIND, ETag sync, multiget) by a few users.
const maxFormsPerObject = 6;
// A response is kept only up to this size: calendar apps' objects are 1–3 KB. What is kept here
// goes with the member version it describes, and all of it together has a byte bound of its own
// (KeptBytes below), outside the member index's.
const maxKeptResponseBytes = 16 * 1024;

// The index hands out the same array of members for as long as none of them changes: the responses
// to the whole list are kept beside it as one block, so listing an unchanged calendar again copies
// one buffer instead of looking up thousands of members scattered over the heap.
const listings = new WeakMap<object, Map<string, WrittenXml & { count: number }>>();
const maxFormsPerListing = 4;

// After a change the index hands out a new array, mostly of the same member objects in the same
// places. The responses of a listing are remembered place by place beside its array, and the last
// array listed in each form is remembered weakly: the next listing in that form reuses a place whose
// member is the same object without looking it up (scattered over the heap, that was most of a
// listing's cost after a change). Nothing here keeps an array the index has let go of alive.
/** The response at each place: null where `respond` answered nothing, undefined where none was kept. */
type Placed = ReadonlyArray<WrittenXml | null | undefined>;
const placed = new WeakMap<object, Map<string, Placed>>();
const lastListed = new Map<string, WeakRef<readonly object[]>>();
const maxLastListed = 256;

/** What every kept response together may hold: as much again as the member index it sits beside. */
export const defaultKeptResponseBytes = 64 * 1024 * 1024;

/**
 * All kept responses together stay within a byte bound, whatever forms clients ask in: each is
 * counted when kept and counted off once the garbage collector has taken it (it goes with its
 * member version or list, or when a newer form pushes it out). Past the bound, responses are
 * written and sent as usual, only not kept. The count falls only after a collection, so it errs
 * on the side of keeping less.
 */
class KeptBytes {
  maxBytes = defaultKeptResponseBytes;
  bytes = 0;
  entries = 0;
  hits = 0;
  misses = 0;
  refused = 0;
  readonly #collected = new FinalizationRegistry<number>((bytes) => {
    this.bytes -= bytes;
    this.entries--;
  });

  /** Counts `value` in if there is room; false (and nothing counted) when there is none. */
  admit(value: object, bytes: number): boolean {
    if (this.bytes + bytes > this.maxBytes) {
      this.refused++;
      return false;
    }
    this.bytes += bytes;
    this.entries++;
    this.#collected.register(value, bytes);
    return true;
  }
}

const kept = new KeptBytes();

/** The kept responses' size and use, for /metrics (`cache="caldav-responses"`). */
export function keptResponseStats(): CacheStats {
  return {
    entries: kept.entries,
    bytes: kept.bytes,
    hits: kept.hits,
    misses: kept.misses,
    evictions: kept.refused,
  };
}

/** Tests turn the bound down to see what happens past it. */
export function setKeptResponseBytes(maxBytes: number): void {
  kept.maxBytes = maxBytes;
}

/**
 * What the response for a member of `calendar`, as `userId` sees it, depends on besides the member
 * itself: the properties asked for, the user, the calendar's address and access, Prefer:
 * return=minimal and the floating time zone. Undefined when the request asks for something no key
 * can capture (a property element with children or attributes, such as calendar-data with expand).
 */
export function memberResponseForm(
  request: PropertyRequest,
  userId: number,
  calendar: CalendarView,
  options: { minimal?: boolean; floatingTimeZone?: string } = {},
): string | undefined {
  let asked: string;
  if (request.type === 'prop') {
    for (const element of request.elements.values()) if (!isBare(element)) return undefined;
    asked = request.names.join(' ');
  } else if (request.type === 'allprop') {
    asked = `allprop ${request.include.join(' ')}`;
  } else {
    asked = 'propname';
  }
  return JSON.stringify([
    asked,
    userId,
    calendar.homeUserId,
    calendar.slug,
    calendar.ownerId,
    calendar.access,
    calendar.readOnly,
    options.minimal ?? false,
    options.floatingTimeZone ?? null,
  ]);
}

function isBare(element: XmlElement): boolean {
  return (
    element.children.length === 0 &&
    element.text.trim() === '' &&
    Object.keys(element.attributes).length === 0
  );
}

/**
 * Adds the response for `object` in this `form`, written now or reused from an earlier request;
 * `form` undefined writes it without keeping it. The form must name the href too where it is not
 * the member's own address under the calendar the form names (multiget echoes the client's).
 */
export function addMemberResponse(
  body: Multistatus,
  object: object,
  form: string | undefined,
  build: () => XmlNode,
): WrittenXml | undefined {
  if (form === undefined) {
    body.add(build());
    return undefined;
  }
  const reused = written.get(object)?.get(form);
  if (reused) {
    kept.hits++;
    body.addWritten(reused);
    return reused;
  }
  kept.misses++;
  const node = build();
  const response = XmlDocumentWriter.written(node);
  if (!response) {
    body.add(node);
    return undefined;
  }
  body.addWritten(response);
  if (response.xml.length > maxKeptResponseBytes || !kept.admit(response, response.xml.length)) {
    return undefined;
  }
  keep(written, object, form, response, maxFormsPerObject);
  return response;
}

/**
 * Adds a response for every member of `members` (an array the member index keeps while nothing in
 * it changes) that `respond` answers, reusing the whole run when this list was answered in this
 * `listForm` before (it defaults to `form`; a query adds its filter). Each member's own response is
 * kept under `form`. Written item by item with `work`'s pauses otherwise; `complete` is false when
 * the budget ran out (then nothing is kept).
 */
export async function addMemberResponses<T extends object>(
  body: Multistatus,
  members: readonly T[],
  forms: { form: string | undefined; listForm?: string | undefined },
  respond: (member: T) => (() => XmlNode) | null,
  work: RequestWork,
): Promise<{ complete: boolean }> {
  const { form } = forms;
  const listForm = form === undefined ? undefined : (forms.listForm ?? form);
  const block = listForm === undefined ? undefined : listings.get(members)?.get(listForm);
  if (block) {
    kept.hits++;
    body.addWritten(block, block.count);
    return { complete: true };
  }
  const run = body.fork();
  const lastMembers = listForm === undefined ? undefined : lastListed.get(listForm)?.deref();
  const lastPieces =
    lastMembers && listForm !== undefined ? placed.get(lastMembers)?.get(listForm) : undefined;
  const pieces: Array<WrittenXml | null | undefined> = [];
  let place = 0;
  const result = await eachCooperatively(
    members,
    (member) => {
      const at = place++;
      const reused = lastMembers?.[at] === member ? lastPieces?.[at] : undefined;
      if (reused !== undefined) {
        if (reused !== null) run.addWritten(reused);
        pieces.push(reused);
        return;
      }
      const build = respond(member);
      pieces.push(build ? addMemberResponse(run, member, form, build) : null);
    },
    work,
  );
  if (listForm !== undefined && result.complete) {
    keep(placed, members, listForm, pieces, maxFormsPerListing);
    lastListed.delete(listForm);
    lastListed.set(listForm, new WeakRef(members));
    if (lastListed.size > maxLastListed) {
      const oldest = lastListed.keys().next().value;
      if (oldest !== undefined) lastListed.delete(oldest);
    }
  }
  const whole = listForm !== undefined && result.complete ? run.responsesWritten() : undefined;
  if (whole === undefined || listForm === undefined) {
    body.addAll(run);
    return result;
  }
  const entry = { ...whole, count: run.count };
  if (kept.admit(entry, entry.xml.length)) keep(listings, members, listForm, entry, maxFormsPerListing);
  body.addWritten(entry, entry.count);
  return result;
}

/** Keeps `value` beside `owner` under `key`, dropping the oldest key beyond `max`. */
function keep<V>(
  kept: WeakMap<object, Map<string, V>>,
  owner: object,
  key: string,
  value: V,
  max: number,
): void {
  let byKey = kept.get(owner);
  if (!byKey) {
    byKey = new Map();
    kept.set(owner, byKey);
  } else if (byKey.size >= max && !byKey.has(key)) {
    const oldest = byKey.keys().next().value;
    if (oldest !== undefined) byKey.delete(oldest);
  }
  byKey.set(key, value);
}
