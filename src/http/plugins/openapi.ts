import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * Collects every route registered after it (so register it first) into an OpenAPI 3.1 document,
 * with the zod schemas turned into JSON Schema. Routes opt out with `schema: { hide: true }`.
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
    transform: jsonSchemaTransform,
    // Schemas registered with z.globalRegistry.add(schema, { id }) become shared components.
    transformObject: jsonSchemaTransformObject,
  });
}

/** GET <prefix>/openapi.json: the document, built once all routes are known. */
export function registerOpenApiDocument(api: FastifyInstance): void {
  api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger());
}
