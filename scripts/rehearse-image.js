#!/usr/bin/env node
// `node scripts/rehearse-image.js`: the Dockerfile's runtime stage, step by step, without a container
// engine (CI has none). It reads the Dockerfile itself, so the rehearsal cannot drift from it:
// WORKDIR becomes a fresh folder, COPY copies from this checkout, ENV sets the environment, RUN runs
// the production install there, USER switches to an unprivileged account, and then the image's CMD
// is started and judged by the image's own HEALTHCHECK, followed by CLI commands through it.
// `COPY --from=web` takes web/dist from this checkout: that stage is `npm ci && npm run build:web`,
// which the gate has just run. Run as root it also checks that the server does not run as root.
// With TEST_DATABASE_URL set, it rehearses the PostgreSQL case too: `migrate up`, start, health, CLI.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const checkout = fileURLToPath(new URL('..', import.meta.url));

/** The Dockerfile as stages of [instruction, argument] pairs, continuation lines joined. */
function readDockerfile() {
  const text = readFileSync(join(checkout, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [, instruction, argument] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!instruction) throw new Error(`Dockerfile: cannot read "${line}"`);
    if (instruction.toUpperCase() === 'FROM') stages.push({ from: argument, steps: [] });
    else stages.at(-1).steps.push([instruction.toUpperCase(), argument]);
  }
  return stages;
}

