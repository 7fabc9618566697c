import { type FastifyBaseLogger, fastify, LogController } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { registerMetricsEndpoint } from './plugins/metrics.ts';

/**
 * /metrics alone on METRICS_PORT: a port a firewall can keep to the Prometheus network while
 * API_PORT faces the public, and the only HTTP listener of a bot- or worker-only process. Nothing
 * else is served there (404), and METRICS_TOKEN still applies when set.
 */
export async function buildMetricsServer(deps: {
  metrics: Metrics;
  logger: Logger;
  token?: string | undefined;
}) {
  // Typed as Fastify's logger interface, as in server.ts, so the instance is a plain FastifyInstance.
  const logger: FastifyBaseLogger = deps.logger.child({ door: 'metrics' });
  // A scrape every 15 s would fill the log with two lines each.
  const app = fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerMetricsEndpoint(app, deps.metrics, { token: deps.token });
  await app.ready();
  return app;
}
