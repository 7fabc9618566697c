import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { testEngine } from '../../support/test-database.ts';
import { openWorkerTest, type WorkerTest } from './worker-support.ts';

function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(`queue gauges on /metrics [${testEngine}]`, () => {
  let test: WorkerTest;

  beforeAll(async () => {
    test = await openWorkerTest();
  });
  afterAll(async () => {
    await test.close();
  });

  it('reports due jobs no worker has taken, by kind, and how long the oldest has waited, at each scrape', async () => {
    // This worker takes only e-mail: the bench jobs wait, as they would behind a stopped or overloaded worker.
    const worker = test.start({ kinds: ['email.send'], schedulePeriodicJobs: false });
    try {
      const now = test.clock.now().getTime();
      await enqueueMessages(test.database.db, [
        { kind: 'bench.simulated-io', payload: { ms: 0 }, runAt: new Date(now - 90_000) },
        { kind: 'bench.simulated-io', payload: { ms: 0 }, runAt: new Date(now - 30_000) },
        // Planned for later: not waiting yet, so neither counted nor ageing.
        { kind: 'bench.simulated-io', payload: { ms: 0 }, runAt: new Date(now + 3_600_000) },
      ]);
      let text = await test.metrics.registry.metrics();
      expect(seriesValue(text, 'televent_jobs_waiting{kind="bench.simulated-io"}')).toBe(2);
      const age = seriesValue(text, 'televent_jobs_oldest_waiting_age_seconds{kind="bench.simulated-io"}');
      expect(age).toBeGreaterThanOrEqual(90);
      expect(age).toBeLessThan(3_600);

      // Read again at the next scrape: a kind with nothing waiting any more drops out.
      await test.database.db.deleteFrom('outbox_messages').where('kind', '=', 'bench.simulated-io').execute();
      text = await test.metrics.registry.metrics();
      expect(text).not.toContain('televent_jobs_waiting{kind="bench.simulated-io"}');
      expect(text).not.toContain('televent_jobs_oldest_waiting_age_seconds{kind="bench.simulated-io"}');
    } finally {
      await worker.stop();
    }
  });
});
