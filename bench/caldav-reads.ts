// `npm run bench:caldav-reads -- --n 5000 [--duration 5] [--only multiget] [--schema name] [--profile dir]`:
// the CalDAV reads of issue 16 (multiget, initial sync, PROPFIND Depth 1, week query, incremental
// sync, GET) against `televent serve` in its default configuration on PostgreSQL, at c = 16, with
// the server's CPU time per request from /proc, the steadier figure on a shared machine. `--schema`
// keeps the seeded calendar in that schema for the next run; `--profile` writes a V8 CPU profile of
// the server (node --cpu-prof) into the folder.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createServices } from '../src/app/services.ts';
import { calendarHref } from '../src/caldav/resource-path.ts';
import { createDatabase } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { freePort, startTelevent, televentBin } from '../test/support/run-televent.ts';
import { benchDatabaseUrl } from './support/bench-database.ts';
import { processCpuSeconds } from './support/cpu-usage.ts';
import './support/measure.ts';
import { sampleEvent, seedCalendar } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    only: { type: 'string' },
    schema: { type: 'string' },
    profile: { type: 'string' },
  },
});
const n = Number(values.n);
const duration = Number(values.duration);
const connections = Number(values.connections);
const userId = 1001;
const origin = new Date('2026-06-01T00:00:00Z');
const schema = values.schema ?? `bench_reads_${process.pid}`;

