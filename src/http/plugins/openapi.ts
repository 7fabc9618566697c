import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { completeDocument } from './openapi-document.ts';

/**
 * Collects every route registered after it (so register it first) into an OpenAPI 3.1 document,
 * with the zod schemas turned into JSON Schema, /api and /health only. Routes opt out with
 * `schema: { hide: true }`.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Televent',
        description: 'The REST API of Televent, the calendar that lives in Telegram and syncs over CalDAV.',
        version: '0.1.0',
      },
    },
    // Outside /api only routes that describe themselves (/health) are listed: CalDAV, login links and
    // the web app speak other protocols.
    transform: (input) =>
      input.url.startsWith('/api/') || (input.schema && 'summary' in input.schema)
        ? jsonSchemaTransform(input)
        : { schema: { hide: true }, url: input.url },
    // Schemas registered with z.globalRegistry.add(schema, { id }) become shared components.
    transformObject: (input) => completeDocument(jsonSchemaTransformObject(input) as Record<string, unknown>),
  });
}

/** GET <prefix>/openapi.json: the document, built once all routes are known. */
export function registerOpenApiDocument(api: FastifyInstance): void {
  api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger());
}

/**
 * GET <prefix>/docs: the Swagger UI reference page of the document. Its scripts and styles are served
 * from the package (no CDN) as files, so the site-wide `script-src 'self'` policy holds.
 */
export async function registerApiReference(api: FastifyInstance): Promise<void> {
  await api.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
}
