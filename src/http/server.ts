import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cookie from '@fastify/cookie';
import { type FastifyBaseLogger, fastify, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';
import { type BotHealth, type DatabaseCheck, registerHealth } from './plugins/health.ts';
import { recordHttpMetrics, registerMetricsEndpoint } from './plugins/metrics.ts';
import { registerOpenApi, registerOpenApiDocument } from './plugins/openapi.ts';
import { registerProblemDetails } from './plugins/problem-details.ts';
import { type ApiRateLimitOptions, defaultApiRateLimit, registerApiRateLimit } from './plugins/rate-limit.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import type { TypedApp } from './typed-app.ts';

export type { TypedApp } from './typed-app.ts';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Resolves when the database answers a trivial query; /health reports on it. */
  checkDatabase: DatabaseCheck;
  /** How the Telegram bot in this process is, for /health (unset: off). */
  botHealth?: () => BotHealth;
  /** OpenTelemetry request spans, when an OTLP endpoint is configured. */
  tracing?: Tracing | null;
  /** Registers the REST resource routes; `api` is already scoped to the /api prefix and rate limit. */
  registerRoutes?: (api: TypedApp) => Promise<void>;
  /**
   * Registers routes outside /api (Telegram webhook, login links, the static web app, CalDAV) at
   * the root, after the plugins; they get problem+json errors, metrics and security headers but
   * not the REST rate limit. A door with its own error format sets its own handler in its scope.
   */
  registerRootRoutes?: (app: TypedApp) => Promise<void>;
}

/** Knobs tests turn; production uses the defaults. */
export interface HttpOptions {
  rateLimit?: ApiRateLimitOptions;
  /** Largest request body in bytes (413 beyond). */
  bodyLimit?: number;
}

export const defaultBodyLimit = 1_048_576;

/** Accept a caller's request id (a proxy's, say) only if it is short and plain; else make one. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the HTTP door without listening (Fastify's testing guide): tests call `inject()`,
 * main.ts calls `listen()`. Other doors' routes arrive through `registerRoutes` (inside /api) and
 * `registerRootRoutes` (everything else).
 */
export async function buildServer(deps: HttpDeps, options: HttpOptions = {}): Promise<TypedApp> {
  // Typed as Fastify's logger interface so the instance matches TypedApp, which route files import.
  const logger: FastifyBaseLogger = deps.logger.child({ door: 'http' });
  const app: TypedApp = fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? defaultBodyLimit,
    requestIdHeader: false,
    genReqId: requestId,
    // One line per request, written when it is answered (below), instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    // request.ip (rate limits, CalDAV sign-in throttling), request.host and request.protocol.
    trustProxy: trustedProxies(deps.config.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();
  if (typeof deps.config.TRUST_PROXY === 'number') {
    logger.warn(
      'TRUST_PROXY is a hop count: a client that reaches this port without the proxy can choose its own address; list the proxy addresses instead where you can',
    );
  }
  if (!metricsGuarded(deps.config)) {
    logger.warn(
      `GET /metrics is open to anyone who reaches API_HOST=${deps.config.API_HOST}; set METRICS_TOKEN, or METRICS_PORT to serve it on a port of its own`,
    );
  }

  // Tracing wraps every route and hook, so it is registered before anything else.
  if (deps.tracing) await app.register(deps.tracing.fastifyPlugin);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('userId', undefined);
  // A callback hook, not an async one: no promise per request for one header.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // What Fastify's "incoming request" and "request completed" said, on one line written inside the
  // request's span (so it carries the trace id): half the log volume of a busy CalDAV server.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    done();
  });

  // Error handling and the OpenAPI collector come first: both only see what is registered after them.
  registerProblemDetails(app);
  await registerOpenApi(app);
  await registerSecurityHeaders(app, { publicUrl: deps.config.PUBLIC_URL });
  // Web sessions ride on an HttpOnly cookie (see api/authenticate.ts).
  await app.register(cookie);
  recordHttpMetrics(app, deps.metrics);
  // With METRICS_PORT the endpoint lives on its own listener (metrics-server.ts), not on this port.
  if (deps.config.METRICS_PORT === undefined) {
    registerMetricsEndpoint(app, deps.metrics, { token: deps.config.METRICS_TOKEN });
  }
  registerHealth(app, deps.checkDatabase, deps.botHealth);

  await app.register(
    async (api: TypedApp) => {
      // The REST API speaks JSON only; anything else is a 415 rather than a string body.
      api.removeContentTypeParser('text/plain');
      await registerApiRateLimit(api, options.rateLimit ?? defaultApiRateLimit);
      registerOpenApiDocument(api);
      await deps.registerRoutes?.(api);
    },
    { prefix: '/api' },
  );
  await deps.registerRootRoutes?.(app);
  return app;
}

/**
 * Fastify 5.12.1 dropped numeric `trustProxy` (it cannot check who the nearest peer is), so a hop
 * count becomes the equivalent proxy-addr function: the socket peer is hop 0 and the first
 * `hops` hops are proxies, which makes the client the `hops`-th X-Forwarded-For entry from the right.
 */
function trustedProxies(
  setting: Config['TRUST_PROXY'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/** /metrics behind a token or on its own port, or the API reachable from this machine alone. */
function metricsGuarded(config: Config): boolean {
  if (config.METRICS_TOKEN !== undefined || config.METRICS_PORT !== undefined) return true;
  return ['127.0.0.1', '::1', 'localhost'].includes(config.API_HOST);
}

function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}
