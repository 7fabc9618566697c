import type { CalendarAccess, CalendarWithAccess } from '../storage/repositories/calendar-repository.ts';
import type { CalendarObjectRow, CalendarRow, UserRow } from '../storage/schema.ts';
import type { UserView } from './account-service.ts';

// What CaldavService hands the CalDAV door instead of storage rows
// (docs/architecture.md#dependency-rules, rule 2). Member listings arrive in this shape straight
// from their SELECT; single rows are mapped here, sharing the stored text rather than copying it.

/** A principal's names, for DAV:displayname (RFC 5397). */
export type PrincipalView = Pick<UserView, 'telegramId' | 'username' | 'firstName' | 'lastName'> & {
  /** The address the user gave /email, one of their calendar-user addresses (RFC 6638 §2.4.1). */
  email?: string | null;
};

/** A calendar collection and the properties CalDAV shows of it (RFC 4791 §5.2, getctag). */
export interface CalendarView {
  id: string;
  ownerId: number;
  /** The user it was read for, in whose calendar home it appears (its owner, or a sharee). */
  homeUserId: number;
  /** The last path segment in that calendar home (a sharee's own name for it). */
  slug: string;
  /** Theirs, or shared with them to write or only to read (issue 14). */
  access: CalendarAccess;
  /** For a calendar shared with them, the name its owner goes by; null for their own. */
  sharedBy: string | null;
  name: string;
  color: string | null;
  description: string | null;
  /** Apple's calendar-order. */
  order: number | null;
  /** IANA name of calendar-timezone. */
  timeZone: string | null;
  /** RFC 4791 §5.2.3 supported-calendar-component-set: VEVENT, VTODO, VJOURNAL. */
  components: string[];
  /** Bumped by every write; the getctag and the sync token name it (RFC 6578). */
  syncRevision: number;
  /** No door may write its objects for this user: it follows an external feed (calendar-subscriptions.ts) or is shared with them to read. */
  readOnly: boolean;
}

/** A calendar object resource with its iCalendar text exactly as stored. */
export interface CalendarObjectView {
  id: string;
  /** The last path segment of the object's URL. */
  hrefName: string;
  etag: string;
  /** VEVENT, VTODO, …: the component the object holds. */
  componentType: string;
  updatedAt: Date;
  /** The calendar revision of the object's last write. */
  revision: number;
  ical: string;
}

/** A calendar object resource without its text (PROPFIND Depth 1, ETag-only sync). */
export type CalendarObjectSummaryView = Omit<CalendarObjectView, 'ical'> & {
  /** Bytes of the stored text (DAV:getcontentlength). */
  size: number;
};

/** The latest change of one member since a sync revision (RFC 6578 §3.2). */
export interface MemberChangeView {
  hrefName: string;
  operation: 'created' | 'modified' | 'deleted';
  revision: number;
}

/**
 * The name a calendar is shown by to the user it was read for: a shared one says whose it is,
 * "Family (Olga)", since two people's calendars are often called alike (CalDAV displayname, the bot).
 */
export function calendarTitle(calendar: Pick<CalendarView, 'name' | 'sharedBy'>): string {
  // A group's calendar is named after the group, which "shares" it: "Hiking club", not "Hiking club (Hiking club)".
  return calendar.sharedBy && calendar.sharedBy !== calendar.name
    ? `${calendar.name} (${calendar.sharedBy})`
    : calendar.name;
}

export function toPrincipalView(user: UserRow): PrincipalView {
  return {
    telegramId: user.telegram_id,
    username: user.username,
    firstName: user.first_name,
    lastName: user.last_name,
  };
}

/**
 * Access, home slug and `read_only` come with the calendar reads that compute them for a user
 * (calendar-repository.ts); a row without them is the owner's own, just written.
 */
export function toCalendarView(
  calendar: CalendarRow &
    Partial<Pick<CalendarWithAccess, 'access' | 'home_user_id' | 'home_slug' | 'read_only' | 'shared_by'>>,
): CalendarView {
  return {
    id: calendar.id,
    ownerId: calendar.owner_id,
    homeUserId: calendar.home_user_id ?? calendar.owner_id,
    slug: calendar.home_slug ?? calendar.slug,
    access: calendar.access ?? 'owner',
    sharedBy: calendar.shared_by ?? null,
    name: calendar.name,
    color: calendar.color,
    description: calendar.description,
    order: calendar.calendar_order,
    timeZone: calendar.time_zone,
    components: calendar.supported_components,
    syncRevision: calendar.sync_revision,
    readOnly: Boolean(calendar.read_only),
  };
}

export function toCalendarObjectView(object: CalendarObjectRow): CalendarObjectView {
  return {
    id: object.id,
    hrefName: object.href_name,
    etag: object.etag,
    componentType: object.component_type,
    updatedAt: object.updated_at,
    revision: object.revision,
    ical: object.ical,
  };
}
