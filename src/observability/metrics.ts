import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheStats } from '../domain/bounded-cache.ts';

/** The Prometheus registry of one process, with the metrics of its doors (a door that does not run reports none). */
export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'televent_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'televent_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // CalDAV by WebDAV method, and for REPORT by report (calendar-query, sync-collection, …): the
  // route label of the HTTP metrics is only the tree's wildcard pattern.
  const caldavRequests = new Counter({
    name: 'televent_caldav_requests_total',
    help: 'CalDAV requests by WebDAV method, report (REPORT only) and status',
    labelNames: ['method', 'report', 'status'] as const,
    registers: [registry],
  });
  const caldavDuration = new Histogram({
    name: 'televent_caldav_request_duration_seconds',
    help: 'CalDAV request latency by WebDAV method and report (REPORT only)',
    labelNames: ['method', 'report'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const signInFailures = new Counter({
    name: 'televent_sign_in_failures_total',
    help: 'Sign-ins refused for wrong, expired or forged credentials, by sign-in path',
    labelNames: ['path'] as const,
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'televent_requests_throttled_total',
    help: 'Requests refused by a rate limit or the sign-in throttle, by limit',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const botUpdates = new Counter({
    name: 'televent_bot_updates_total',
    help: 'Telegram updates handled by the bot, by update type and outcome (handled, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const botUpdateDuration = new Histogram({
    name: 'televent_bot_update_duration_seconds',
    help: 'Time to handle one Telegram update, by update type',
    labelNames: ['type'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    httpDuration,
    caldavRequests,
    caldavDuration,
    signInFailures,
    throttled,
    botUpdates,
    botUpdateDuration,
  };
}

/** The sign-in paths `televent_sign_in_failures_total` counts, one label value each. */
export type SignInPath = 'caldav-basic' | 'login-link' | 'telegram-init-data' | 'telegram-login-widget';

/**
 * Size, hits, misses and evictions of every per-process cache, read when /metrics is scraped.
 * The event loop's lag is among the default metrics (nodejs_eventloop_lag_seconds and its p50/p90/p99).
 */
export function registerCacheMetrics(registry: Registry, caches: Record<string, () => CacheStats>): void {
  const read = () => Object.entries(caches).map(([cache, stats]) => ({ cache, stats: stats() }));
  const gauge = (name: string, help: string, pick: (stats: CacheStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['cache'] as const,
      registers: [registry],
      collect() {
        for (const { cache, stats } of read()) this.set({ cache }, pick(stats));
      },
    });
  const counter = (name: string, help: string, pick: (stats: CacheStats) => number) => {
    const seen = new Map<string, number>();
    return new Counter({
      name,
      help,
      labelNames: ['cache'] as const,
      registers: [registry],
      collect() {
        for (const { cache, stats } of read()) {
          const now = pick(stats);
          const delta = now - (seen.get(cache) ?? 0);
          if (delta > 0) this.inc({ cache }, delta);
          seen.set(cache, now);
        }
      },
    });
  };
  gauge('televent_cache_entries', 'Entries held by each in-process cache', (s) => s.entries);
  gauge('televent_cache_bytes', 'Estimated bytes held by each in-process cache', (s) => s.bytes);
  counter('televent_cache_hits_total', 'Lookups answered by each cache', (s) => s.hits);
  counter('televent_cache_misses_total', 'Lookups each cache could not answer', (s) => s.misses);
  counter(
    'televent_cache_evictions_total',
    'Entries each cache dropped to stay within its bounds',
    (s) => s.evictions,
  );
}
