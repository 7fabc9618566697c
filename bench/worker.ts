// `npm run bench:worker -- [--jobs 20000] [--sends 2000] [--io-jobs 4000] [--io-ms 10]`: jobs per
// second with 1, 2 and 4 worker processes on real PostgreSQL, for the no-op kind (the queue
// itself), for 'bench.simulated-io' (waits a fixed few ms, a stand-in for a send's network
// latency, no CPU) and for reminder sends to the local Bot API emulator. Each round: start the
// processes, wait until they idle, enqueue all jobs, time until every job is done.
// CPU: utime+stime from /proc of the worker processes, of their PostgreSQL backends (found by
// application_name) and of every postgres process, plus how busy the whole machine was.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { enqueueMessages } from '../src/storage/repositories/outbox-repository.ts';
import { spawnWorker, stopWorker } from '../test/integration/worker/worker-processes.ts';
import { TelegramEmulator } from '../test/support/telegram-emulator.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import {
  busiestOthers,
  CpuMeter,
  everyProcessCpu,
  machineCpuSeconds,
  postgresPids,
} from './support/cpu-usage.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    sends: { type: 'string', default: '2000' },
    processes: { type: 'string', default: '1,2,4' },
    'io-jobs': { type: 'string', default: '4000' },
    'io-ms': { type: 'string', default: '10' },
    'io-concurrency': { type: 'string', default: '8' },
  },
});
const ioJobs = Number(values['io-jobs']);
const ioMs = Number(values['io-ms']);
const ioConcurrency = values['io-concurrency'] ?? '8';
const noopJobs = Number(values.jobs);
const sendJobs = Number(values.sends);
const processCounts = (values.processes ?? '1,2,4').split(',').map(Number);
const userId = 9001;

const bench = await openBenchDatabase();
const telegram = await TelegramEmulator.start();
await bench.services.accounts.ensureUser({ telegramId: userId, timeZone: 'UTC' });
const event = await bench.services.calendars.createEvent(userId, {
  summary: 'Bench',
  start: new Date(Date.now() + 86_400_000),
  end: new Date(Date.now() + 86_400_000 + 3_600_000),
});

let round = 0;

type BenchKind = 'noop' | 'bench.simulated-io' | 'reminder.send';

async function backendPids(applicationName: string): Promise<number[]> {
  const rows = await bench.handle.db
    .selectFrom(sql<{ pid: number; application_name: string }>`pg_stat_activity`.as('a'))
    .select('pid')
    .where('application_name', '=', applicationName)
    .execute();
  return rows.map((r) => Number(r.pid));
}

function payloadOf(kind: BenchKind, i: number, now: Date) {
  if (kind === 'noop') return {};
  if (kind === 'bench.simulated-io') return { ms: ioMs };
  const fireAt = new Date(now.getTime() - i);
  return {
    userId,
    objectId: event.id,
    occurrenceStart: event.start?.toISOString() ?? now.toISOString(),
    fireAt: fireAt.toISOString(),
    trigger: `snooze:${fireAt.toISOString()}`,
  };
}

