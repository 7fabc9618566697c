import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import { openProcessPlace, testEngine } from '../../support/test-database.ts';

const token = 'metrics-token-for-the-cli-test';

// A worker or bot process has no HTTP port of its own: METRICS_PORT is how Prometheus reaches it.
describe(`televent serve with METRICS_PORT [${testEngine}]`, () => {
  let place: Awaited<ReturnType<typeof openProcessPlace>>;
  let env: Record<string, string>;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    place = await openProcessPlace('televent-metrics-port-');
    env = place.env;
  });
  afterAll(async () => {
    await server?.stop();
    await place?.close();
  });

  it('serves a worker-only process its metrics on METRICS_PORT, behind METRICS_TOKEN', {
    timeout: 120_000,
  }, async () => {
    const metricsPort = await freePort();
    server = await startTelevent({ ...env, METRICS_PORT: String(metricsPort), METRICS_TOKEN: token }, [
      '--roles',
      'worker',
    ]);
    const url = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    // The worker's own metrics, and none of an HTTP door this process does not run.
    expect(text).toContain('# TYPE televent_jobs_waiting gauge');
    expect(text).toContain('# TYPE televent_reminder_lateness_seconds histogram');
    expect(text).not.toMatch(/^televent_http_requests_total\{/m);
    // No API port: a worker-only process listens on METRICS_PORT alone.
    await expect(fetch(`${server.baseUrl}/health`)).rejects.toThrow();
    expect(await server.stop()).toBe(0);
    server = undefined;
  });

  it('refuses a METRICS_PORT in use, naming it, before any database is made', {
    timeout: 60_000,
  }, async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dataDir = join(place.root, 'metrics-port-taken');
    try {
      const result = await runTelevent(['serve'], {
        ...env,
        DATA_DIR: dataDir,
        API_PORT: String(await freePort()),
        METRICS_PORT: String(port),
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`METRICS_PORT ${port} is in use on 127.0.0.1`);
      expect(result.stdout).not.toContain('Televent is running');
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
