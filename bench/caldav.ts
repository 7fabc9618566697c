// `npm run bench:caldav -- --n 5000 [--duration 5] [--configs default,http] [--only put,get]
// [--connections 1,16] [--cpu-prof DIR]`: seeds one calendar on real PostgreSQL with a realistic mix,
// starts `televent serve` against it in each configuration asked for — `default` is what `npm start`
// runs (every role, LOG_LEVEL=info), `http` is `--roles http` with LOG_LEVEL=warn — and measures CalDAV
// requests with autocannon, next to a bare node:http server returning the same GET bytes. Besides
// req/s it prints the CPU each request cost the server process and its PostgreSQL backends (utime +
// stime from /proc): on a shared machine that is the steadier figure.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { sql } from 'kysely';
import { strongEtag } from '../src/domain/etag.ts';
import { freePort, type RunningServer, startTelevent } from '../test/support/run-televent.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import { CpuMeter, machineCpuSeconds, processCpuSeconds } from './support/cpu-usage.ts';
import { type Measurement, measure } from './support/measure.ts';
import { sampleEvent, seedCalendar } from './support/seed-calendar.ts';

const configurations = {
  default: {
    title: 'default configuration (`npm start`: televent serve, every role, LOG_LEVEL=info, no bot token)',
    env: { LOG_LEVEL: 'info' },
    args: [] as string[],
  },
  http: {
    title: '`televent serve --roles http`, LOG_LEVEL=warn',
    env: { LOG_LEVEL: 'warn' },
    args: ['--roles', 'http'],
  },
} as const;
type ConfigurationName = keyof typeof configurations;

const scenarioKeys = [
  'get',
  'propfind',
  'sync-initial',
  'query-week',
  'query-month',
  'multiget',
  'sync',
  'ctag',
  'put',
  'propfind-changed',
] as const;
type ScenarioKey = (typeof scenarioKeys)[number];

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '5' },
    configs: { type: 'string', default: 'default,http' },
    only: { type: 'string', default: scenarioKeys.join(',') },
    connections: { type: 'string', default: '1,16' },
    'cpu-prof': { type: 'string' },
  },
});
const n = Number(values.n);
const duration = Number(values.duration);
const configNames = listOption(
  values.configs,
  Object.keys(configurations),
  '--configs',
) as ConfigurationName[];
const only = new Set(listOption(values.only, scenarioKeys, '--only') as ScenarioKey[]);
const connectionCounts = values.connections.split(',').map(Number);
const userId = 1001;
const origin = new Date('2026-06-01T00:00:00Z');
// A stride coprime with 500, 5,000 and 20,000: i * stride mod N visits every object once, scattered.
const stride = 7919;

function listOption(value: string, allowed: readonly string[], name: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!allowed.includes(item)) throw new Error(`${name}: "${item}" is not one of ${allowed.join(', ')}`);
  }
  return items;
}

function report(xml: string): { body: string; headers: Record<string, string> } {
  return {
    body: `<?xml version="1.0" encoding="utf-8"?>\n${xml}`,
    headers: { 'content-type': 'application/xml; charset=utf-8', depth: '1' },
  };
}

const propfind = (props: string) =>
  `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"><d:prop>${props}</d:prop></d:propfind>`;

function firstHref(xml: string, property: string): string {
  const match = new RegExp(`<(?:\\w+:)?${property}[^>]*>\\s*<(?:\\w+:)?href>([^<]+)<`, 'i').exec(xml);
  if (!match?.[1]) throw new Error(`no ${property} in ${xml.slice(0, 500)}`);
  return match[1];
}

async function dav(baseUrl: string, path: string, method: string, auth: string, body: string, depth: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: auth, depth, 'content-type': 'application/xml; charset=utf-8' },
    body,
  });
  return response.text();
}

/** The calendar's path as a client finds it: principal, calendar home, then the home's members. */
async function discoverCalendar(baseUrl: string, auth: string): Promise<string> {
  const root = await dav(baseUrl, '/', 'PROPFIND', auth, propfind('<d:current-user-principal/>'), '0');
  const principal = firstHref(root, 'current-user-principal');
  const home = firstHref(
    await dav(baseUrl, principal, 'PROPFIND', auth, propfind('<c:calendar-home-set/>'), '0'),
    'calendar-home-set',
  );
  const listing = await dav(baseUrl, home, 'PROPFIND', auth, propfind('<d:resourcetype/>'), '1');
  const calendarPath = [...listing.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/gi)]
    .map((m) => m[1] ?? '')
    .find((href) => href !== home && href.startsWith(home));
  if (!calendarPath) throw new Error(`no calendar under ${home}`);
  return calendarPath;
}

