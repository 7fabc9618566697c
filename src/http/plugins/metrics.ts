import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../../observability/metrics.ts';
import { signInFailureOf, throttleOf } from '../../observability/request-notes.ts';

/** The route label of requests no route matched; raw URLs would give one series per scanner probe. */
export const unmatchedRoute = 'unmatched';

export interface MetricsEndpointOptions {
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>`; unset, it answers anyone. */
  token?: string | undefined;
}

/**
 * Counts every response and its latency by method, route pattern and status, with the sign-in
 * failures and throttled requests the doors noted on it (observability/request-notes.ts).
 */
export function recordHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? unmatchedRoute,
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    const signInPath = signInFailureOf(request);
    if (signInPath) metrics.signInFailures.inc({ path: signInPath });
    const limit = throttleOf(request, reply.statusCode);
    if (limit) metrics.throttled.inc({ limit });
  });
}

/** Serves the registry at /metrics in the Prometheus text format, behind METRICS_TOKEN when set. */
export function registerMetricsEndpoint(
  app: FastifyInstance,
  metrics: Metrics,
  options: MetricsEndpointOptions,
): void {
  const allowed = options.token === undefined ? () => true : bearerCheck(options.token);
  app.get('/metrics', { schema: { hide: true } }, async (request: FastifyRequest, reply: FastifyReply) => {
    if (!allowed(request.headers.authorization)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('text/plain; charset=utf-8')
        .send('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.\n');
    }
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}

/**
 * Compares SHA-256 digests with timingSafeEqual: equal lengths whatever was sent, so neither the
 * token's length nor its characters can be learned from how long a refusal takes.
 */
function bearerCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (authorization) => {
    const match = authorization ? /^bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match?.[1]) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]).digest(), expected);
  };
}
