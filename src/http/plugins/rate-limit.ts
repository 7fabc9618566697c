import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { AppError } from '../../app/errors.ts';
import { noteThrottled } from '../../observability/request-notes.ts';

export interface ApiRateLimitOptions {
  /** Requests one user (or, before sign-in, one address) may make per window. */
  max: number;
  timeWindowMs: number;
}

/** REST allows about 300 requests a minute per user or address (docs/architecture.md#rate-limits). */
export const defaultApiRateLimit: ApiRateLimitOptions = { max: 300, timeWindowMs: 60_000 };

/** An IPv6 client usually holds a whole /64; keying on the full address would let it rotate freely. */
const ipv6Subnet = 64;

/** Refusals decided before the limiter ran (wrong credentials), waiting until it has counted the request. */
const deferredRefusals = new WeakMap<FastifyRequest, Error>();

/**
 * For hooks that run before the limiter (authentication in onRequest): refuse this request with
 * `error` only after the limit has counted it, so bad credentials spend the caller's budget like
 * any other request and get 429 once over it.
 */
export function refuseAfterCounting(request: FastifyRequest, error: Error): void {
  deferredRefusals.set(request, error);
}

const throwDeferredRefusal: preValidationHookHandler = (request, _reply, done) => {
  const error = deferredRefusals.get(request);
  if (error) done(error);
  else done();
};

/**
 * Limits every route registered after it in `api`'s scope. It runs as a route-level preValidation
 * hook: after the scope's own onRequest…preValidation hooks (so after authentication has set
 * `request.userId`, and signed-in users are counted by user id wherever they connect from), and
 * before schema validation (so malformed requests count too).
 * Over the limit the request fails with AppError('rate-limited'), rendered as a 429 problem;
 * the plugin has already set Retry-After (seconds) and the X-RateLimit-* headers.
 */
export async function registerApiRateLimit(
  api: FastifyInstance,
  options: ApiRateLimitOptions,
): Promise<void> {
  await api.register(rateLimit, {
    global: true,
    hook: 'preValidation',
    max: options.max,
    timeWindow: options.timeWindowMs,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (request, context) => {
      noteThrottled(request, 'rest');
      return new AppError('rate-limited', `Too many requests; try again in ${context.after}.`, {
        details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      });
    },
  });
  // The limiter appends its hook to each route's preValidation as the route is added; this onRoute
  // hook is added after the limiter's, so the deferred refusal runs right after the count.
  api.addHook('onRoute', (route) => {
    const own = route.preValidation;
    route.preValidation = [
      ...(own === undefined ? [] : Array.isArray(own) ? own : [own]),
      throwDeferredRefusal,
    ];
  });
}

export function rateLimitKey(request: FastifyRequest): string {
  return request.userId === undefined
    ? `ip:${rateLimit.normalizeIP(request.ip, ipv6Subnet)}`
    : `user:${request.userId}`;
}
