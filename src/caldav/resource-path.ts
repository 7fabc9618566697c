/**
 * The URL space of the CalDAV door, all at the domain root
 * (docs/caldav-client-quirks.md#discovery-at-the-root):
 *   /                                   root (discovery starts here)
 *   /principals/<telegram id>/          principal (RFC 5397)
 *   /calendars/<telegram id>/           calendar home (RFC 4791 §6.2.1)
 *   /calendars/<telegram id>/<slug>/    calendar collection
 *   /calendars/<telegram id>/<slug>/<name>   calendar object resource
 *   /scheduling/<telegram id>/inbox/    scheduling inbox (RFC 6638 §2.2; outside the home, so no
 *   /scheduling/<telegram id>/outbox/   scheduling outbox  calendar slug can collide with them, §2.3)
 */
export type ResourcePath =
  | { kind: 'root' }
  | { kind: 'principal'; userId: number }
  | { kind: 'home'; userId: number }
  | { kind: 'calendar'; userId: number; slug: string }
  | { kind: 'object'; userId: number; slug: string; name: string }
  | { kind: 'schedule-inbox'; userId: number }
  | { kind: 'schedule-outbox'; userId: number };

export type ResourceKind = ResourcePath['kind'];

const idPattern = /^[1-9][0-9]{0,15}$/;

/** Reads a request path (query removed); null for anything outside the CalDAV tree. */
export function parseResourcePath(rawPath: string): ResourcePath | null {
  const path = rawPath.split('?')[0] ?? '';
  const raw = path.split('/').slice(1);
  // A trailing slash is optional on collections; it is an empty last segment here.
  if (raw.at(-1) === '') raw.pop();
  let segments: string[];
  try {
    // Split before decoding, so an encoded "/" (%2F) stays inside its segment.
    segments = raw.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  const [top, id, slug, name, ...rest] = segments;
  if (top === undefined) return { kind: 'root' };
  if (rest.length > 0 || id === undefined || !idPattern.test(id)) return null;
  const userId = Number(id);
  if (!Number.isSafeInteger(userId)) return null;
  if (top === 'principals') return slug === undefined ? { kind: 'principal', userId } : null;
  if (top === 'scheduling') {
    if (name !== undefined) return null;
    return slug === 'inbox'
      ? { kind: 'schedule-inbox', userId }
      : slug === 'outbox'
        ? { kind: 'schedule-outbox', userId }
        : null;
  }
  if (top !== 'calendars') return null;
  if (slug === undefined) return { kind: 'home', userId };
  if (name === undefined) return { kind: 'calendar', userId, slug };
  return { kind: 'object', userId, slug, name };
}

export function principalHref(userId: number): string {
  return `/principals/${userId}/`;
}

export function homeHref(userId: number): string {
  return `/calendars/${userId}/`;
}

export function calendarHref(userId: number, slug: string): string {
  return `/calendars/${userId}/${encodeSegment(slug)}/`;
}

export function objectHref(userId: number, slug: string, name: string): string {
  return `/calendars/${userId}/${encodeSegment(slug)}/${encodeSegment(name)}`;
}

export function scheduleInboxHref(userId: number): string {
  return `/scheduling/${userId}/inbox/`;
}

export function scheduleOutboxHref(userId: number): string {
  return `/scheduling/${userId}/outbox/`;
}

export function hrefOf(path: ResourcePath): string {
  switch (path.kind) {
    case 'root':
      return '/';
    case 'principal':
      return principalHref(path.userId);
    case 'home':
      return homeHref(path.userId);
    case 'calendar':
      return calendarHref(path.userId, path.slug);
    case 'object':
      return objectHref(path.userId, path.slug, path.name);
    case 'schedule-inbox':
      return scheduleInboxHref(path.userId);
    case 'schedule-outbox':
      return scheduleOutboxHref(path.userId);
  }
}

/** RFC 3986 §3.3 pchar: "@" and ":" stay readable, everything outside unreserved is escaped. */
// The characters encodeURIComponent leaves alone, and the two put back below: most names need no work.
const plainSegment = /^[A-Za-z0-9\-_.!~*'()@:]*$/;

function encodeSegment(segment: string): string {
  if (plainSegment.test(segment)) return segment;
  return encodeURIComponent(segment).replace(/%40/g, '@').replace(/%3A/g, ':');
}

/**
 * The path part of an href from a request body (absolute URL or absolute path), for matching
 * multiget hrefs against resources; null when it cannot be read.
 */
export function pathOfHref(href: string): string | null {
  const trimmed = href.trim();
  if (trimmed.startsWith('/')) return trimmed;
  try {
    return new URL(trimmed).pathname;
  } catch {
    return null;
  }
}
