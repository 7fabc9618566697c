import type { AppServices } from '../../src/app/services.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startWorker, type WorkerHandle } from '../../src/worker/run-worker.ts';

/**
 * One worker on the test's own services, polling every 20 ms, without periodic jobs or a
 * database LISTEN: what a test that needs the outbox run (notices, invitations, announcements)
 * starts beside its bot or server. `now` sets the worker's clock (e.g. a minute ahead, so a job
 * due at the end of a window runs at once).
 */
export function startInProcessWorker(
  services: AppServices,
  options: { config?: Config; now?: () => Date } = {},
): WorkerHandle {
  return startWorker({
    services,
    listenForNewJobs: undefined,
    config: options.config ?? loadConfig({}),
    logger: createLogger('silent'),
    metrics: createMetrics(),
    options: {
      pollIntervalMs: 20,
      maintenanceIntervalMs: 0,
      schedulePeriodicJobs: false,
      ...(options.now ? { now: options.now } : {}),
    },
  });
}
