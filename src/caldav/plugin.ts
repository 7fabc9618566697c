import { Readable } from 'node:stream';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyTypeProvider,
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { RequestWork } from '../app/cooperative-work.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { noteSignInFailure, noteThrottled } from '../observability/request-notes.ts';
import { authenticateBasic } from './basic-auth.ts';
import { optionsResponse } from './core/options.ts';
import { DavError, davErrorBody, toDavError } from './dav-error.ts';
import { wellKnownPath, wellKnownTarget } from './discovery/well-known.ts';
import { LoginThrottle, type ThrottleOptions } from './login-throttle.ts';
import type { DavContext, DavLimits, DavResponse, ModuleRegistry } from './module.ts';
import { buildRegistry, caldavModules } from './modules.ts';
import { xmlContentType } from './multistatus.ts';
import { overRateLimit, RequestRateLimit } from './request-rate-limit.ts';
import { objectHref, parseResourcePath, type ResourcePath } from './resource-path.ts';
import { schedulingModule } from './scheduling/scheduling-module.ts';

export interface CaldavDeps {
  services: AppServices;
  config: Config;
  logger: Logger;
  /** CalDAV requests by WebDAV method, report and status; main.ts passes the process registry's. */
  metrics?: Metrics;
}

/** Knobs tests turn; production uses the defaults. */
export interface CaldavOptions {
  limits?: Partial<DavLimits>;
  throttle?: Partial<ThrottleOptions>;
}

export const defaultDavLimits: DavLimits = { maxResourceSize: 1_048_576, maxInstances: 3_000 };

const bodyMethods = ['PROPFIND', 'PROPPATCH', 'REPORT', 'MKCALENDAR', 'MKCOL'] as const;
const treeMethods: HTTPMethods[] = ['OPTIONS', 'GET', 'HEAD', 'PUT', 'DELETE', ...bodyMethods];
// `/` itself: GET belongs to whoever serves the web page there; DAV methods are ours.
const rootMethods: HTTPMethods[] = ['OPTIONS', 'PROPFIND', 'PROPPATCH', 'REPORT'];

/** Any Fastify instance with the default server types, whatever its schema type provider. */
type RootInstance<P extends FastifyTypeProvider> = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  P
>;

/**
 * The CalDAV door: RFC 4918/4791/6578 (and RFC 6638 with SMTP_URL) at the domain root (/, /principals/, /calendars/, /scheduling/,
 * /.well-known/caldav). Call it on the root instance: the extra HTTP methods are server-wide.
 * Its body parsers (text/calendar, XML, anything as text) and its DAV:error handler live in their
 * own scope, so the REST door keeps problem+json.
 */