/** `KEY=value KEY2=value2` (the only ENV form the Dockerfile uses). */
function envPairs(argument) {
  return Object.fromEntries(
    argument.split(/\s+/).map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`Dockerfile ENV: write KEY=value, not "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

function execForm(argument) {
  const parsed = JSON.parse(argument);
  if (!Array.isArray(parsed)) throw new Error(`expected a JSON array, not ${argument}`);
  return parsed;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;
/** Dockerfile users map to one unprivileged account of this machine (the image's `node`). */
const runAs = asRoot
  ? ['-u', '-g'].map((flag) => spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim())
  : [process.getuid(), process.getgid()].map(String);

function wrap(command, args, user) {
  if (user && asRoot)
    return ['setpriv', ['--reuid', runAs[0], '--regid', runAs[1], '--clear-groups', command, ...args]];
  return [command, args];
}

function runStep(command, args, { cwd, env, user }) {
  const [c, a] = wrap(command, args, user);
  const result = spawnSync(c, a, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`step failed (${result.status}): ${command} ${args.join(' ')}`);
}

function capture(command, args, { cwd, env, user }) {
  const [c, a] = wrap(command, args, user);
  const result = spawnSync(c, a, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `failed (${result.status}): ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout.trim();
}

/** Builds the runtime stage into a folder; returns what starting its CMD needs. */
function buildRuntimeStage(stage, root) {
  let workdir = root;
  let env = { PATH: process.env.PATH, HOME: root };
  let user = null;
  const image = { healthcheck: null, cmd: null, volumes: [] };
  for (const [instruction, argument] of stage.steps) {
    if (instruction === 'WORKDIR') {
      workdir = join(root, argument);
      mkdirSync(workdir, { recursive: true });
    } else if (instruction === 'ENV') {
      env = { ...env, ...envPairs(argument) };
    } else if (instruction === 'COPY') {
      const parts = argument.split(/\s+/);
      const from = parts[0].startsWith('--from=') ? parts.shift() : null;
      const destination = join(workdir, parts.pop());
      for (const source of parts) {
        const target =
          parts.length > 1 || destination.endsWith('/') ? join(destination, source) : destination;
        if (from && source !== '/app/web/dist') throw new Error(`COPY ${from} ${source}: not rehearsed`);
        cpSync(from ? join(checkout, 'web/dist') : join(checkout, source), target, { recursive: true });
      }
    } else if (instruction === 'RUN') {
      // Paths inside the image (/data) live under the rehearsal folder, owned by the account above.
      const command = argument
        .replaceAll(' /data', ` ${join(root, 'data')}`)
        .replaceAll('chown node:node', `chown ${runAs.join(':')}`);
      console.log(`RUN ${argument}`);
      runStep('bash', ['-c', command], {
        cwd: workdir,
        env: { ...env, npm_config_cache: join(root, '.npm') },
        user,
      });
    } else if (instruction === 'USER') {
      user = argument;
    } else if (instruction === 'VOLUME') {
      image.volumes.push(argument);
    } else if (instruction === 'HEALTHCHECK') {
      // The shell form, as Docker runs it.
      image.healthcheck = ['sh', '-c', argument.replace(/^.*?CMD\s+/, '')];
    } else if (instruction === 'CMD') {
      image.cmd = execForm(argument);
    } else if (instruction !== 'EXPOSE') {
      throw new Error(`Dockerfile ${instruction}: not rehearsed`);
    }
  }
  return { workdir, env, user, image };
}

async function waitForHealthy(healthcheck, options, server) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null)
      throw new Error(`the server exited with ${server.exitCode} before it was healthy`);
    const result = spawnSync(...wrap(healthcheck[0], healthcheck.slice(1), options.user), {
      env: options.env,
    });
    if (result.status === 0) return;
    if (Date.now() > deadline) throw new Error('HEALTHCHECK did not pass within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts the image's CMD, waits for its HEALTHCHECK, runs CLI commands through it, stops it. */
async function startAndProbe(built, label, extraEnv) {
  const port = await freePort();
  const dataDir = join(built.workdir, '..', 'data');
  const env = { ...built.env, ...extraEnv, API_HOST: '127.0.0.1', API_PORT: String(port), DATA_DIR: dataDir };
  env.HOME = dataDir;
  // The image's HEALTHCHECK asks port 3000; the rehearsal's server listens on a free port.
  const healthcheck = built.image.healthcheck.map((part) => part.replace(':3000/', `:${port}/`));
  const options = { cwd: built.workdir, env, user: built.user };
  const started = performance.now();
  const [c, a] = wrap(built.image.cmd[0], built.image.cmd.slice(1), built.user);
  const server = spawn(c, a, { cwd: built.workdir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForHealthy(healthcheck, options, server);
    console.log(
      `${label}: healthy after ${Math.round(performance.now() - started)} ms (the image's HEALTHCHECK)`,
    );
    if (asRoot) {
      const uid = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1];
      if (uid === '0') throw new Error('the server runs as root');
      console.log(`${label}: the server runs as uid ${uid}, not root`);
    }
    const cli = (...args) => capture(built.image.cmd[0], [built.image.cmd[1], ...args], options);
    console.log(`${label}: televent --version → ${cli('--version')}`);
    console.log(`${label}: ${cli('user', 'create', '--telegram-id', '4242', '--timezone', 'Europe/Berlin')}`);
    const stats = cli('stats');
    if (!/users\s+1\b/.test(stats)) throw new Error(`stats does not count the user:\n${stats}`);
    console.log(`${label}: televent stats → ${stats.split('\n')[0]}`);
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
  }
  if (server.exitCode !== 0 && server.signalCode === null) {
    throw new Error(`${label}: the server exited with ${server.exitCode} on SIGTERM`);
  }
  console.log(`${label}: stopped cleanly on SIGTERM`);
}

function checkProductionInstall(workdir) {
  const present = ['vitest', 'vite', '@biomejs/biome', 'typescript'].filter((name) =>
    existsSync(join(workdir, 'node_modules', name)),
  );
  if (present.length > 0) throw new Error(`development packages in the image: ${present.join(', ')}`);
  if (existsSync(join(workdir, 'test'))) throw new Error('the tests were copied into the image');
  if (!existsSync(join(workdir, 'dist'))) throw new Error('no ahead-of-time build (dist/) in the image');
  console.log('image: production dependencies only, no tests, dist/ built at install');
}

const stages = readDockerfile();
const runtime = stages.at(-1);
const root = mkdtempSync(join(tmpdir(), 'televent-image-'));
chmodSync(root, 0o755);
try {
  console.log(`rehearsing the Dockerfile's runtime stage (FROM ${runtime.from}) in ${root}`);
  const built = buildRuntimeStage(runtime, root);
  checkProductionInstall(built.workdir);
  await startAndProbe(built, 'PGlite (no DATABASE_URL)', {});

  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const database = 'televent_image_rehearsal';
    const url = new URL(adminUrl);
    const psql = (sql) =>
      capture('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { env: process.env });
    psql(`DROP DATABASE IF EXISTS ${database}`);
    psql(`CREATE DATABASE ${database}`);
    url.pathname = `/${database}`;
    try {
      const pg = { ...built, env: { ...built.env, DATABASE_URL: url.toString() } };
      const cli = (...args) =>
        capture(built.image.cmd[0], [built.image.cmd[1], ...args], {
          cwd: built.workdir,
          env: { ...pg.env, DATA_DIR: join(root, 'data') },
          user: built.user,
        });
      console.log(
        `PostgreSQL: televent migrate up → ${cli('migrate', 'up').split('\n').length} migrations applied`,
      );
      await startAndProbe(pg, 'PostgreSQL', {});
    } finally {
      psql(`DROP DATABASE IF EXISTS ${database}`);
    }
  } else {
    console.log('PostgreSQL: TEST_DATABASE_URL is not set, so the image was rehearsed on PGlite only.');
  }
  console.log('image rehearsal: passed');
} finally {
  rmSync(root, { recursive: true, force: true });
}