async function openSchema() {
  const admin = new pg.Client({ connectionString: benchDatabaseUrl });
  await admin.connect();
  const existing = await admin.query('select 1 from information_schema.schemata where schema_name = $1', [
    schema,
  ]);
  await admin.query(`create schema if not exists ${schema}`);
  await admin.end();
  const handle = await createDatabase({ databaseUrl: benchDatabaseUrl, searchPath: schema, poolSize: 10 });
  await migrateToLatest(handle.db);
  const url = new URL(benchDatabaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { handle, services: createServices(handle.db), url: url.toString(), fresh: existing.rowCount === 0 };
}

/** `televent serve` under `node --cpu-prof` (not allowed in NODE_OPTIONS); the profile is written at exit. */
async function startProfiled(env: Record<string, string>, folder: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${folder}`, televentBin, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', API_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('televent login-link')) resolve();
    });
  });
  return {
    process: child,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function dropSchema() {
  const admin = new pg.Client({ connectionString: benchDatabaseUrl });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}

function xml(body: string) {
  return {
    body: `<?xml version="1.0" encoding="utf-8"?>\n${body}`,
    headers: { 'content-type': 'application/xml; charset=utf-8', depth: '1' },
  };
}

async function main() {
  const database = await openSchema();
  if (database.fresh) {
    await database.services.accounts.ensureUser({ telegramId: userId, timeZone: 'Europe/Berlin' });
    const start = Date.now();
    await seedCalendar(database.services, userId, n, origin);
    process.stdout.write(`seeded ${n} events in ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
  }
  const device = await database.services.devices.createDevice(userId, `bench-${Date.now()}`);
  const calendar = await database.services.calendars.defaultCalendar(userId);
  const revision = (await database.services.caldav.findCalendar(userId, calendar.slug))?.syncRevision ?? 0;
  await database.handle.close();

  const env: Record<string, string> = { DATABASE_URL: database.url, CALDAV_RATE_LIMIT_BURST: '1000000' };
  const server = values.profile ? await startProfiled(env, values.profile) : await startTelevent(env);
  const auth = `Basic ${Buffer.from(`${userId}:${device.password}`).toString('base64')}`;
  const calendarPath = calendarHref(userId, calendar.slug);
  const objectPath = (i: number) =>
    `${calendarPath}${encodeURIComponent(sampleEvent(((i % n) + n) % n, origin).href)}`;
  let counter = 0;
  const multiget = () =>
    xml(
      `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${Array.from(
        { length: 50 },
        (_, k) => `<d:href>${objectPath(counter * 50 * 7 + k * 7)}</d:href>`,
      ).join('')}</c:calendar-multiget>`,
    );
  const weekQuery = (first: number) => {
    const start = new Date(origin.getTime() + (first % 52) * 7 * 86_400_000 - 182 * 86_400_000);
    const stamp = (d: Date) => `${d.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
    return xml(
      `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${stamp(start)}" end="${stamp(new Date(start.getTime() + 7 * 86_400_000))}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
    );
  };
  const dynamic = (method: 'REPORT', build: () => { body: string; headers: Record<string, string> }) => ({
    method,
    setupRequest: (r: autocannon.Request) => {
      counter++;
      const request = build();
      return { ...r, path: calendarPath, body: request.body, headers: { ...r.headers, ...request.headers } };
    },
  });
  const scenarios: Array<{ name: string; requests: autocannon.Request[] }> = [
    { name: 'multiget', requests: [dynamic('REPORT', multiget)] },
    {
      name: 'initial-sync',
      requests: [
        {
          method: 'REPORT',
          path: calendarPath,
          ...xml(
            '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
          ),
        },
      ],
    },
    {
      name: 'propfind-depth-1',
      requests: [
        {
          method: 'PROPFIND',
          path: calendarPath,
          ...xml('<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontenttype/></d:prop></d:propfind>'),
        },
      ],
    },
    { name: 'week-query', requests: [dynamic('REPORT', () => weekQuery(counter))] },
    {
      name: 'incremental-sync',
      requests: [
        {
          method: 'REPORT',
          path: calendarPath,
          ...xml(
            `<d:sync-collection xmlns:d="DAV:"><d:sync-token>https://televent.app/ns/sync/${calendar.id}/${revision - 1}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
          ),
        },
      ],
    },
    {
      name: 'get',
      requests: Array.from({ length: Math.min(n, 1000) }, (_, i) => ({
        method: 'GET',
        path: objectPath(i * 7),
      })),
    },
  ];
  // Signed in once before measuring: the first sign-in checks the password (Argon2), later ones hit the cache.
  await fetch(`${server.baseUrl}${objectPath(0)}`, { headers: { authorization: auth } });
  const pid = server.process.pid ?? 0;
  process.stdout.write(`N = ${n}, c = ${connections}, ${duration} s each, default configuration\n`);
  process.stdout.write(
    '| request | bytes | req/s | p50 ms | server CPU µs/req | non-2xx |\n| --- | ---: | ---: | ---: | ---: | ---: |\n',
  );
  try {
    for (const scenario of scenarios) {
      if (values.only && !values.only.split(',').includes(scenario.name)) continue;
      const sample = scenario.requests[0] ?? {};
      const shaped =
        typeof sample.setupRequest === 'function' ? sample.setupRequest({ ...sample }, {}) : sample;
      if (!shaped) throw new Error(`no request for ${scenario.name}`);
      const probe = await fetch(`${server.baseUrl}${shaped.path}`, {
        method: shaped.method ?? 'GET',
        headers: { ...(shaped.headers as Record<string, string>), authorization: auth },
        ...(shaped.body ? { body: shaped.body as string } : {}),
      });
      const bytes = (await probe.arrayBuffer()).byteLength;
      // The week query's windows sweep a year: it is measured with the process's occurrence
      // timelines built (one pass over the 52 weeks first), as on a server that has been running.
      if (scenario.name === 'week-query') {
        for (let week = 0; week < 52; week++) {
          const request = weekQuery(week);
          await fetch(`${server.baseUrl}${calendarPath}`, {
            method: 'REPORT',
            headers: { ...request.headers, authorization: auth },
            body: request.body,
          }).then((r) => r.arrayBuffer());
        }
      }
      const before = processCpuSeconds(pid) ?? 0;
      const result = await autocannon({
        url: server.baseUrl,
        connections,
        duration,
        headers: { authorization: auth },
        requests: scenario.requests,
      });
      const cpu = (processCpuSeconds(pid) ?? 0) - before;
      const statuses = Object.entries(result.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, { count }]) => `${count} × ${code}`);
      process.stdout.write(
        `| ${scenario.name} | ${bytes} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${Math.round((cpu * 1e6) / Math.max(1, result.requests.total))} | ${[...statuses, ...(result.errors ? [`${result.errors} errors`] : [])].join(', ') || 0} |\n`,
      );
    }
  } finally {
    await server.stop();
    if (!values.schema) await dropSchema();
  }
}

await main();