export async function registerCaldav<P extends FastifyTypeProvider>(
  app: RootInstance<P>,
  deps: CaldavDeps,
  options: CaldavOptions = {},
): Promise<void> {
  for (const method of bodyMethods) {
    if (!app.supportedMethods.includes(method)) app.addHttpMethod(method, { hasBody: true });
  }
  // calendar-auto-schedule only when the server can deliver every invitation itself: Telegram
  // users in the chat, anyone else by iMIP mail, which needs SMTP_URL. Without it, calendar apps keep
  // sending their own invitation mail (docs/caldav-client-quirks.md#auto-schedule).
  const registry = buildRegistry(caldavModules.concat(deps.config.SMTP_URL ? [schedulingModule] : []));
  const limits: DavLimits = { ...defaultDavLimits, ...options.limits };
  const throttle = new LoginThrottle(options.throttle);
  const requestRate = new RequestRateLimit({
    burst: deps.config.CALDAV_RATE_LIMIT_BURST,
    perMinute: deps.config.CALDAV_RATE_LIMIT_PER_MINUTE,
  });
  const logger = deps.logger.child({ door: 'caldav' });
  // Request bodies above max-resource-size still reach the handler, which answers 403 with the
  // CALDAV:max-resource-size precondition (RFC 4791 §5.3.2.1); only far larger ones are 413.
  const bodyLimit = limits.maxResourceSize * 4;
  const securityHeaders = caldavSecurityHeaders(deps.config.PUBLIC_URL?.startsWith('https:') ?? false);

  await app.register(async (scope) => {
    // Errors raised before a handler runs (a body too large, say) get these headers too.
    scope.addHook('onRequest', (_request, reply, done) => {
      reply.headers(securityHeaders);
      done();
    });
    const metrics = deps.metrics;
    if (metrics) {
      scope.addHook('onResponse', async (request, reply) => {
        // Only the methods CalDAV serves, and only the reports it knows: the labels stay a short list.
        const method = davMethods.has(request.method) ? request.method : 'other';
        const report = method === 'REPORT' ? (reportKinds.get(request) ?? 'unknown') : '';
        metrics.caldavRequests.inc({ method, report, status: String(reply.statusCode) });
        metrics.caldavDuration.observe({ method, report }, reply.elapsedTime / 1000);
      });
    }
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
      done(null, body);
    });
    scope.setErrorHandler((error, request, reply) => {
      const status =
        typeof (error as { statusCode?: unknown }).statusCode === 'number'
          ? (error as { statusCode: number }).statusCode
          : 500;
      if (status >= 500) request.log.error({ err: error }, 'CalDAV request failed');
      const message =
        status >= 500 || !(error instanceof Error)
          ? 'The server could not answer this request.'
          : error.message;
      return sendError(reply, new DavError(status, message), registry);
    });

    scope.route({
      method: ['OPTIONS', 'GET', 'HEAD', 'PROPFIND'],
      url: wellKnownPath,
      exposeHeadRoute: false,
      helmet: false,
      handler: async (_request, reply) => reply.code(301).header('location', wellKnownTarget).send(),
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const href = request.url.split('?')[0] ?? '/';
      const path = parseResourcePath(href);
      reply.header('dav', registry.davHeader);
      if (request.method === 'OPTIONS') {
        // Answered without credentials: it names capabilities only
        // (docs/caldav-client-quirks.md#options-without-credentials).
        return send(reply, optionsResponse(registry));
      }
      // Sign-in and GET may answer from memory: first every write committed elsewhere before this
      // request arrived must have reached this process's caches (cache-invalidation.ts). A request
      // without credentials is answered 401 from nothing cached, so it does not wait.
      if (request.headers.authorization !== undefined) await deps.services.changes.caughtUp();
      let userId: number;
      try {
        userId = await authenticateBasic(request.headers.authorization, request.ip, {
          devices: deps.services.devices,
          throttle,
        });
      } catch (error) {
        const dav = toDavError(error);
        if (!dav) request.log.error({ err: error }, 'CalDAV sign-in failed');
        // A request without credentials is the usual first probe (a 401 asks for them), no failure.
        if (dav?.status === 401 && request.headers.authorization !== undefined) {
          noteSignInFailure(request, 'caldav-basic');
        }
        if (dav?.status === 429) noteThrottled(request, 'caldav-sign-in');
        return sendError(reply, dav ?? new DavError(500, 'Sign-in failed.'), registry);
      }
      // Counted per signed-in user, wherever they connect from; refused before anything is read.
      const rate = requestRate.take(userId);
      if (!rate.allowed) {
        noteThrottled(request, 'caldav-requests');
        return sendError(reply, overRateLimit(rate.retryAfterSeconds), registry);
      }
      if (!path) return sendError(reply, new DavError(404, 'Nothing is stored at this address.'), registry);
      const method = registry.methods.get(request.method);
      if (!method) {
        return sendError(reply, new DavError(405, `${request.method} is not supported here.`), registry);
      }
      const ctx = new RequestContext(request, path, href, userId, deps.services, registry, limits, logger);
      try {
        // Reports, listings and uploads can be costly: one user runs only a few at a time.
        const costly = costlyMethods.has(request.method);
        const response = costly ? await deps.services.work.run(userId, () => method(ctx)) : await method(ctx);
        return send(reply, response);
      } catch (error) {
        const slug = path.kind === 'calendar' || path.kind === 'object' ? path.slug : 'default';
        const dav = toDavError(error, (name) => objectHref(userId, slug, name));
        if (dav) return sendError(reply, dav, registry);
        request.log.error({ err: error }, 'CalDAV handler failed');
        return sendError(reply, new DavError(500, 'The server could not answer this request.'), registry);
      }
    };

    // helmet: false — @fastify/helmet rebuilds its middleware on every request; CalDAV sends the
    // fixed set above instead (the web app's CSP is for pages, never for DAV responses).
    scope.route({ method: rootMethods, url: '/', handler, bodyLimit, helmet: false });
    for (const url of ['/principals/*', '/calendars/*', '/scheduling/*']) {
      scope.route({ method: treeMethods, url, handler, bodyLimit, exposeHeadRoute: false, helmet: false });
    }
  });
  logger.debug({ dav: registry.davHeader }, 'CalDAV door registered');
}

