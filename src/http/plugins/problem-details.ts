import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, type ErrorKind } from '../../app/errors.ts';

/** An RFC 9457 problem details object; extension members carry the AppError's details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export const problemContentType = 'application/problem+json';

/**
 * RFC 9457 §3.1.1: `type` is a URI reference. A relative one resolves against the server that
 * answered, so each installation can document its own problems at /problems/<reason>.
 */
export function problemType(reason: string): string {
  return `/problems/${reason}`;
}

/** The one place an error kind becomes an HTTP status; a new kind fails to compile until it is mapped. */
export function statusForKind(kind: ErrorKind): { status: number; title: string } {
  switch (kind) {
    case 'invalid-input':
      return { status: 400, title: 'Invalid input' };
    case 'unauthorized':
      return { status: 401, title: 'Unauthorized' };
    case 'forbidden':
      return { status: 403, title: 'Forbidden' };
    case 'not-found':
      return { status: 404, title: 'Not found' };
    case 'conflict':
      return { status: 409, title: 'Conflict' };
    case 'precondition-failed':
      return { status: 412, title: 'Precondition failed' };
    case 'too-large':
      return { status: 413, title: 'Payload too large' };
    case 'rate-limited':
      return { status: 429, title: 'Too many requests' };
    default:
      return kind satisfies never;
  }
}

interface InvalidParam {
  name: string;
  reason: string;
}

/**
 * Maps anything a route, hook or Fastify itself can throw to a problem. Only AppErrors, request
 * validation failures and Fastify's own client errors say what went wrong; everything else is an
 * internal error whose message may hold internals, so the client sees a fixed sentence.
 */
export function problemFor(error: unknown): Problem {
  if (error instanceof AppError) {
    const { status, title } = statusForKind(error.kind);
    // Details first, so an extension member can never overwrite the standard ones.
    return { ...error.details, type: problemType(error.reason), title, status, detail: error.message };
  }
  if (error instanceof ResponseSerializationError) return internalProblem();

  const invalidParams = requestValidationIssues(error);
  if (invalidParams !== undefined) {
    return {
      type: problemType('invalid-request'),
      title: 'Invalid request',
      status: 400,
      detail: invalidParams.map((p) => `${p.name}: ${p.reason}`).join('; '),
      invalidParams,
    };
  }

  const fastifyProblem = fastifyClientProblem(error);
  if (fastifyProblem !== undefined) return fastifyProblem;
  return internalProblem();
}

/** Installs the error and not-found handlers on `app`; child scopes inherit them. */
export function registerProblemDetails(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = problemFor(error);
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ problem: problem.type, status: problem.status }, 'request refused');
    }
    if (
      problem.status === 429 &&
      typeof problem.retryAfterSeconds === 'number' &&
      !reply.hasHeader('retry-after')
    ) {
      reply.header('retry-after', String(problem.retryAfterSeconds));
    }
    if (problem.status === 401 && !reply.hasHeader('www-authenticate')) {
      // RFC 9110 §11.6.1: a 401 names a scheme. `tma` (Authorization: tma <initData>) is the Mini App
      // convention; Basic is left out on purpose, since it would make browsers pop up a password box.
      reply.header('www-authenticate', 'tma realm="televent"');
    }
    return reply.code(problem.status).type(problemContentType).send(problem);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const problem: Problem = {
      type: problemType('route-not-found'),
      title: 'Not found',
      status: 404,
      detail: `Nothing is served at ${request.method} ${path}.`,
    };
    return reply.code(404).type(problemContentType).send(problem);
  });
}

function internalProblem(): Problem {
  return {
    type: problemType('internal-error'),
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side; it has been logged.',
  };
}

/** Request schema failures (Fastify's FST_ERR_VALIDATION) and zod errors from parsing request input. */
function requestValidationIssues(error: unknown): InvalidParam[] | undefined {
  if (error instanceof ZodError) {
    return error.issues.map((issue) => ({
      name: issue.path.map(String).join('.') || '(input)',
      reason: issue.message,
    }));
  }
  if (!isRecord(error) || !Array.isArray(error.validation)) return undefined;
  const where = typeof error.validationContext === 'string' ? error.validationContext : 'request';
  const issues: InvalidParam[] = [];
  for (const item of error.validation as unknown[]) {
    if (!isRecord(item)) continue;
    const path = typeof item.instancePath === 'string' ? item.instancePath.split('/').filter(Boolean) : [];
    issues.push({
      name: [where, ...path].join('.'),
      reason: typeof item.message === 'string' ? item.message : 'is invalid',
    });
  }
  return issues.length > 0 ? issues : [{ name: where, reason: 'is invalid' }];
}

const fastifyCodes: Readonly<
  Record<string, { reason: string; status: number; title: string; detail: string }>
> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    reason: 'invalid-json',
    status: 400,
    title: 'Invalid JSON',
    detail: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    reason: 'invalid-json',
    status: 400,
    title: 'Invalid JSON',
    detail: 'The request says it carries JSON but its body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    reason: 'payload-too-large',
    status: 413,
    title: 'Payload too large',
    detail: 'The request body is larger than this server accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    reason: 'unsupported-media-type',
    status: 415,
    title: 'Unsupported media type',
    detail: 'This endpoint does not accept a body of that Content-Type; send application/json.',
  },
};

/** Fastify's own 4xx errors: known codes get a stable type, the rest RFC 9457's generic about:blank. */
function fastifyClientProblem(error: unknown): Problem | undefined {
  if (!(error instanceof Error) || !isRecord(error)) return undefined;
  const known = typeof error.code === 'string' ? fastifyCodes[error.code] : undefined;
  if (known !== undefined) {
    return {
      type: problemType(known.reason),
      title: known.title,
      status: known.status,
      detail: known.detail,
    };
  }
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Client error',
    status,
    detail: error.message,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
