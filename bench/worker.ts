// `npm run bench:worker -- [--jobs 20000] [--sends 2000]`: jobs per second with 1, 2 and 4 worker
// processes on real PostgreSQL, for the no-op kind (the queue itself) and for reminder sends to
// the local Bot API emulator. Each round: start the processes, wait until they idle, enqueue all
// jobs in one statement, time until every job is done.
import { parseArgs } from 'node:util';
import { enqueueMessages } from '../src/storage/repositories/outbox-repository.ts';
import { spawnWorker, stopWorker } from '../test/integration/worker/worker-processes.ts';
import { TelegramEmulator } from '../test/support/telegram-emulator.ts';
import { openBenchDatabase } from './support/bench-database.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    sends: { type: 'string', default: '2000' },
    processes: { type: 'string', default: '1,2,4' },
  },
});
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

async function run(kind: 'noop' | 'reminder.send', count: number, processes: number) {
  round += 1;
  const workers = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      spawnWorker({
        WORKER_DATABASE_URL: bench.url,
        WORKER_ID: `bench-${round}-${i}`,
        WORKER_KINDS: kind,
        WORKER_BATCH_SIZE: '100',
        WORKER_CONCURRENCY: kind === 'noop' ? '100' : '16',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        LOG_LEVEL: 'error',
      }),
    ),
  );
  const now = new Date();
  const messages = Array.from({ length: count }, (_, i) => {
    if (kind === 'noop') return { kind, payload: {}, dedupeKey: `bench-${round}-${i}` };
    const fireAt = new Date(now.getTime() - i);
    return {
      kind,
      userId,
      dedupeKey: `bench-${round}-${i}`,
      payload: {
        userId,
        objectId: event.id,
        occurrenceStart: event.start?.toISOString() ?? now.toISOString(),
        fireAt: fireAt.toISOString(),
        trigger: `snooze:${fireAt.toISOString()}`,
      },
    };
  });
  const started = performance.now();
  for (let i = 0; i < messages.length; i += 5000) {
    await enqueueMessages(bench.handle.db, messages.slice(i, i + 5000));
  }
  for (;;) {
    const row = await bench.handle.db
      .selectFrom('outbox_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dedupe_key', 'like', `bench-${round}-%`)
      .where('status', '<>', 'done')
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map(stopWorker));
  return { kind, processes, count, seconds, perSecond: Math.round(count / seconds) };
}

const rows = [];
for (const processes of processCounts) rows.push(await run('noop', noopJobs, processes));
for (const processes of processCounts) rows.push(await run('reminder.send', sendJobs, processes));

const lines = [
  '\nworker throughput (jobs enqueued in bulk, timed until all done)',
  '| job kind | processes | jobs | seconds | jobs/s |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) => `| ${r.kind} | ${r.processes} | ${r.count} | ${r.seconds.toFixed(2)} | ${r.perSecond} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
await telegram.close();
await bench.drop();
