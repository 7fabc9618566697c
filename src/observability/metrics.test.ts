import { describe, expect, it } from 'vitest';
import { createMetrics, registerCacheMetrics } from './metrics.ts';

describe('/metrics', () => {
  it('reports every cache with its size, hits, misses and evictions, and the event loop lag', async () => {
    const { registry } = createMetrics();
    const stats = { entries: 3, bytes: 300, hits: 5, misses: 2, evictions: 1 };
    registerCacheMetrics(registry, { 'time-zones': () => stats });
    let text = await registry.metrics();
    expect(text).toContain('televent_cache_entries{cache="time-zones"} 3');
    expect(text).toContain('televent_cache_bytes{cache="time-zones"} 300');
    expect(text).toContain('televent_cache_hits_total{cache="time-zones"} 5');
    expect(text).toContain('televent_cache_evictions_total{cache="time-zones"} 1');
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    stats.hits = 9;
    text = await registry.metrics();
    expect(text).toContain('televent_cache_hits_total{cache="time-zones"} 9');
  });
});
