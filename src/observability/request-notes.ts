import { isAppError } from '../app/errors.ts';
import type { SignInPath } from './metrics.ts';

/**
 * What a door learns about a request that the HTTP metrics count once it is answered: a refused
 * sign-in and its path, or which limit refused it. Keyed by the request object (Fastify's), so a
 * door notes a fact without holding the registry, and nothing outlives the request.
 */
const signInFailures = new WeakMap<object, SignInPath>();
const throttles = new WeakMap<object, ThrottleLimit>();

/**
 * The limits `televent_requests_throttled_total` tells apart: the REST and feed rate limit, the
 * CalDAV sign-in throttle, the per-user CalDAV request limit (503 with Retry-After), the browser
 * sign-in failure limits (login links, Login Widget, Mini App initData), and an account doing too
 * much at once (app/ refusing with `rate-limited`: concurrent reports, change streams), which is
 * every other 429.
 */
export type ThrottleLimit =
  | 'rest'
  | 'caldav-sign-in'
  | 'caldav-requests'
  | 'sign-in-failures'
  | 'account-busy';

export function noteSignInFailure(request: object, path: SignInPath): void {
  signInFailures.set(request, path);
}

export function noteThrottled(request: object, limit: ThrottleLimit): void {
  throttles.set(request, limit);
}

export function signInFailureOf(request: object): SignInPath | undefined {
  return signInFailures.get(request);
}

/** The limit that refused an answered request: the one a door noted, else any 429 is `account-busy`. */
export function throttleOf(request: object, status: number): ThrottleLimit | undefined {
  return throttles.get(request) ?? (status === 429 ? 'account-busy' : undefined);
}

/** A browser sign-in refused because its address or account is past the failure limit. */
export function noteIfOverSignInLimit(request: object, error: unknown): void {
  if (isAppError(error) && error.reason === 'too-many-failed-sign-ins')
    noteThrottled(request, 'sign-in-failures');
}
