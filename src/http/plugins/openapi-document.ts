// What the OpenAPI document says beyond the routes' own schemas: how to sign in, and the
// problem+json answers (RFC 9457, plugins/problem-details.ts) every operation may give.

type JsonObject = Record<string, unknown>;

/** The two ways a client signs in to /api (api/authenticate.ts). */
export const securitySchemes = {
  tma: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'A Telegram Mini App: `Authorization: tma <initData>`, the launch data Telegram signed for the bot.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'televent_session',
    description: 'A browser session from a login link (/web in the bot) or the Telegram Login Widget.',
  },
};

const problemSchema = {
  type: 'object',
  description:
    'RFC 9457 problem details; `type` names the reason, extension members add facts such as `field`.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'e.g. /problems/etag-mismatch' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    field: { type: 'string', description: 'The request field that was refused (400)' },
    invalidParams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'reason'],
        properties: { name: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const problemStatuses: Record<string, string> = {
  '400': 'The request is invalid; `field` or `invalidParams` names what',
  '401': 'Sign in first (tma initData or a session cookie)',
  '403': 'Refused: a cross-site request, or an account scheduled for deletion',
  '404': 'No such event, device or route (another user’s look the same)',
  '409': 'Conflicts with what is stored (e.g. a UID already in use)',
  '412': 'If-Match does not match: changed elsewhere since it was read',
  '413': 'The request body is too large',
  '429': 'Too many requests or open streams; see Retry-After',
};

/** Statuses an operation may answer with, from how it is called. */
function statusesFor(method: string, operation: JsonObject, path: string): string[] {
  const statuses = ['400', '401', '429'];
  const writes = method !== 'get';
  if (writes) statuses.push('403');
  if (path.includes('{')) statuses.push('404');
  if (['put', 'patch', 'post'].includes(method) && operation.requestBody) statuses.push('409', '413');
  if (['put', 'patch', 'delete'].includes(method) && path.includes('{')) statuses.push('412');
  return statuses.sort();
}

/**
 * Adds the security schemes, the Problem schema with one shared response per status, and those
 * responses on every operation (the auth routes, which sign you in, need no credentials).
 */
export function completeDocument<T extends JsonObject>(document: T): T {
  const components = (document.components ?? {}) as JsonObject;
  components.securitySchemes = { ...((components.securitySchemes as JsonObject) ?? {}), ...securitySchemes };
  components.schemas = { ...((components.schemas as JsonObject) ?? {}), Problem: problemSchema };
  const responses: JsonObject = { ...((components.responses as JsonObject) ?? {}) };
  for (const [status, description] of Object.entries(problemStatuses)) {
    responses[`Problem${status}`] = {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  components.responses = responses;
  const paths = (document.paths ?? {}) as Record<string, Record<string, JsonObject>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      if (!path.startsWith('/api/')) {
        operation.security = [];
        continue;
      }
      const answers = operation.responses as JsonObject;
      for (const status of statusesFor(method, operation, path)) {
        answers[status] ??= { $ref: `#/components/responses/Problem${status}` };
      }
      if ((operation.tags as string[] | undefined)?.includes('auth')) operation.security = [];
    }
  }
  return {
    ...document,
    components,
    security: [{ tma: [] }, { session: [] }],
  };
}
