import { z } from 'zod';
import type { TypedApp } from '../typed-app.ts';

/** A load balancer gives up after a few seconds; answer before it does. */
const databaseTimeoutMs = 2_000;

const healthy = z.object({ status: z.literal('ok'), database: z.literal('ok') });
const unhealthy = z.object({ status: z.literal('unavailable'), database: z.literal('unreachable') });

/** Rejects when the database cannot answer; main.ts builds it from storage (a `select 1`). */
export type DatabaseCheck = () => Promise<void>;

/** GET /health: 200 when the database check resolves in time, 503 otherwise. */
export function registerHealth(app: TypedApp, checkDatabase: DatabaseCheck): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether this server and its database are up',
        response: { 200: healthy, 503: unhealthy },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(checkDatabase(), databaseTimeoutMs);
        return reply.code(200).send({ status: 'ok', database: 'ok' });
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
      }
    },
  );
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
