import { calendarTitle } from '../../app/caldav-views.ts';
import { DavError } from '../dav-error.ts';
import type { PropertyDef, Resource } from '../module.ts';
import { principalHref } from '../resource-path.ts';
import { el, type XmlChild } from '../xml/build-xml.ts';
import { CALDAV, type ClarkName, DAV } from '../xml/names.ts';

const collections = ['root', 'principal', 'home', 'calendar', 'schedule-inbox', 'schedule-outbox'] as const;
const everything = [...collections, 'object'] as const;

function ownerOf(resource: Resource): number | null {
  switch (resource.kind) {
    case 'root':
      return null;
    case 'principal':
      return resource.user.telegramId;
    case 'home':
    case 'schedule-inbox':
    case 'schedule-outbox':
      return resource.userId;
    case 'calendar':
    case 'object':
      return resource.calendar.ownerId;
  }
}

// Thunderbird treats a calendar as read-only unless it sees write, write-content or all
// (docs/caldav-client-quirks.md#thunderbird-privileges); the owner may do everything to their
// calendars and objects (RFC 3744 §3, §5.4).
const ownerPrivileges = [
  'read',
  'write',
  'write-properties',
  'write-content',
  'bind',
  'unbind',
  'read-current-user-privilege-set',
  'all',
];
const readPrivileges = ['read', 'read-current-user-privilege-set'];
// A calendar that follows an external feed (app/calendar-subscriptions.ts): its objects cannot be
// written, but its owner may still rename and recolour it (PROPPATCH) and delete it.
const followedFeedPrivileges = [...readPrivileges, 'write-properties'];
// A calendar shared to write (issue 14): its objects, not the owner's name, colour or existence.
const writeSharePrivileges = [...readPrivileges, 'write-content', 'bind', 'unbind'];

function privileges(names: readonly string[]): XmlChild[] {
  return names.map((name) => el(DAV.privilege, [el(`{DAV:}${name}` as ClarkName)]));
}

function httpDate(date: Date): string {
  return date.toUTCString();
}

/** RFC 4918 §15 live properties, RFC 3744 ACL properties and RFC 5397 current-user-principal. */
export const coreProperties: Readonly<Partial<Record<ClarkName, PropertyDef>>> = {
  [DAV.resourcetype]: {
    appliesTo: everything,
    inAllprop: true,
    get: (resource) => {
      switch (resource.kind) {
        case 'object':
          return [];
        case 'principal':
          return [el(DAV.collection), el(DAV.principal)];
        case 'calendar':
          return [el(DAV.collection), el(CALDAV.calendar)];
        case 'schedule-inbox':
          return [el(DAV.collection), el(CALDAV.scheduleInbox)];
        case 'schedule-outbox':
          return [el(DAV.collection), el(CALDAV.scheduleOutbox)];
        default:
          return [el(DAV.collection)];
      }
    },
  },
  [DAV.displayname]: {
    appliesTo: ['principal', 'home', 'calendar'],
    inAllprop: true,
    get: (resource) => {
      if (resource.kind === 'principal') {
        const user = resource.user;
        const full = [user.firstName, user.lastName].filter(Boolean).join(' ');
        return full || user.username || String(user.telegramId);
      }
      if (resource.kind === 'calendar') return calendarTitle(resource.calendar);
      return 'Calendars';
    },
    set: (value, patch) => {
      const name = value.text.trim();
      if (name.length > 200) throw new DavError(403, 'A calendar name has at most 200 characters.');
      patch.name = name || 'Televent';
    },
    remove: (patch) => {
      patch.name = 'Televent';
    },
  },
  [DAV.getetag]: {
    appliesTo: ['object'],
    inAllprop: true,
    get: (resource) => (resource.kind === 'object' ? resource.object.etag : null),
  },
  [DAV.getcontenttype]: {
    appliesTo: ['object'],
    inAllprop: true,
    get: (resource) =>
      resource.kind === 'object'
        ? `text/calendar; charset=utf-8; component=${resource.object.componentType.toLowerCase()}`
        : null,
  },
  [DAV.getcontentlength]: {
    appliesTo: ['object'],
    inAllprop: true,
    get: (resource) => {
      if (resource.kind !== 'object') return null;
      const { size, ical } = resource.object;
      return size !== undefined ? String(size) : ical !== undefined ? String(Buffer.byteLength(ical)) : null;
    },
  },
  [DAV.getlastmodified]: {
    appliesTo: ['object'],
    inAllprop: true,
    get: (resource) => (resource.kind === 'object' ? httpDate(resource.object.updatedAt) : null),
  },
  [DAV.currentUserPrincipal]: {
    appliesTo: everything,
    get: (_resource, context) => [el(DAV.href, principalHref(context.userId))],
  },
  [DAV.principalUrl]: {
    appliesTo: ['principal'],
    get: (_resource, context) => [el(DAV.href, principalHref(context.userId))],
  },
  [DAV.principalCollectionSet]: {
    appliesTo: ['principal'],
    get: () => [el(DAV.href, '/principals/')],
  },
  [DAV.owner]: {
    appliesTo: everything,
    get: (resource) => {
      const owner = ownerOf(resource);
      return owner === null ? null : [el(DAV.href, principalHref(owner))];
    },
  },
  [DAV.currentUserPrivilegeSet]: {
    appliesTo: everything,
    get: (resource) => {
      // RFC 6638 §6.1: the owner's inbox takes deliveries, their outbox sends (both done by the server).
      if (resource.kind === 'schedule-inbox') {
        return [...privileges(readPrivileges), el(DAV.privilege, [el(CALDAV.scheduleDeliver)])];
      }
      if (resource.kind === 'schedule-outbox') {
        return [...privileges(readPrivileges), el(DAV.privilege, [el(CALDAV.scheduleSend)])];
      }
      if (resource.kind !== 'calendar' && resource.kind !== 'object') return privileges(readPrivileges);
      const { access, readOnly } = resource.calendar;
      if (access === 'owner' && !readOnly) return privileges(ownerPrivileges);
      if (access === 'write' && !readOnly) return privileges(writeSharePrivileges);
      // RFC 4791 §6.1.1: CALDAV:read-free-busy, implied by DAV:read.
      const base = access === 'owner' ? followedFeedPrivileges : readPrivileges;
      return [...privileges(base), el(DAV.privilege, [el(CALDAV.readFreeBusy)])];
    },
  },
  [DAV.supportedReportSet]: {
    appliesTo: everything,
    get: (resource, context) => {
      const reports: XmlChild[] = [];
      for (const [name, kinds] of context.registry.reportsApplyTo) {
        if (kinds.includes(resource.kind))
          reports.push(el(DAV.supportedReport, [el(DAV.report, [el(name)])]));
      }
      return reports;
    },
  },
};
