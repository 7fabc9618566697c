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
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';
import { authenticateBasic } from './basic-auth.ts';
import { optionsResponse } from './core/options.ts';
import { DavError, davErrorBody, toDavError } from './dav-error.ts';
import { wellKnownPath, wellKnownTarget } from './discovery/well-known.ts';
import { LoginThrottle, type ThrottleOptions } from './login-throttle.ts';
import type { DavContext, DavLimits, DavResponse, ModuleRegistry } from './module.ts';
import { buildRegistry } from './modules.ts';
import { xmlContentType } from './multistatus.ts';
import { objectHref, parseResourcePath } from './resource-path.ts';

export interface CaldavDeps {
  services: AppServices;
  config: Config;
  logger: Logger;
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
 * The CalDAV door: RFC 4918/4791/6578 at the domain root (/, /principals/, /calendars/,
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
  const registry = buildRegistry();
  const limits: DavLimits = { ...defaultDavLimits, ...options.limits };
  const throttle = new LoginThrottle(options.throttle);
  const logger = deps.logger.child({ door: 'caldav' });
  // Request bodies above max-resource-size still reach the handler, which answers 403 with the
  // CALDAV:max-resource-size precondition (RFC 4791 §5.3.2.1); only far larger ones are 413.
  const bodyLimit = limits.maxResourceSize * 4;

  await app.register(async (scope) => {
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
      handler: async (_request, reply) => reply.code(301).header('location', wellKnownTarget).send(),
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = parseResourcePath(request.url);
      reply.header('dav', registry.davHeader);
      if (request.method === 'OPTIONS') {
        // Answered without credentials: it names capabilities only (FIELD-NOTES §3.4).
        return send(reply, optionsResponse(registry));
      }
      let userId: number;
      try {
        userId = await authenticateBasic(request.headers.authorization, request.ip, {
          devices: deps.services.devices,
          throttle,
        });
      } catch (error) {
        const dav = toDavError(error);
        if (!dav) request.log.error({ err: error }, 'CalDAV sign-in failed');
        return sendError(reply, dav ?? new DavError(500, 'Sign-in failed.'), registry);
      }
      if (!path) return sendError(reply, new DavError(404, 'Nothing is stored at this address.'), registry);
      const method = registry.methods.get(request.method);
      if (!method) {
        return sendError(reply, new DavError(405, `${request.method} is not supported here.`), registry);
      }
      const ctx: DavContext = {
        method: request.method,
        path,
        href: request.url.split('?')[0] ?? '/',
        headers: request.headers,
        body: typeof request.body === 'string' ? request.body : undefined,
        userId,
        services: deps.services,
        registry,
        limits,
        logger: logger.child({ requestId: request.id }),
      };
      try {
        return send(reply, await method(ctx));
      } catch (error) {
        const slug = path.kind === 'calendar' || path.kind === 'object' ? path.slug : 'default';
        const dav = toDavError(error, (name) => objectHref(userId, slug, name));
        if (dav) return sendError(reply, dav, registry);
        request.log.error({ err: error }, 'CalDAV handler failed');
        return sendError(reply, new DavError(500, 'The server could not answer this request.'), registry);
      }
    };

    scope.route({ method: rootMethods, url: '/', handler, bodyLimit });
    for (const url of ['/principals/*', '/calendars/*']) {
      scope.route({ method: treeMethods, url, handler, bodyLimit, exposeHeadRoute: false });
    }
  });
  logger.debug({ dav: registry.davHeader }, 'CalDAV door registered');
}

function send(reply: FastifyReply, response: DavResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  return reply.send(response.body);
}

function sendError(reply: FastifyReply, error: DavError, registry: ModuleRegistry): FastifyReply {
  reply.code(error.status).header('dav', registry.davHeader);
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.type(xmlContentType).send(davErrorBody(error));
}
