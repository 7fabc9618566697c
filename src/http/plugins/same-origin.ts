import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { AppError } from '../../app/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Unsafe requests to this route must come from our own pages even without a session cookie:
     * the sign-in route, so another site cannot sign a browser in to the attacker's account.
     */
    sameOriginOnly?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF guard for cookie-borne requests. SameSite=Lax keeps the session cookie off cross-site POSTs
 * in current browsers, but not off requests from a sibling subdomain (same-site) nor in older
 * browsers, so an unsafe request riding on the cookie must prove it came from our own pages: `Sec-Fetch-Site:
 * same-origin` (or `none`, typed by the user), or an `Origin` equal to PUBLIC_URL's origin (or to
 * the Host the request was sent to, when PUBLIC_URL is unset). Browsers send Origin on every
 * non-GET request. A request with an `Authorization` header (`tma <initData>` from the Mini App)
 * is not cookie-borne: a page on another site cannot set that header without our CORS consent,
 * which is never given.
 */
export function createSameOriginCheck(options: {
  publicUrl: string | undefined;
  sessionCookie: string;
}): onRequestHookHandler {
  const publicOrigin = options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin;
  return (request, _reply, done) => {
    if (safeMethods.has(request.method) || request.headers.authorization !== undefined) return done();
    const cookieBorne = request.cookies[options.sessionCookie] !== undefined;
    if (!cookieBorne && request.routeOptions.config.sameOriginOnly !== true) return done();
    if (isSameOrigin(request, publicOrigin)) return done();
    done(
      new AppError(
        'cross-site-request',
        `Refused a ${request.method} from another site: requests that rely on the sign-in cookie must come from this site's own pages (a same-origin Origin or Sec-Fetch-Site header).`,
      ),
    );
  };
}

function isSameOrigin(request: FastifyRequest, publicOrigin: string | undefined): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'same-origin' || fetchSite === 'none') return true;
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (publicOrigin !== undefined) return parsed.origin === publicOrigin;
  // Without PUBLIC_URL the Host header is all we know of our own name (X-Forwarded-Host from a
  // trusted proxy). Read through the Origin's scheme, so a default port written out still matches.
  try {
    return new URL(`${parsed.protocol}//${request.host}`).host === parsed.host;
  } catch {
    return false;
  }
}
