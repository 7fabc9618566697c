import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../../src/observability/tracing.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { buildTestServer, type TestServer } from './build-test-server.ts';

describe(`OpenTelemetry traces [${testEngine}]`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let collector: Server;
  let tracing: Tracing | null;
  const received: string[] = [];

  beforeAll(async () => {
    // A local OTLP/HTTP collector that keeps what it is sent.
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        received.push(`${request.method} ${request.url} ${body}`);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const address = collector.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    tracing = await startTracing(`http://127.0.0.1:${port}`, 'televent-test');
    database = await openTestDatabase();
    server = await buildTestServer(database, { tracing });
  });
  afterAll(async () => {
    await server?.app.close();
    await tracing?.shutdown();
    await database?.close();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('is off without an endpoint', async () => {
    expect(await startTracing(undefined)).toBeNull();
  });

  it('exports a span for each request to the configured OTLP endpoint', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    await tracing?.flush();
    const traces = received.filter((r) => r.startsWith('POST /v1/traces'));
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.join('\n')).toContain('televent-test');
    expect(traces.join('\n')).toContain('/health');
  });
});
