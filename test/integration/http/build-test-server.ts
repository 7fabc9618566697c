import { loadConfig } from '../../../src/config.ts';
import { buildServer, type HttpOptions, type TypedApp } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.ts';
import type { Tracing } from '../../../src/observability/tracing.ts';
import { type DatabaseHandle, pingDatabase } from '../../../src/storage/database.ts';

export interface TestServer {
  app: TypedApp;
  metrics: Metrics;
}

/** The real HTTP door over a test database, with a silent logger and its own metrics registry. */
export async function buildTestServer(
  database: DatabaseHandle,
  options: HttpOptions & {
    env?: Record<string, string>;
    registerRoutes?: (api: TypedApp) => Promise<void>;
    registerRootRoutes?: (app: TypedApp) => Promise<void>;
    tracing?: Tracing | null;
    /** The registry to count into (another door registered in the test shares it); default: a new one. */
    metrics?: Metrics;
  } = {},
): Promise<TestServer> {
  const {
    env,
    registerRoutes,
    registerRootRoutes,
    tracing,
    metrics = createMetrics(),
    ...httpOptions
  } = options;
  const app = await buildServer(
    {
      config: loadConfig(env ?? {}),
      logger: createLogger('silent'),
      metrics,
      checkDatabase: () => pingDatabase(database.db),
      ...(tracing ? { tracing } : {}),
      ...(registerRoutes === undefined ? {} : { registerRoutes }),
      ...(registerRootRoutes === undefined ? {} : { registerRootRoutes }),
    },
    httpOptions,
  );
  return { app, metrics };
}