async function run(kind: BenchKind, count: number, processes: number) {
  round += 1;
  const applicationName = `televent-bench-${round}`;
  const url = new URL(bench.url);
  url.searchParams.set('application_name', applicationName);
  const concurrency = kind === 'noop' ? '100' : kind === 'bench.simulated-io' ? ioConcurrency : '16';
  const workers = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      spawnWorker({
        WORKER_DATABASE_URL: url.toString(),
        WORKER_ID: `bench-${round}-${i}`,
        WORKER_KINDS: kind,
        WORKER_BATCH_SIZE: '100',
        WORKER_CONCURRENCY: concurrency,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        LOG_LEVEL: 'error',
      }),
    ),
  );
  const now = new Date();
  const messages = Array.from({ length: count }, (_, i) => ({
    kind,
    dedupeKey: `bench-${round}-${i}`,
    payload: payloadOf(kind, i, now),
    ...(kind === 'reminder.send' ? { userId } : {}),
  }));
  const workerPids = workers.map((w) => w.child.pid ?? 0);
  const workerCpu = new CpuMeter();
  const backendCpu = new CpuMeter();
  const postgresCpu = new CpuMeter();
  const startPostgres = postgresPids();
  workerCpu.sample(workerPids, true);
  backendCpu.sample(await backendPids(applicationName), true);
  postgresCpu.sample(startPostgres, true);
  const everyAtStart = everyProcessCpu();
  const machineAtStart = machineCpuSeconds();
  const driverAtStart = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += 5000) {
    await enqueueMessages(bench.handle.db, messages.slice(i, i + 5000));
  }
  for (let polls = 0; ; polls++) {
    const row = await bench.handle.db
      .selectFrom('outbox_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dedupe_key', 'like', `bench-${round}-%`)
      .where('status', '<>', 'done')
      .executeTakeFirst();
    // Backends opened during the run count from 0; sampling now and then keeps ones that close.
    if (polls % 10 === 0) backendCpu.sample(await backendPids(applicationName), false);
    if (Number(row?.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const machineAtEnd = machineCpuSeconds();
  const everyAtEnd = everyProcessCpu();
  const driver = process.cpuUsage(driverAtStart);
  workerCpu.sample(workerPids, false);
  backendCpu.sample(await backendPids(applicationName), false);
  // Postgres processes that started during the run (new backends) count from 0.
  postgresCpu.sample(postgresPids(), false);
  const known = new Set([...workerPids, ...(await backendPids(applicationName)), process.pid]);
  const others = busiestOthers(everyAtStart, everyAtEnd, known)
    .map((p) => `${p.name}[${p.pid}] ${(p.seconds / seconds).toFixed(2)}`)
    .join(', ');
  await Promise.all(workers.map(stopWorker));
  const perThousand = (cpu: number) => (cpu / count) * 1000;
  const machineBusySeconds = machineAtEnd.busy - machineAtStart.busy;
  const driverSeconds = (driver.user + driver.system) / 1e6;
  return {
    kind: kind === 'bench.simulated-io' ? `${kind} (${ioMs} ms wait)` : kind,
    processes,
    concurrency,
    count,
    seconds,
    perSecond: Math.round(count / seconds),
    workerCpu: perThousand(workerCpu.seconds),
    backendCpu: perThousand(backendCpu.seconds),
    postgresCpu: perThousand(postgresCpu.seconds),
    // Share of both cores in use during the run, whoever used them.
    machineBusy: (machineAtEnd.busy - machineAtStart.busy) / (machineAtEnd.total - machineAtStart.total),
    workerCores: workerCpu.seconds / seconds,
    backendCores: backendCpu.seconds / seconds,
    // Everything else that ran meanwhile: this bench's own process and its PostgreSQL session,
    // PostgreSQL's background processes, and whatever else shares the machine.
    otherCores: (machineBusySeconds - workerCpu.seconds - backendCpu.seconds) / seconds,
    driverCores: driverSeconds / seconds,
    others,
  };
}

const rows = [];
if (noopJobs > 0) for (const processes of processCounts) rows.push(await run('noop', noopJobs, processes));
if (ioJobs > 0) {
  for (const processes of processCounts) rows.push(await run('bench.simulated-io', ioJobs, processes));
}
if (sendJobs > 0) {
  for (const processes of processCounts) rows.push(await run('reminder.send', sendJobs, processes));
}

const lines = [
  '\nworker throughput (jobs enqueued in bulk, timed until all done; CPU from /proc, seconds per 1,000 jobs)',
  `machine: ${availableParallelism()} cores; "cores" = CPU seconds / wall seconds; machine busy = all processes`,
  '| job kind | processes × concurrency | jobs | seconds | jobs/s | worker CPU s/1k | their PG backends CPU s/1k | all postgres CPU s/1k | worker cores | backend cores | bench driver cores | other cores | machine busy |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows
    .map((r) =>
      [
        r.kind,
        `${r.processes} × ${r.concurrency}`,
        r.count,
        r.seconds.toFixed(2),
        r.perSecond,
        r.workerCpu.toFixed(3),
        r.backendCpu.toFixed(3),
        r.postgresCpu.toFixed(3),
        r.workerCores.toFixed(2),
        r.backendCores.toFixed(2),
        r.driverCores.toFixed(2),
        (r.otherCores - r.driverCores).toFixed(2),
        `${Math.round(r.machineBusy * 100)}%`,
      ].join(' | '),
    )
    .map((line) => `| ${line} |`),
];
lines.push('', 'busiest other processes during each run (cores):');
for (const r of rows) lines.push(`- ${r.kind}, ${r.processes} process(es): ${r.others}`);
process.stdout.write(`${lines.join('\n')}\n`);
await telegram.close();
await bench.drop();
