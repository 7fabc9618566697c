import type { DavResponse, ModuleRegistry } from '../module.ts';

export const allowedMethods =
  'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT, MKCALENDAR, MKCOL';

/**
 * RFC 4918 §10.1 / RFC 4791 §5.1: the DAV header lists what the server does. Answered without
 * credentials: it reveals nothing about any user, and clients probe it first
 * (docs/caldav-client-quirks.md#options-without-credentials).
 */
export function optionsResponse(registry: ModuleRegistry): DavResponse {
  return { status: 200, headers: { dav: registry.davHeader, allow: allowedMethods, 'content-length': '0' } };
}
