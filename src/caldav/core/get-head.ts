import type { DavContext, DavResponse } from '../module.ts';
import { readEtagCondition, weakMatch } from '../preconditions.ts';
import { notFound, resolveResource } from '../resolve-resource.ts';

export const calendarContentType = 'text/calendar; charset=utf-8';

/**
 * RFC 4791 §5.3.4 / RFC 9110 §9.3.1: the stored bytes exactly as the client sent them, with the
 * strong ETag computed from them. HEAD is the same without the body.
 */
export async function getObject(ctx: DavContext): Promise<DavResponse> {
  const { path } = ctx;
  if (path.kind !== 'object') {
    await resolveResource(ctx);
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Televent CalDAV: add this server to a calendar app (user name: your Telegram id, password: a device password).\n',
    };
  }
  // Another user's object is answered like a missing one (docs/architecture.md#isolation-between-users).
  if (path.userId !== ctx.userId) throw notFound();
  const reader = ctx.services.objectReader;
  const object =
    reader.cached(path.userId, path.slug, path.name) ??
    (await reader.read(path.userId, path.slug, path.name));
  if (!object) throw notFound();
  const ifNoneMatch = readEtagCondition(ctx.headers, 'if-none-match');
  if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || weakMatch(ifNoneMatch, object.etag))) {
    return { status: 304, headers: { etag: object.etag } };
  }
  const headers = {
    etag: object.etag,
    'last-modified': object.lastModified,
    'content-type': calendarContentType,
  };
  return { status: 200, headers, body: object.ical };
}

export async function headObject(ctx: DavContext): Promise<DavResponse> {
  const response = await getObject(ctx);
  // getObject answers with the stored text (never pieces of bytes).
  const { body } = response;
  const length = typeof body === 'string' ? String(Buffer.byteLength(body)) : undefined;
  return {
    status: response.status,
    headers: { ...response.headers, ...(length === undefined ? {} : { 'content-length': length }) },
  };
}
