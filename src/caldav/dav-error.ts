import { type AppError, isAppError } from '../app/errors.ts';
import { el, serializeXml, type XmlNode } from './xml/build-xml.ts';
import { CALDAV, type ClarkName, DAV, TELEVENT } from './xml/names.ts';

/**
 * A CalDAV answer other than success: an HTTP status plus, where RFC 4918 §16 / RFC 4791 §1.3
 * define one, the precondition element that a DAV:error body names.
 */
export class DavError extends Error {
  readonly status: number;
  readonly precondition: ClarkName | undefined;
  /** Children of the precondition element (e.g. the conflicting DAV:href of no-uid-conflict). */
  readonly preconditionChildren: readonly XmlNode[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    message: string,
    options: {
      precondition?: ClarkName;
      preconditionChildren?: XmlNode[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DavError';
    this.status = status;
    this.precondition = options.precondition;
    this.preconditionChildren = options.preconditionChildren ?? [];
    this.headers = options.headers ?? {};
  }
}

export const basicChallenge = 'Basic realm="Televent", charset="UTF-8"';

/**
 * The one mapping of AppError to CalDAV (docs/architecture.md#errors). `hrefOfName` turns a stored href name
 * into the href a no-uid-conflict precondition shows (RFC 4791 §5.3.2.1).
 */
export function fromAppError(error: AppError, hrefOfName?: (name: string) => string): DavError {
  const message = error.message;
  switch (error.kind) {
    case 'not-found':
      return new DavError(404, message, { cause: error });
    case 'precondition-failed':
      return new DavError(412, message, { cause: error });
    case 'conflict': {
      if (error.reason === 'uid-conflict') {
        const href = error.details.href;
        const children = typeof href === 'string' && hrefOfName ? [el(DAV.href, hrefOfName(href))] : [];
        return new DavError(403, message, {
          precondition: CALDAV.noUidConflict,
          preconditionChildren: children,
          cause: error,
        });
      }
      return new DavError(409, message, { cause: error });
    }
    case 'invalid-input': {
      if (error.reason === 'invalid-calendar-data') {
        // RFC 4791 §5.3.2.1: more instances than the server allows is its own precondition.
        const precondition =
          error.details.calendarReason === 'too-many-instances'
            ? CALDAV.maxInstances
            : CALDAV.validCalendarData;
        return new DavError(403, message, { precondition, cause: error });
      }
      if (error.reason === 'unsupported-component') {
        return new DavError(403, message, { precondition: CALDAV.supportedCalendarComponent, cause: error });
      }
      return new DavError(400, message, { cause: error });
    }
    case 'unauthorized':
      return new DavError(401, message, { headers: { 'www-authenticate': basicChallenge }, cause: error });
    case 'forbidden':
      // The per-user calendar limit: RFC 4791 §5.3.1.1 names no quota precondition for MKCALENDAR,
      // and DAV:quota-not-exceeded (RFC 4331) goes with 507; calendar-collection-location-ok ("a
      // calendar cannot be created here") is the closest 403, and what clients already show.
      if (error.reason === 'calendar-limit-reached') {
        return new DavError(403, message, {
          precondition: CALDAV.calendarCollectionLocationOk,
          cause: error,
        });
      }
      if (
        error.reason === 'default-calendar-undeletable' ||
        error.reason === 'calendar-read-only' ||
        error.reason === 'calendar-shared-read-only' ||
        error.reason === 'not-calendar-owner'
      ) {
        return new DavError(403, message, { precondition: DAV.needPrivileges, cause: error });
      }
      return new DavError(403, message, { cause: error });
    case 'too-large':
      return new DavError(413, message, { cause: error });
    case 'rate-limited':
      return new DavError(429, message, { headers: { 'retry-after': '60' }, cause: error });
    default:
      return error.kind satisfies never;
  }
}

/** Any thrown value as a DavError; null for genuine bugs (the caller logs them and answers 500). */
export function toDavError(error: unknown, hrefOfName?: (name: string) => string): DavError | null {
  if (error instanceof DavError) return error;
  if (isAppError(error)) return fromAppError(error, hrefOfName);
  return null;
}

/** RFC 4918 §8.7 / §16: the DAV:error body, with a readable reason for people reading logs. */
export function davErrorBody(error: DavError): string {
  const children: XmlNode[] = [];
  if (error.precondition) children.push(el(error.precondition, error.preconditionChildren));
  children.push(el(TELEVENT.message, error.message));
  return serializeXml(el(DAV.error, children));
}
