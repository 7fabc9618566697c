import type { DavContext, DavResponse } from '../module.ts';
import { readEtagCondition, weakMatch } from '../preconditions.ts';
import { resolveResource } from '../resolve-resource.ts';

export const calendarContentType = 'text/calendar; charset=utf-8';

/**
 * RFC 4791 §5.3.4 / RFC 9110 §9.3.1: the stored bytes exactly as the client sent them, with the
 * strong ETag computed from them. HEAD is the same without the body.
 */
export async function getObject(ctx: DavContext): Promise<DavResponse> {
  const resource = await resolveResource(ctx);
  if (resource.kind !== 'object') {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Televent CalDAV: add this server to a calendar app (user name: your Telegram id, password: a device password).\n',
    };
  }
  const { object } = resource;
  const headers = {
    etag: object.etag,
    'last-modified': object.updated_at.toUTCString(),
    'content-type': calendarContentType,
  };
  const ifNoneMatch = readEtagCondition(ctx.headers, 'if-none-match');
  if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || weakMatch(ifNoneMatch, object.etag))) {
    return { status: 304, headers: { etag: object.etag } };
  }
  if (object.ical === undefined) throw new Error('a calendar object was loaded without its text');
  return { status: 200, headers, body: object.ical };
}

export async function headObject(ctx: DavContext): Promise<DavResponse> {
  const response = await getObject(ctx);
  const length = response.body === undefined ? undefined : String(Buffer.byteLength(response.body));
  return {
    status: response.status,
    headers: { ...response.headers, ...(length === undefined ? {} : { 'content-length': length }) },
  };
}
