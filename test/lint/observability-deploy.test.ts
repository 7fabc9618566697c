import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics, registerCacheMetrics } from '../../src/observability/metrics.ts';
import { createWorkerMetrics } from '../../src/worker/worker-metrics.ts';

// The Grafana dashboard and the Prometheus alert rules in deploy/ name metrics by hand: a metric
// renamed in the code would leave a panel empty and an alert that can never fire, silently.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dashboard = JSON.parse(readFileSync(`${root}deploy/grafana/televent-dashboard.json`, 'utf8')) as {
  panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }>;
};
const alerts = parse(readFileSync(`${root}deploy/prometheus/alerts.yml`, 'utf8')) as {
  groups: Array<{
    name: string;
    rules: Array<{
      alert: string;
      expr: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }>;
  }>;
};

/** Every series name a Televent process can expose: all doors' metrics, with histogram suffixes. */
function registeredNames(): Set<string> {
  const metrics = createMetrics();
  registerCacheMetrics(metrics.registry, {});
  createWorkerMetrics(metrics.registry, { waiting: async () => [], now: () => new Date(), onError() {} });
  const names = new Set<string>(['up']); // Prometheus's own, per scrape target
  for (const metric of metrics.registry.getMetricsAsArray()) {
    names.add(metric.name);
    if (metric.constructor.name === 'Histogram') {
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

/** Metric names in a PromQL expression: an identifier before a selector, or one of ours anywhere. */
function metricNamesIn(expr: string): string[] {
  const selectors = [...expr.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*\{/g)].map((m) => m[1] ?? '');
  const ours = [...expr.matchAll(/\b((?:televent|nodejs|process)_[a-z0-9_]+)/g)].map((m) => m[1] ?? '');
  return [...selectors, ...ours];
}

const dashboardExpressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
const alertRules = alerts.groups.flatMap((group) => group.rules);

describe('deploy/ dashboard and alert rules', () => {
  const known = registeredNames();

  it('the dashboard parses and every panel queries metrics the code registers', () => {
    expect(dashboardExpressions.length).toBeGreaterThan(20);
    for (const expr of dashboardExpressions) {
      const names = metricNamesIn(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) expect(known, `${name} in ${expr}`).toContain(name);
    }
  });

  it('the alert rules parse, each with a severity and a summary, over metrics the code registers', () => {
    expect(alertRules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'TeleventDown',
        'TeleventRemindersLate',
        'TeleventQueueGrowing',
        'TeleventOldJobWaiting',
        'TeleventHigh5xxRate',
        'TeleventSignInFailuresSpike',
      ]),
    );
    for (const rule of alertRules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(critical|warning|info)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      for (const name of metricNamesIn(rule.expr)) expect(known, `${name} in ${rule.alert}`).toContain(name);
    }
  });

  it('the dashboard shows each area an operator watches', () => {
    const all = dashboardExpressions.join('\n');
    for (const metric of [
      'televent_http_requests_total',
      'televent_http_request_duration_seconds_bucket',
      'televent_caldav_requests_total',
      'televent_bot_updates_total',
      'televent_reminder_lateness_seconds_bucket',
      'televent_jobs_waiting',
      'televent_jobs_oldest_waiting_age_seconds',
      'televent_sign_in_failures_total',
      'televent_requests_throttled_total',
      'televent_cache_hits_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(all).toContain(metric);
    }
  });
});
