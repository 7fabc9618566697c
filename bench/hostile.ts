// `npm run bench:hostile -- [--runs 3]`: the hostile inputs of docs/architecture.md#hostile-input-findings against `televent serve` in the
// default `npm start` configuration (every role) on real PostgreSQL. Each named PUT and REST call
// of the corpus is sent `runs` times, then the server is restarted over objects an older version
// stored and each read is made `runs` times, all while /health is probed every ~25 ms. Prints, per
// entry, the statuses, the slowest request and the slowest /health answer; then the worst of each
// and the server's RSS before and after the corpus.
import { parseArgs } from 'node:util';
import { bystanderEvents } from '../test/hostile/bystander.ts';
import {
  type Account,
  createAccount,
  davRequest,
  getObject,
  putObject,
  restCall,
  signIn,
} from '../test/hostile/client.ts';
import { hostilePuts, hostileRestCalls } from '../test/hostile/corpus.ts';
import { LiveServer } from '../test/hostile/live-server.ts';
import { type Answer, type HealthReport, healthBoundMs, probed } from '../test/hostile/probe.ts';
import { storedHostileReads } from '../test/hostile/reads.ts';
import { storeHostileObjects } from '../test/hostile/stored-hostile.ts';
import { healthProblem, readProblem, refusalProblem } from '../test/hostile/verdicts.ts';
import { benchDatabaseUrl } from './support/bench-database.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number(values.runs));
const megabyte = 1024 * 1024;

interface Row {
  phase: string;
  name: string;
  statuses: Set<string>;
  worstRequestMs: number;
  worstHealthMs: number;
  /** What was wrong with an answer, if anything was (the first problem seen). */
  problem: string | null;
}

const rows: Row[] = [];
const restarts: string[] = [];

function record(phase: string, name: string, answer: Answer, health: HealthReport, problem: string | null) {
  let row = rows.find((r) => r.phase === phase && r.name === name);
  if (!row) {
    row = { phase, name, statuses: new Set(), worstRequestMs: 0, worstHealthMs: 0, problem: null };
    rows.push(row);
  }
  row.statuses.add(answer.status === 0 ? 'none' : String(answer.status));
  row.worstRequestMs = Math.max(row.worstRequestMs, Math.round(answer.ms));
  row.worstHealthMs = Math.max(row.worstHealthMs, health.worstMs);
  row.problem ??= problem ?? healthProblem(health, healthBoundMs);
}

async function revive(server: LiveServer): Promise<void> {
  const reason = await server.reviveIfUnresponsive();
  if (reason) restarts.push(reason);
}

async function sendCorpus(server: LiveServer, hostile: Account, cookie: string): Promise<void> {
  for (let run = 1; run <= runs; run++) {
    for (const entry of hostilePuts) {
      await revive(server);
      const body = entry.body(`${entry.slug}@hostile.invalid`);
      const { result, health } = await probed(server.baseUrl, () =>
        putObject(server, hostile, `${entry.slug}.ics`, body),
      );
      record('PUT', entry.slug, result, health, refusalProblem(result));
    }
    for (const call of hostileRestCalls) {
      await revive(server);
      const { result, health } = await probed(server.baseUrl, () => restCall(server, cookie, call));
      const refused = result.status >= 400 && result.status < 500;
      record('REST', call.slug, result, health, refused ? null : `answered ${result.status || 'nothing'}`);
    }
  }
}

async function readStored(
  server: LiveServer,
  hostile: Account,
  cookie: string,
  stored: Awaited<ReturnType<typeof storeHostileObjects>>,
  now: Date,
): Promise<void> {
  const context = { calendarPath: hostile.calendarPath, hrefNames: stored.map((s) => s.hrefName), now };
  for (let run = 1; run <= runs; run++) {
    for (const read of storedHostileReads) {
      await revive(server);
      const request = read.request(context);
      const { result, health } = await probed(server.baseUrl, () =>
        request.kind === 'rest'
          ? restCall(server, cookie, { method: 'GET', path: request.path })
          : davRequest(server, hostile, request),
      );
      record('stored', read.slug, result, health, readProblem(result));
    }
    for (const object of stored) {
      await revive(server);
      const { result, health } = await probed(server.baseUrl, () =>
        getObject(server, hostile, object.hrefName),
      );
      const exact = result.status === 200 && result.bytes.equals(Buffer.from(object.ics));
      record('stored', `GET ${object.slug}`, result, health, exact ? null : 'not the stored bytes');
    }
  }
}

function printReport(rssBefore: number, rssAfter: number | null): void {
  const lines = [
    `\nHostile-input benchmark, ${runs} run(s) of each entry, ${new Date().toISOString().slice(0, 10)}, PostgreSQL, all roles`,
    '| phase | entry | status | worst request ms | worst /health ms | as required |',
    '| --- | --- | --- | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.phase} | ${r.name} | ${[...r.statuses].join(', ')} | ${r.worstRequestMs} | ${r.worstHealthMs} | ${
          r.problem === null ? 'yes' : `no: ${r.problem.replace(/\s+/g, ' ').slice(0, 120)}`
        } |`,
    ),
  ];
  const worstRequest = rows.reduce((worst, r) => (r.worstRequestMs > worst.worstRequestMs ? r : worst));
  const worstHealth = rows.reduce((worst, r) => (r.worstHealthMs > worst.worstHealthMs ? r : worst));
  lines.push(
    '',
    `worst request time: ${worstRequest.worstRequestMs} ms (${worstRequest.phase} ${worstRequest.name})`,
    `worst /health delay: ${worstHealth.worstHealthMs} ms (during ${worstHealth.phase} ${worstHealth.name}; bound ${healthBoundMs} ms)`,
    `server RSS: ${Math.round(rssBefore / megabyte)} MB before the corpus, ${
      rssAfter === null ? 'unknown (restarted)' : `${Math.round(rssAfter / megabyte)} MB after`
    }`,
    `entries as required: ${rows.filter((r) => r.problem === null).length} of ${rows.length}`,
    `restarts of a frozen or dead server: ${restarts.length}${restarts.length ? ` (${restarts.join('; ')})` : ''}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const server = await LiveServer.create({ engine: 'postgres', databaseUrl: benchDatabaseUrl });
  const now = new Date();
  try {
    await server.start();
    const [hostile, bystander] = await Promise.all([
      createAccount(server, 1001, 'hostile-laptop'),
      createAccount(server, 1002, 'phone'),
    ]);
    const cookie = await signIn(server, 1001);
    for (const { name, ics } of bystanderEvents(now)) await putObject(server, bystander, name, ics);

    const rssBefore = server.rssBytes();
    await sendCorpus(server, hostile, cookie);
    const rssAfter = restarts.length === 0 ? server.rssBytes() : null;

    // PostgreSQL takes the older version's objects while the server runs; a restart makes the
    // worker meet them at start-up, as after an upgrade.
    await server.stop();
    const handle = await server.openDatabase();
    const stored = await storeHostileObjects(handle.db, 1001, now).finally(() => handle.close());
    await server.start().catch((error: unknown) => {
      restarts.push(`no start over the stored objects: ${String(error).slice(0, 200)}`);
    });
    await readStored(server, hostile, cookie, stored, now);
    printReport(rssBefore, rssAfter);
  } finally {
    await server.dispose();
  }
}

await main();
