import type { CalendarPropertyPatch } from '../app/caldav-service.ts';
import type { CalendarObjectSummaryView, CalendarView, PrincipalView } from '../app/caldav-views.ts';
import type { RequestWork } from '../app/cooperative-work.ts';
import type { AppServices } from '../app/services.ts';
import type { Logger } from '../observability/logger.ts';
import type { ResourceKind, ResourcePath } from './resource-path.ts';
import type { XmlChild } from './xml/build-xml.ts';
import type { ClarkName } from './xml/names.ts';
import type { XmlElement } from './xml/parse-xml.ts';

export type DavMethod =
  | 'OPTIONS'
  | 'PROPFIND'
  | 'PROPPATCH'
  | 'REPORT'
  | 'GET'
  | 'HEAD'
  | 'PUT'
  | 'DELETE'
  | 'MKCALENDAR'
  | 'MKCOL';

/**
 * A stored calendar object as a resource holds it: listings load it without its text (`ical`
 * absent, `size` known), GET and reports with it.
 */
export type StoredObject = Omit<CalendarObjectSummaryView, 'size'> & { size?: number; ical?: string };

/** A resource the authenticated user owns, loaded once per request. */
export type Resource =
  | { kind: 'root'; href: string }
  | { kind: 'principal'; href: string; user: PrincipalView }
  | { kind: 'home'; href: string; userId: number }
  | { kind: 'calendar'; href: string; calendar: CalendarView }
  | { kind: 'object'; href: string; calendar: CalendarView; object: StoredObject }
  | { kind: 'schedule-inbox' | 'schedule-outbox'; href: string; userId: number };

export interface DavLimits {
  /** RFC 4791 §5.2.5 max-resource-size, in bytes of iCalendar text. */
  maxResourceSize: number;
  /** Most instances one expanded object or free-busy answer holds (docs/architecture.md#bounded-reading). */
  maxInstances: number;
}

/** Everything a handler needs about one request. */
export interface DavContext {
  readonly method: string;
  readonly path: ResourcePath;
  readonly href: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string | undefined;
  readonly userId: number;
  readonly services: AppServices;
  readonly registry: ModuleRegistry;
  readonly limits: DavLimits;
  readonly logger: Logger;
  /** This request's CPU budget: loops over many objects pause on it so others are served too. */
  readonly work: RequestWork;
  /** Names the report a REPORT asked for (a local name such as `calendar-query`) for the metrics. */
  noteReport(name: string): void;
}

export interface DavResponse {
  status: number;
  headers?: Record<string, string>;
  /** Text, or bytes in pieces sent one after another (a kept listing, caldav/response-cache.ts). */
  body?: string | readonly Buffer[];
}

export type MethodHandler = (ctx: DavContext) => Promise<DavResponse>;
export type ReportHandler = (ctx: DavContext, report: XmlElement, resource: Resource) => Promise<DavResponse>;

/** What a property getter may look at besides the resource. */
export interface PropertyContext {
  readonly userId: number;
  readonly registry: ModuleRegistry;
  readonly limits: DavLimits;
}

/**
 * One property: where it exists, whether allprop includes it, how to read it, and, for writable
 * ones, how a PROPPATCH value lands in the calendar patch (throwing a DavError when invalid).
 */
export interface PropertyDef {
  readonly appliesTo: readonly ResourceKind[];
  readonly inAllprop?: boolean;
  /** The property's children; null when the resource has no value (404 in its propstat). */
  get(resource: Resource, context: PropertyContext): readonly XmlChild[] | string | null;
  set?(value: XmlElement, patch: CalendarPropertyPatch): void;
  remove?(patch: CalendarPropertyPatch): void;
}

/** One RFC concern (docs/architecture.md#caldav-modules); modules.ts lists them in order. */
export interface CaldavModule {
  readonly name: string;
  /** Tokens of the DAV: response header (RFC 4918 §10.1). */
  readonly davFeatures?: readonly string[];
  readonly methods?: Partial<Record<DavMethod, MethodHandler>>;
  /** Reports by the Clark name of the request body's root element. */
  readonly reports?: Readonly<Partial<Record<ClarkName, ReportHandler>>>;
  /** Which resource kinds each report applies to (supported-report-set, RFC 3253 §3.1.5). */
  readonly reportsApplyTo?: Readonly<Partial<Record<ClarkName, readonly ResourceKind[]>>>;
  readonly properties?: Readonly<Partial<Record<ClarkName, PropertyDef>>>;
}

/** The modules' contributions merged; built once by modules.ts. */
export interface ModuleRegistry {
  readonly davHeader: string;
  readonly methods: ReadonlyMap<string, MethodHandler>;
  readonly reports: ReadonlyMap<ClarkName, ReportHandler>;
  readonly reportsApplyTo: ReadonlyMap<ClarkName, readonly ResourceKind[]>;
  readonly properties: ReadonlyMap<ClarkName, PropertyDef>;
}
