// `npm run bench:scale -- [--n 5000] [--duration 10] [--connections 16]`: CalDAV GET and PUT over
// one calendar of N objects on real PostgreSQL, served first by one and then by two
// `televent serve --roles http` processes (the README's "Scaling out").
//
// Load: one autocannon instance in this process is given every server's address and hands its
// connections to them in turn (connection i to server i mod n), as a load balancer spreading
// connections would; each connection walks the whole collection, so no object is hot. Node's
// cluster module is not used: a deployment runs separate processes (or containers) on one
// DATABASE_URL, and that is what is measured. No worker runs: each PUT's reminder-planning job
// stays queued (bench:worker measures the worker).
// CPU: utime+stime from /proc of each server process and of every postgres process, over each
// measured run, and how busy the whole machine was (the load generator shares it).
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { type RunningServer, startTelevent } from '../test/support/run-televent.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import { CpuMeter, machineCpuSeconds, postgresPids, processCpuSeconds } from './support/cpu-usage.ts';
import { type Measurement, measure } from './support/measure.ts';
import { sampleEvent, seedCalendar } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
  },
});
const n = Number(values.n);
const duration = Number(values.duration);
const connections = Number(values.connections);
const userId = 1001;
const origin = new Date('2026-06-01T00:00:00Z');
/** A stride coprime with most N: consecutive requests land far apart in the collection. */
const stride = 7919;

interface Row extends Measurement {
  processes: number;
  /** CPU seconds each server process used during the run. */
  serverCpu: number[];
  postgresCpu: number;
  /** Share of the machine's cores busy during the run, whoever used them. */
  machineBusy: number;
}

/** One GET of every object through each server, so each process's cache is warm before it is measured. */
async function warm(servers: RunningServer[], paths: string[], auth: string): Promise<void> {
  for (const server of servers) {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < paths.length) {
          const path = paths[next++] ?? '';
          const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: auth } });
          if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
          await response.arrayBuffer();
        }
      }),
    );
  }
}

async function run(
  servers: RunningServer[],
  scenario: { name: string; requests: autocannon.Request[] },
  auth: string,
): Promise<Row> {
  const pids = servers.map((s) => s.process.pid ?? 0);
  const before = pids.map((pid) => processCpuSeconds(pid) ?? 0);
  const postgres = new CpuMeter();
  postgres.sample(postgresPids(), true);
  const machineBefore = machineCpuSeconds();
  const measured = await measure(
    servers.map((s) => s.baseUrl),
    scenario,
    connections,
    duration,
    { authorization: auth },
  );
  const machineAfter = machineCpuSeconds();
  // Backends opened during the run count from 0.
  postgres.sample(postgresPids(), false);
  return {
    ...measured,
    processes: servers.length,
    serverCpu: pids.map((pid, i) => (processCpuSeconds(pid) ?? 0) - (before[i] ?? 0)),
    postgresCpu: postgres.seconds,
    machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
  };
}

function printRows(rows: Row[]): void {
  const lines = [
    `\nCalDAV scale-out benchmark, N = ${n}, c = ${connections}, ${duration} s per row, ${new Date().toISOString().slice(0, 10)}, PostgreSQL`,
    '| HTTP processes | request | req/s | p50 ms | p99 ms | errors | non-2xx | server CPU s (each process) | server CPU µs per request | PostgreSQL CPU s | machine busy |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const requests = r.requestsPerSecond * duration;
      const serverTotal = r.serverCpu.reduce((a, b) => a + b, 0);
      return `| ${r.processes} | ${r.name} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.non2xx} | ${r.serverCpu.map((s) => s.toFixed(1)).join(' + ')} | ${requests > 0 ? Math.round((serverTotal / requests) * 1e6) : '-'} | ${r.postgresCpu.toFixed(1)} | ${Math.round(r.machineBusy * 100)} % |`;
    }),
  ];
  for (const name of new Set(rows.map((r) => r.name))) {
    const one = rows.find((r) => r.name === name && r.processes === 1);
    const two = rows.find((r) => r.name === name && r.processes === 2);
    if (one && two && one.requestsPerSecond > 0) {
      lines.push(
        `${name}: two processes give ${(two.requestsPerSecond / one.requestsPerSecond).toFixed(2)}× one.`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const database = await openBenchDatabase();
  const servers: RunningServer[] = [];
  try {
    await database.services.accounts.ensureUser({ telegramId: userId, timeZone: 'Europe/Berlin' });
    const device = await database.services.devices.createDevice(userId, 'bench');
    const auth = `Basic ${Buffer.from(`${userId}:${device.password}`).toString('base64')}`;
    const seedStart = Date.now();
    const { hrefs } = await seedCalendar(database.services, userId, n, origin);
    process.stdout.write(`seeded ${n} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
    // The user's first calendar (account-service.ts names it `default`).
    const objectPath = (i: number) =>
      `/calendars/${userId}/default/${encodeURIComponent(hrefs[i % n] ?? '')}`;
    const paths = hrefs.map((_, i) => objectPath(i));

    // Static GETs (autocannon builds each once, so the load generator costs less), scattered.
    const getRequests: autocannon.Request[] = Array.from({ length: n }, (_, i) => ({
      method: 'GET',
      path: objectPath(i * stride),
    }));
    let counter = 0;
    const putRequests: autocannon.Request[] = [
      {
        method: 'PUT',
        setupRequest: (request) => {
          const i = (counter++ * stride) % n;
          const event = sampleEvent(i, origin);
          return {
            ...request,
            path: objectPath(i),
            headers: { ...request.headers, 'content-type': 'text/calendar; charset=utf-8' },
            body: event.ics.replace(`SUMMARY:Event ${i}`, `SUMMARY:Event ${i} v${counter}`),
          };
        },
      },
    ];

    const rows: Row[] = [];
    for (const processes of [1, 2]) {
      for (let i = 0; i < processes; i++) {
        // One user sends everything, far past the per-user CalDAV rate limit: this measures throughput.
        servers.push(
          await startTelevent(
            { DATABASE_URL: database.url, LOG_LEVEL: 'warn', CALDAV_RATE_LIMIT_BURST: '1000000' },
            ['--roles', 'http'],
          ),
        );
      }
      await warm(servers, paths, auth);
      rows.push(await run(servers, { name: 'GET object', requests: getRequests }, auth));
      rows.push(await run(servers, { name: 'PUT update', requests: putRequests }, auth));
      await Promise.all(servers.splice(0).map((s) => s.stop()));
    }
    printRows(rows);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await database.drop();
  }
}

await main();
