// `npm run bench:startup -- [--runs 5]`: what a new user and an operator wait for, in the default
// `npm start` configuration (every role; no bot token, so the bot is off):
// - the first start on embedded PGlite (a new DATA_DIR: the template is copied, migrations run)
//   and later starts on the same folder, each to the first healthy /health;
// - the same later starts on PostgreSQL (a fresh schema, migrated by the first start);
// - `televent --help` and `--version`, and `televent user list` / `stats` answered by a running
//   server over its admin socket, each as a whole process from spawn to exit;
// - the server's RSS once idle after its start.
// Prints min–max and median of `--runs` runs each.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, televentBin } from '../test/support/run-televent.ts';
import { openBenchDatabase } from './support/bench-database.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const {
    DATABASE_URL: _a,
    TEST_DATABASE_URL: _b,
    DATA_DIR: _c,
    TELEGRAM_BOT_TOKEN: _d,
    ...rest
  } = process.env;
  return { ...rest, ...extra };
}

/** Starts `televent serve`, waits for a healthy /health; returns the ms it took and how to stop it. */
async function startToHealthy(env: Record<string, string>) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [televentBin, 'serve'], {
    env: cleanEnv({ ...env, API_PORT: String(port) }),
    stdio: 'ignore',
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`televent serve exited with ${child.exitCode}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await sleep(20);
  }
  const ms = performance.now() - started;
  return {
    ms,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function timedCli(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [televentBin, ...args], {
    env: cleanEnv(env),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`televent ${args.join(' ')}: ${result.stderr}`);
  return performance.now() - started;
}

function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function summary(name: string, ms: number[], unit = 'ms'): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const fmt = (v: number) => (unit === 'ms' ? `${Math.round(v)} ms` : `${v} ${unit}`);
  return `${name.padEnd(52)} ${fmt(sorted[0] ?? 0)} – ${fmt(sorted.at(-1) ?? 0)} (median ${fmt(median)}, ${ms.length} runs)`;
}

/** `fresh`: makes the next start a first one (PGlite: a new folder); absent, every start is a later one. */
async function startsOn(label: string, env: Record<string, string>, fresh?: () => void) {
  const first: number[] = [];
  const later: number[] = [];
  const rss: number[] = [];
  const cli: Record<string, number[]> = { 'user list': [], stats: [] };
  if (!fresh) await (await startToHealthy(env)).stop(); // migrations applied once, as after an install
  for (let run = 0; run < runs; run++) {
    if (fresh) {
      fresh();
      const server = await startToHealthy(env);
      first.push(server.ms);
      await server.stop();
    }
    const again = await startToHealthy(env);
    later.push(again.ms);
    await sleep(3_000);
    rss.push(rssMb(again.pid));
    cli['user list']?.push(timedCli(['user', 'list'], env));
    cli.stats?.push(timedCli(['stats'], env));
    await again.stop();
  }
  if (fresh) process.stdout.write(`${summary(`${label}: first start to a healthy /health`, first)}\n`);
  process.stdout.write(`${summary(`${label}: later start to a healthy /health`, later)}\n`);
  process.stdout.write(`${summary(`${label}: RSS idle 3 s after a later start`, rss, 'MB')}\n`);
  for (const [command, ms] of Object.entries(cli)) {
    process.stdout.write(`${summary(`${label}: televent ${command} through the server`, ms)}\n`);
  }
}

async function main() {
  const help: number[] = [];
  const version: number[] = [];
  for (let run = 0; run < runs; run++) {
    help.push(timedCli(['--help'], {}));
    version.push(timedCli(['--version'], {}));
  }
  process.stdout.write(`${summary('televent --help', help)}\n${summary('televent --version', version)}\n`);

  const dataDir = mkdtempSync(join(tmpdir(), 'televent-startup-'));
  try {
    await startsOn('PGlite', { DATA_DIR: dataDir }, () => rmSync(dataDir, { recursive: true, force: true }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  // PostgreSQL: a fresh schema of its own; DATA_DIR only holds nothing (the admin socket is in /tmp).
  const database = await openBenchDatabase();
  const socketDir = mkdtempSync(join(tmpdir(), 'televent-startup-pg-'));
  try {
    await startsOn('PostgreSQL', { DATABASE_URL: database.url, DATA_DIR: socketDir });
  } finally {
    await database.drop();
    rmSync(socketDir, { recursive: true, force: true });
  }
}

await main();