/** The methods CalDAV metrics name; anything else the scope answers is counted as `other`. */
const davMethods = new Set<string>(treeMethods);

/** The report each REPORT request asked for (its root element's local name), for the metrics. */
const reportKinds = new WeakMap<FastifyRequest, string>();

// Parsing a 1 MB upload or expanding a report takes milliseconds each: a user's burst of them
// waits its turn instead of queueing ahead of everybody else's requests.
const costlyMethods = new Set(['REPORT', 'PROPFIND', 'PUT']);

/**
 * One request's DavContext. A class, not an object literal: a literal with a getter costs a
 * runtime call per request, and the child logger is built only if a handler logs.
 */
class RequestContext implements DavContext {
  readonly method: string;
  readonly path: ResourcePath;
  readonly href: string;
  readonly headers: DavContext['headers'];
  readonly body: string | undefined;
  readonly userId: number;
  readonly services: AppServices;
  readonly registry: ModuleRegistry;
  readonly limits: DavLimits;
  readonly work = new RequestWork();
  readonly #request: FastifyRequest;
  readonly #parentLogger: Logger;
  #logger: Logger | undefined;

  constructor(
    request: FastifyRequest,
    path: ResourcePath,
    href: string,
    userId: number,
    services: AppServices,
    registry: ModuleRegistry,
    limits: DavLimits,
    parentLogger: Logger,
  ) {
    this.method = request.method;
    this.path = path;
    this.href = href;
    this.headers = request.headers;
    this.body = typeof request.body === 'string' ? request.body : undefined;
    this.userId = userId;
    this.services = services;
    this.registry = registry;
    this.limits = limits;
    this.#request = request;
    this.#parentLogger = parentLogger;
  }

  get logger(): Logger {
    this.#logger ??= this.#parentLogger.child({ requestId: this.#request.id });
    return this.#logger;
  }

  noteReport(name: string): void {
    reportKinds.set(this.#request, name);
  }
}

function send(reply: FastifyReply, response: DavResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  const { body } = response;
  if (typeof body === 'string' || body === undefined) return reply.send(body);
  // Pieces of bytes: streamed as they are, with their total length (no chunked encoding).
  reply.header(
    'content-length',
    body.reduce((sum, chunk) => sum + chunk.length, 0),
  );
  return reply.send(Readable.from(body, { objectMode: false }));
}

function sendError(reply: FastifyReply, error: DavError, registry: ModuleRegistry): FastifyReply {
  reply.code(error.status).header('dav', registry.davHeader);
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.type(xmlContentType).send(davErrorBody(error));
}

/**
 * The security headers of every CalDAV response, computed once. DAV responses are data, never a
 * page: no sniffing, nothing may run or be framed, and the same HSTS as the rest of the server.
 */
export function caldavSecurityHeaders(https: boolean): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-permitted-cross-domain-policies': 'none',
    ...(https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