interface Row extends Measurement {
  /** Server process CPU (utime + stime) per request, µs. */
  serverCpuUs: number;
  /** CPU of the server's PostgreSQL backends per request, µs. */
  databaseCpuUs: number;
  /** Share of the whole machine busy during the row. */
  machineBusy: number;
  /** Outbox jobs due but not yet done when the row ended (the worker role catching up on PUTs). */
  pendingJobs: number;
  /** How long the worker then took to do them; the CPU figures include that time. */
  catchUpSeconds: number;
}

async function main() {
  const database = await openBenchDatabase();
  await database.services.accounts.ensureUser({ telegramId: userId, timeZone: 'Europe/Berlin' });
  const device = await database.services.devices.createDevice(userId, 'bench');
  const seedStart = Date.now();
  const { hrefs, etags } = await seedCalendar(database.services, userId, n, origin);
  process.stdout.write(`seeded ${n} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
  const auth = `Basic ${Buffer.from(`${userId}:${device.password}`).toString('base64')}`;
  const backendCount = async (applicationName: string) =>
    (
      await sql<{
        pid: number;
      }>`select pid from pg_stat_activity where application_name = ${applicationName}`.execute(
        database.handle.db,
      )
    ).rows.map((r) => Number(r.pid));
  const pendingJobs = async () =>
    Number(
      (
        await database.handle.db
          .selectFrom('outbox_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', ['pending', 'processing'])
          .where('run_at', '<=', new Date())
          .executeTakeFirst()
      )?.n ?? 0,
    );

  // With the worker role in the server, a row lasts until the worker has done the jobs its requests
  // queued (reminder planning after each PUT): their CPU is part of what a request costs.
  const drainJobs = async (): Promise<number> => {
    const started = performance.now();
    while ((await pendingJobs()) > 0) {
      if (performance.now() - started > 600_000) throw new Error('the worker did not catch up in 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (performance.now() - started) / 1000;
  };

  let putCounter = 0;
  let multigetCounter = 0;
  let bare: Measurement | null = null;
  let server: RunningServer | null = null;
  try {
    for (const configName of configNames) {
      const configuration = configurations[configName];
      const applicationName = `televent-bench-${configName}`;
      const url = new URL(database.url);
      url.searchParams.set('application_name', applicationName);
      // One user sends everything here, far past the per-user CalDAV rate limit: this measures throughput.
      server = await startTelevent(
        {
          DATABASE_URL: url.toString(),
          CALDAV_RATE_LIMIT_BURST: '1000000',
          ...configuration.env,
        },
        [...configuration.args],
        values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [],
      );
      const running = server;
      // The server's log lines are counted, not kept: at LOG_LEVEL=info a run writes hundreds of MB.
      let logBytes = 0;
      running.process.stdout?.removeAllListeners('data');
      running.process.stdout?.on('data', (chunk: Buffer) => {
        logBytes += chunk.length;
      });
      const serverPid = running.process.pid ?? 0;
      const runsWorker = configuration.args.length === 0;
      if (runsWorker) {
        // Seeding queued a job per event; the worker does them before anything is measured.
        process.stdout.write(
          `worker caught up with the seeding jobs in ${(await drainJobs()).toFixed(1)} s\n`,
        );
      }
      const calendarPath = await discoverCalendar(running.baseUrl, auth);
      const objectPath = (i: number) => `${calendarPath}${encodeURIComponent(hrefs[i % n] ?? '')}`;

      // One change after a token: the incremental sync-collection sees exactly that one.
      const tokenXml = await dav(
        running.baseUrl,
        calendarPath,
        'PROPFIND',
        auth,
        propfind('<d:sync-token/>'),
        '0',
      );
      const token = /<(?:\w+:)?sync-token>([^<]+)</i.exec(tokenXml)?.[1];
      if (!token) throw new Error(`no sync-token in ${tokenXml}`);
      const changedText = sampleEvent(1, origin).ics.replace(
        'SUMMARY:Event 1',
        `SUMMARY:Event 1 (${configName})`,
      );
      const changed = await fetch(`${running.baseUrl}${objectPath(1)}`, {
        method: 'PUT',
        headers: {
          authorization: auth,
          'content-type': 'text/calendar; charset=utf-8',
          'if-match': etags[1] ?? '*',
        },
        body: changedText,
      });
      if (changed.status !== 204) throw new Error(`PUT of the changed event answered ${changed.status}`);
      etags[1] = strongEtag(changedText);

      const week = ['20260601T000000Z', '20260608T000000Z'];
      const month = ['20260601T000000Z', '20260701T000000Z'];
      const calendarQuery = ([start, end]: string[]) =>
        report(
          `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
        );
      // Every object once, in a scattered order, as static requests: autocannon builds each request
      // once instead of per send, so the load generator (on the same 2 cores) is not what is measured.
      const getRequests: autocannon.Request[] = Array.from({ length: n }, (_, i) => ({
        method: 'GET',
        path: objectPath(i * stride),
      }));
      // As a client edits: the next object of a scattered walk, with its current ETag in If-Match.
      const nextEdit = (r: autocannon.Request): autocannon.Request => {
        const i = (putCounter++ * stride) % n;
        const text = sampleEvent(i, origin).ics.replace(
          `SUMMARY:Event ${i}`,
          `SUMMARY:Event ${i} v${putCounter}`,
        );
        const ifMatch = etags[i] ?? '*';
        etags[i] = strongEtag(text);
        return {
          ...r,
          path: objectPath(i),
          headers: { ...r.headers, 'content-type': 'text/calendar; charset=utf-8', 'if-match': ifMatch },
          body: text,
        };
      };
      // Writes come last: the sync-collection scenario must see exactly the one change made above.
      const scenarios: Array<{ key: ScenarioKey; name: string; requests: autocannon.Request[] }> = [
        { key: 'get', name: 'GET object', requests: getRequests },
        {
          key: 'propfind',
          name: 'PROPFIND Depth 1 (getetag, getcontenttype)',
          requests: [
            {
              method: 'PROPFIND',
              path: calendarPath,
              headers: { depth: '1', 'content-type': 'application/xml' },
              body: propfind('<d:getetag/><d:getcontenttype/>'),
            },
          ],
        },
        {
          key: 'sync-initial',
          name: 'sync-collection, initial (every ETag)',
          requests: [
            {
              method: 'REPORT',
              path: calendarPath,
              ...report(
                '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
              ),
            },
          ],
        },
        {
          key: 'query-week',
          name: 'calendar-query, one week, with calendar-data',
          requests: [{ method: 'REPORT', path: calendarPath, ...calendarQuery(week) }],
        },
        {
          key: 'query-month',
          name: 'calendar-query, one month, with calendar-data',
          requests: [{ method: 'REPORT', path: calendarPath, ...calendarQuery(month) }],
        },
        {
          key: 'multiget',
          name: 'calendar-multiget of 50',
          requests: [
            {
              method: 'REPORT',
              // 50 objects scattered over the whole collection, a different 50 each time.
              setupRequest: (r) => {
                const first = multigetCounter++ * 50;
                const request = report(
                  `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${Array.from(
                    { length: 50 },
                    (_, k) => `<d:href>${objectPath((first + k) * stride)}</d:href>`,
                  ).join('')}</c:calendar-multiget>`,
                );
                return {
                  ...r,
                  path: calendarPath,
                  body: request.body,
                  headers: { ...r.headers, ...request.headers },
                };
              },
            },
          ],
        },
        {
          key: 'sync',
          name: 'sync-collection, incremental after one change',
          requests: [
            {
              method: 'REPORT',
              path: calendarPath,
              ...report(
                `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
              ),
            },
          ],
        },
        {
          key: 'ctag',
          name: 'PROPFIND Depth 0 getctag',
          requests: [
            {
              method: 'PROPFIND',
              path: calendarPath,
              headers: { depth: '0', 'content-type': 'application/xml' },
              body: propfind('<cs:getctag/>'),
            },
          ],
        },
        {
          key: 'put',
          name: 'PUT update (If-Match)',
          requests: [{ method: 'PUT', setupRequest: nextEdit }],
        },
        {
          key: 'propfind-changed',
          name: 'PUT, then PROPFIND Depth 1 (a listing right after a change; req/s counts both)',
          requests: [
            { method: 'PUT', setupRequest: nextEdit },
            {
              method: 'PROPFIND',
              path: calendarPath,
              headers: { depth: '1', 'content-type': 'application/xml' },
              body: propfind('<d:getetag/><d:getcontenttype/>'),
            },
          ],
        },
      ];

      const rows: Row[] = [];
      for (const scenario of scenarios) {
        if (!only.has(scenario.key)) continue;
        for (const connections of connectionCounts) {
          const backends = new CpuMeter();
          backends.sample(await backendCount(applicationName), true);
          const serverBefore = processCpuSeconds(serverPid) ?? 0;
          const machineBefore = machineCpuSeconds();
          const measurement = await measure(running.baseUrl, scenario, connections, duration, {
            authorization: auth,
          });
          const pendingAfter = await pendingJobs();
          const catchUp = runsWorker ? await drainJobs() : 0;
          const serverSeconds = (processCpuSeconds(serverPid) ?? 0) - serverBefore;
          const machineAfter = machineCpuSeconds();
          backends.sample(await backendCount(applicationName), false);
          const requests = measurement.requests;
          const perRequest = (seconds: number) => (requests > 0 ? Math.round((seconds / requests) * 1e6) : 0);
          rows.push({
            ...measurement,
            serverCpuUs: perRequest(serverSeconds),
            databaseCpuUs: perRequest(backends.seconds),
            machineBusy:
              (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
            pendingJobs: pendingAfter,
            catchUpSeconds: catchUp,
          });
        }
      }
      if (only.has('get') && bare === null)
        bare = await measureBare(running.baseUrl, objectPath(7), getRequests, auth);
      await running.stop();
      server = null;
      printRows(
        `${configuration.title}, N = ${n}, PostgreSQL, ${new Date().toISOString().slice(0, 16)}Z`,
        rows,
      );
      process.stdout.write(`server log output: ${(logBytes / 1e6).toFixed(1)} MB\n`);
      const get16 = rows.find((r) => r.name === 'GET object' && r.connections === 16);
      if (get16 && bare) {
        process.stdout.write(
          `GET at c=16 is ${Math.round((100 * get16.requestsPerSecond) / bare.requestsPerSecond)}% of the bare node:http server (${bare.requestsPerSecond} req/s, p50 ${bare.p50Ms} ms).\n`,
        );
      }
    }
  } finally {
    await server?.stop();
    await database.drop();
  }
}

/** The same GET bytes from a bare node:http server, driven exactly like Televent's GET (same requests, headers, connections). */
async function measureBare(
  baseUrl: string,
  samplePath: string,
  getRequests: autocannon.Request[],
  auth: string,
): Promise<Measurement> {
  const sample = await (await fetch(`${baseUrl}${samplePath}`, { headers: { authorization: auth } })).text();
  const port = await freePort();
  const baseline = spawn(
    process.execPath,
    [
      '-e',
      `const b=Buffer.from(process.env.BODY,'base64');require('node:http').createServer((q,s)=>{s.writeHead(200,{'content-type':'text/calendar; charset=utf-8',etag:'"x"'});s.end(b)}).listen(${port},'127.0.0.1',()=>process.stdout.write('ready\\n'))`,
    ],
    {
      env: { ...process.env, BODY: Buffer.from(sample).toString('base64') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) => baseline.stdout?.once('data', () => resolve()));
  try {
    return await measure(
      `http://127.0.0.1:${port}`,
      { name: 'bare node:http GET', requests: getRequests },
      16,
      duration,
      {
        authorization: auth,
      },
    );
  } finally {
    baseline.kill();
  }
}

function printRows(title: string, rows: Row[]): void {
  const lines = [
    `\n${title}`,
    '| request | c | req/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL backends CPU µs/req | machine busy | errors | non-2xx | jobs due after · worker catch-up |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.serverCpuUs} | ${r.databaseCpuUs} | ${Math.round(r.machineBusy * 100)} % | ${r.errors} | ${r.non2xx} | ${r.pendingJobs} · ${r.catchUpSeconds.toFixed(1)} s |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
