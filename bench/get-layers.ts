// `npm run bench:get-layers -- [--n 5000] [--duration 5] [--rounds 3]`: what a CalDAV GET answered
// from memory costs before Televent's own request handling, one layer at a time. Each layer is a
// node:http server in a process of its own, serving the same N realistic events (bench/support/
// seed-calendar.ts) under the same autocannon load as `bench:caldav`'s GET (c = 16, every object in a
// scattered order); each adds one piece of what Televent's GET does, with Televent's own code for it:
//
//   bare        the bare server bench:caldav compares against (content-type and etag, stored bytes)
//   headers     + the response headers Televent's GET sends (security headers, DAV, a request id,
//                 ETag, Last-Modified), with the text as the body
//   sign-in     + the path parsed, Basic credentials checked against the sign-in cache, the per-user
//                 request rate taken
//   metrics     + the two counters and two histograms every CalDAV request records
//   log line    + the one JSON log line per request, on stdout (read by this process)
//   fastify     + Fastify's request cycle around the same handler (no plugins)
//
// Layers are measured in turn, `--rounds` times, and each row gives the median round. Nothing here
// needs a database: the figures are the floor under bench:caldav's GET row.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { fastify } from 'fastify';
import { pino } from 'pino';
import { DeviceAuthCache } from '../src/app/auth/device-auth-cache.ts';
import { calendarContentType } from '../src/caldav/core/get-head.ts';
import { buildRegistry } from '../src/caldav/modules.ts';
import { caldavSecurityHeaders } from '../src/caldav/plugin.ts';
import { RequestRateLimit } from '../src/caldav/request-rate-limit.ts';
import { parseResourcePath } from '../src/caldav/resource-path.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { processCpuSeconds } from './support/cpu-usage.ts';
import { measure } from './support/measure.ts';
import { sampleEvent } from './support/seed-calendar.ts';

const layers = ['bare', 'headers', 'sign-in', 'metrics', 'log line', 'fastify'] as const;
type Layer = (typeof layers)[number];

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    serve: { type: 'string' },
  },
});
const n = Number(values.n);
const userId = 424242;
const password = 'bench-device-password';
const authorization = `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}`;
const origin = new Date('2026-06-01T00:00:00Z');
const events = Array.from({ length: n }, (_, i) => sampleEvent(i, origin));
const pathOf = (href: string) => `/calendars/${userId}/default/${encodeURIComponent(href)}`;

if (values.serve) await serve(values.serve as Layer);
else await run();

