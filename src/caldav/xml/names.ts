/** XML namespaces of the properties and reports the CalDAV door speaks. */
export const ns = {
  dav: 'DAV:',
  caldav: 'urn:ietf:params:xml:ns:caldav',
  calendarserver: 'http://calendarserver.org/ns/',
  appleIcal: 'http://apple.com/ns/ical/',
  televent: 'https://televent.app/ns',
} as const;

/** An element name in Clark notation: `{namespace}local`. */
export type ClarkName = `{${string}}${string}`;

export function clark(namespace: string, local: string): ClarkName {
  return `{${namespace}}${local}`;
}

/** Splits a Clark name into namespace and local part. */
export function splitClark(name: ClarkName): { namespace: string; local: string } {
  const close = name.indexOf('}');
  return { namespace: name.slice(1, close), local: name.slice(close + 1) };
}

const d = (local: string) => clark(ns.dav, local);
const c = (local: string) => clark(ns.caldav, local);

export const DAV = {
  multistatus: d('multistatus'),
  response: d('response'),
  href: d('href'),
  propstat: d('propstat'),
  prop: d('prop'),
  status: d('status'),
  error: d('error'),
  responsedescription: d('responsedescription'),
  propfind: d('propfind'),
  propname: d('propname'),
  allprop: d('allprop'),
  include: d('include'),
  propertyupdate: d('propertyupdate'),
  set: d('set'),
  remove: d('remove'),
  resourcetype: d('resourcetype'),
  collection: d('collection'),
  principal: d('principal'),
  displayname: d('displayname'),
  getetag: d('getetag'),
  getcontenttype: d('getcontenttype'),
  getcontentlength: d('getcontentlength'),
  getlastmodified: d('getlastmodified'),
  owner: d('owner'),
  currentUserPrincipal: d('current-user-principal'),
  principalUrl: d('principal-URL'),
  principalCollectionSet: d('principal-collection-set'),
  currentUserPrivilegeSet: d('current-user-privilege-set'),
  privilege: d('privilege'),
  supportedReportSet: d('supported-report-set'),
  supportedReport: d('supported-report'),
  report: d('report'),
  syncToken: d('sync-token'),
  syncCollection: d('sync-collection'),
  syncLevel: d('sync-level'),
  validSyncToken: d('valid-sync-token'),
  limit: d('limit'),
  nresults: d('nresults'),
  numberOfMatchesWithinLimits: d('number-of-matches-within-limits'),
  propfindFiniteDepth: d('propfind-finite-depth'),
  cannotModifyProtectedProperty: d('cannot-modify-protected-property'),
  needPrivileges: d('need-privileges'),
  resourceMustBeNull: d('resource-must-be-null'),
  mkcol: d('mkcol'),
  mkcolResponse: d('mkcol-response'),
} as const;

export const CALDAV = {
  calendar: c('calendar'),
  calendarHomeSet: c('calendar-home-set'),
  calendarUserAddressSet: c('calendar-user-address-set'),
  /** RFC 6638 §2.2, §2.1, §9.2: the scheduling collections and where accepted invitations go. */
  scheduleInbox: c('schedule-inbox'),
  scheduleOutbox: c('schedule-outbox'),
  scheduleInboxUrl: c('schedule-inbox-URL'),
  scheduleOutboxUrl: c('schedule-outbox-URL'),
  scheduleDefaultCalendarUrl: c('schedule-default-calendar-URL'),
  /** RFC 6638 §6.1: the scheduling privileges. */
  scheduleDeliver: c('schedule-deliver'),
  scheduleSend: c('schedule-send'),
  calendarDescription: c('calendar-description'),
  /** RFC 4791 §6.1.1: the privilege to ask for free-busy time. */
  readFreeBusy: c('read-free-busy'),
  calendarTimezone: c('calendar-timezone'),
  supportedCalendarComponentSet: c('supported-calendar-component-set'),
  supportedCalendarData: c('supported-calendar-data'),
  maxResourceSize: c('max-resource-size'),
  maxInstances: c('max-instances'),
  calendarData: c('calendar-data'),
  calendarQuery: c('calendar-query'),
  calendarMultiget: c('calendar-multiget'),
  freeBusyQuery: c('free-busy-query'),
  comp: c('comp'),
  allcomp: c('allcomp'),
  prop: c('prop'),
  allprop: c('allprop'),
  expand: c('expand'),
  limitRecurrenceSet: c('limit-recurrence-set'),
  filter: c('filter'),
  compFilter: c('comp-filter'),
  propFilter: c('prop-filter'),
  paramFilter: c('param-filter'),
  isNotDefined: c('is-not-defined'),
  textMatch: c('text-match'),
  timeRange: c('time-range'),
  timezone: c('timezone'),
  validCalendarData: c('valid-calendar-data'),
  supportedCalendarComponent: c('supported-calendar-component'),
  noUidConflict: c('no-uid-conflict'),
  validFilter: c('valid-filter'),
  supportedFilter: c('supported-filter'),
  supportedCollation: c('supported-collation'),
  calendarCollectionLocationOk: c('calendar-collection-location-ok'),
  mkcalendar: c('mkcalendar'),
  mkcalendarResponse: c('mkcalendar-response'),
} as const;

export const CS = {
  getctag: clark(ns.calendarserver, 'getctag'),
} as const;

export const ICAL = {
  calendarColor: clark(ns.appleIcal, 'calendar-color'),
  calendarOrder: clark(ns.appleIcal, 'calendar-order'),
} as const;

export const TELEVENT = {
  message: clark(ns.televent, 'message'),
} as const;
