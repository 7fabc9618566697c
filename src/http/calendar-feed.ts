import type { FastifyRequest } from 'fastify';
import { AppError } from '../app/errors.ts';
import type { AppServices } from '../app/services.ts';
import { type ApiRateLimitOptions, defaultApiRateLimit, registerApiRateLimit } from './plugins/rate-limit.ts';
import type { TypedApp } from './typed-app.ts';

const suffix = '.ics';

/** Where the feed with `secret` is served, relative to the public base URL. */
export function calendarFeedPath(secret: string): string {
  return `/feeds/${secret}${suffix}`;
}

/**
 * GET /feeds/<secret>.ics: a calendar's events for ICS subscribers (Google Calendar, Outlook), who
 * cannot sign in, so the unguessable secret is the credential. Unknown, rotated and revoked secrets
 * get the same 404. Rate limited per address like the rest of the unauthenticated surface, and
 * revalidated with ETag / Last-Modified (RFC 9110 §13) so a polling subscriber costs little.
 */
export async function registerCalendarFeedRoute(
  app: TypedApp,
  services: AppServices,
  options: { rateLimit?: ApiRateLimitOptions } = {},
): Promise<void> {
  await app.register(async (scope: TypedApp) => {
    await registerApiRateLimit(scope, options.rateLimit ?? defaultApiRateLimit);
    scope.get('/feeds/:file', async (request, reply) => {
      const { file } = request.params as { file: string };
      if (!file.endsWith(suffix)) throw new AppError('calendar-not-found');
      const feed = await services.calendarFeeds.resolve(file.slice(0, -suffix.length));
      reply
        .header('etag', feed.etag)
        .header('last-modified', feed.lastModified.toUTCString())
        // The URL is a secret: shared caches keep no copy, and every use revalidates.
        .header('cache-control', 'private, no-cache');
      if (isNotModified(request, feed)) return reply.code(304).send();
      return reply.type('text/calendar; charset=utf-8').send(await feed.render());
    });
  });
}

/**
 * RFC 9110 §13.1.2: If-None-Match (weak comparison) decides when present; only without it does
 * If-Modified-Since (§13.1.3) count.
 */
function isNotModified(request: FastifyRequest, feed: { etag: string; lastModified: Date }): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === '*') return true;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(feed.etag));
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && feed.lastModified.getTime() <= since;
}