/** One layer's server: everything up to and including `layer`, answering each object's GET. */
async function serve(layer: Layer): Promise<void> {
  const depth = layers.indexOf(layer);
  const byPath = new Map(events.map((e) => [pathOf(e.href), { ics: e.ics, bytes: Buffer.from(e.ics) }]));
  const etag = '"0123456789abcdef"';
  const lastModified = new Date().toUTCString();
  const fixed = { ...caldavSecurityHeaders(false), dav: buildRegistry().davHeader };
  const cache = new DeviceAuthCache();
  cache.set(userId, password, 'device-1');
  const rate = new RequestRateLimit({ burst: 1e12, perMinute: 1e12 });
  const metrics = createMetrics();
  const logger = createLogger('info', pino.destination({ dest: 1, sync: false })).child({ door: 'http' });

  const answer = (request: IncomingMessage, response: ServerResponse, started: number): void => {
    const url = request.url ?? '/';
    if (depth === 0) {
      const object = byPath.get(url);
      response.writeHead(200, { 'content-type': calendarContentType, etag });
      response.end(object?.bytes);
      return;
    }
    if (depth >= 2) {
      const path = parseResourcePath(url);
      const decoded = Buffer.from((request.headers.authorization ?? '').slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = Number(decoded.slice(0, colon));
      if (path?.kind !== 'object' || cache.get(user, decoded.slice(colon + 1)) === undefined) {
        throw new Error('the bench request did not sign in');
      }
      rate.take(user);
    }
    const object = byPath.get(url);
    const requestId = randomUUID();
    response.writeHead(200, {
      ...fixed,
      'x-request-id': requestId,
      etag,
      'last-modified': lastModified,
      'content-type': calendarContentType,
      'content-length': Buffer.byteLength(object?.ics ?? ''),
    });
    response.end(object?.ics);
    if (depth < 3) return;
    const seconds = (performance.now() - started) / 1000;
    metrics.caldavRequests.inc({ method: 'GET', report: '', status: '200' });
    metrics.caldavDuration.observe({ method: 'GET', report: '' }, seconds);
    metrics.httpRequests.inc({ method: 'GET', route: '/calendars/*', status: '200' });
    metrics.httpDuration.observe({ method: 'GET', route: '/calendars/*', status: '200' }, seconds);
    if (depth < 4) return;
    logger.info(
      {
        requestId,
        req: {
          method: request.method,
          url,
          host: request.headers.host,
          remoteAddress: request.socket.remoteAddress,
          remotePort: request.socket.remotePort,
        },
        res: { statusCode: 200 },
        responseTime: seconds * 1000,
      },
      'request completed',
    );
  };

  let port: number;
  if (layer === 'fastify') {
    const app = fastify();
    app.get('/calendars/*', (request, reply) => {
      reply.hijack();
      answer(request.raw, reply.raw, performance.now());
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  } else {
    const server = createServer((request, response) => answer(request, response, performance.now()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }
  process.send?.({ port });
}

async function run(): Promise<void> {
  const duration = Number(values.duration);
  const rounds = Number(values.rounds);
  // Every object once, in a scattered order, as bench:caldav's GET.
  const requests: autocannon.Request[] = Array.from({ length: n }, (_, i) => ({
    method: 'GET',
    path: pathOf(events[(i * 7919) % n]?.href ?? ''),
  }));
  const results = new Map<Layer, Array<{ rps: number; cpuUs: number }>>();
  for (let round = 0; round < rounds; round++) {
    for (const layer of layers) {
      const child = fork(new URL(import.meta.url).pathname, ['--serve', layer, '--n', String(n)], {
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      // The log lines are read and dropped, as a log collector would read them.
      child.stdout?.resume();
      const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', resolve));
      const baseUrl = `http://127.0.0.1:${port}`;
      const scenario = { name: layer, requests };
      await measure(baseUrl, scenario, 16, 1, { authorization });
      const before = processCpuSeconds(child.pid ?? 0) ?? 0;
      const measured = await measure(baseUrl, scenario, 16, duration, { authorization });
      const after = processCpuSeconds(child.pid ?? 0) ?? 0;
      child.kill();
      if (measured.errors > 0 || measured.non2xx > 0) throw new Error(`${layer}: requests failed`);
      const row = { rps: measured.requestsPerSecond, cpuUs: ((after - before) * 1e6) / measured.requests };
      results.set(layer, [...(results.get(layer) ?? []), row]);
    }
  }
  const median = (layer: Layer) => {
    const sorted = [...(results.get(layer) ?? [])].sort((a, b) => a.rps - b.rps);
    return sorted[Math.floor(sorted.length / 2)] ?? { rps: 0, cpuUs: 0 };
  };
  const bare = median('bare').rps;
  const lines = [
    `\nGET layers, N = ${n}, c = 16, ${duration} s, median of ${rounds} rounds, ${new Date().toISOString().slice(0, 16)}Z`,
    '| layer (each adds to the one above) | req/s | % of bare | server CPU µs/req | every round (req/s) |',
    '| --- | ---: | ---: | ---: | --- |',
    ...layers.map((layer) => {
      const row = median(layer);
      const all = (results.get(layer) ?? []).map((r) => r.rps).join(' · ');
      return `| ${layer} | ${row.rps} | ${Math.round((100 * row.rps) / bare)} % | ${row.cpuUs.toFixed(1)} | ${all} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
