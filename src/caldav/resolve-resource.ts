import { DavError } from './dav-error.ts';
import type { DavContext, Resource } from './module.ts';
import {
  calendarHref,
  homeHref,
  hrefOf,
  objectHref,
  principalHref,
  type ResourcePath,
} from './resource-path.ts';

/**
 * Loads the resource a path names. Another user's principal, home, calendar or object is answered
 * exactly like an absent one (404), so ids cannot be probed (docs/architecture.md#isolation-between-users).
 */
export async function resolveResource(ctx: DavContext, path: ResourcePath = ctx.path): Promise<Resource> {
  if (path.kind === 'root') return { kind: 'root', href: '/' };
  if (path.userId !== ctx.userId) throw notFound();
  const caldav = ctx.services.caldav;
  switch (path.kind) {
    case 'principal': {
      const user = await caldav.findUser(path.userId);
      if (!user) throw notFound();
      return { kind: 'principal', href: principalHref(path.userId), user };
    }
    case 'home':
      return { kind: 'home', href: homeHref(path.userId), userId: path.userId };
    case 'schedule-inbox':
    case 'schedule-outbox':
      return { kind: path.kind, href: hrefOf(path), userId: path.userId };
    case 'calendar': {
      const calendar = await caldav.findCalendar(path.userId, path.slug);
      if (!calendar) throw notFound();
      return { kind: 'calendar', href: calendarHref(path.userId, calendar.slug), calendar };
    }
    case 'object': {
      // One round trip for calendar and object: this is the GET hot path.
      const found = await caldav.findOwnObject(path.userId, path.slug, path.name);
      if (!found) throw notFound();
      const { calendar, object } = found;
      return {
        kind: 'object',
        href: objectHref(path.userId, calendar.slug, object.hrefName),
        calendar,
        object,
      };
    }
  }
}

/** The members of a collection other than a calendar (core/propfind.ts lists those), for Depth: 1. */
export async function childrenOf(ctx: DavContext, resource: Resource): Promise<Resource[]> {
  switch (resource.kind) {
    case 'home':
      return (await ctx.services.caldav.listCalendars(resource.userId)).map((calendar) => ({
        kind: 'calendar',
        href: calendarHref(calendar.homeUserId, calendar.slug),
        calendar,
      }));
    default:
      return [];
  }
}

export function notFound(): DavError {
  return new DavError(404, 'Nothing is stored at this address.');
}
