import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { loadConfig } from '../../../src/config.ts';
import { registerBrowserRoutes, registerRestApi } from '../../../src/http/rest-api.ts';
import { buildServer, type TypedApp } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { startTracing, type Tracing } from '../../../src/observability/tracing.ts';
import { pingDatabase } from '../../../src/storage/database.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { baseUrl, botToken, tma } from './rest-support.ts';

describe(`request traces and their log lines [${testEngine}]`, () => {
  let database: TestDatabase;
  let tracing: Tracing | null;
  let app: TypedApp;
  let url: string;
  const spans = new InMemorySpanExporter();
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    tracing = await startTracing(undefined, 'televent-test', spans);
    database = await openTestDatabase();
    const services = createServices(database.db);
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: botToken });
    const deps = { services, config, publicBaseUrl: baseUrl };
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
    app = await buildServer({
      config,
      logger,
      metrics: createMetrics(),
      checkDatabase: () => pingDatabase(database.db),
      tracing,
      registerRoutes: (api) => registerRestApi(api, deps),
      registerRootRoutes: (root) => registerBrowserRoutes(root, deps),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await tracing?.shutdown();
    await database?.close();
  });

  it('traces a request with the SQL it ran, and writes its trace id on its log lines', async () => {
    const response = await fetch(`${url}/api/me`, { headers: tma({ id: 4242, first_name: 'Tess' }) });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    await tracing?.flush();

    const finished = spans.getFinishedSpans();
    const root = finished.find((s) => s.attributes['http.route'] === '/api/me');
    expect(root).toBeDefined();
    const traceId = root?.spanContext().traceId;
    const sql = finished.filter(
      (s) => s.spanContext().traceId === traceId && s.attributes['db.system.name'] === 'postgresql',
    );
    // The Mini App's first contact creates the account: its INSERT is in the request's trace.
    expect(sql.map((s) => s.name)).toContain('INSERT');
    expect(sql.every((s) => typeof s.attributes['db.query.text'] === 'string')).toBe(true);

    // One line per request, "request completed" with what was asked and answered, inside its span.
    const requestLines = lines.filter((line) => line.requestId === requestId);
    const completed = requestLines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ req: { method: 'GET', url: '/api/me' }, res: { statusCode: 200 } });
    expect(requestLines.map((line) => line.msg)).not.toContain('incoming request');
    expect(requestLines.every((line) => line.traceId === traceId)).toBe(true);
    expect(requestLines.every((line) => typeof line.spanId === 'string')).toBe(true);
  });

  it('writes no trace id on lines outside any request', async () => {
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) });
    logger.info('between requests');
    expect(lines.at(-1)?.msg).toBe('between requests');
    expect(lines.at(-1)).not.toHaveProperty('traceId');
  });
});
