import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createDatabase, type DatabaseEngine, type DatabaseHandle } from '../../src/storage/database.ts';
import { type CliResult, freePort, runTelevent, televentBin } from '../support/run-televent.ts';
import { logMarker } from './ical-text.ts';

// `televent serve` as its own process, the way an operator runs it, on a database of its own:
// a temporary DATA_DIR (PGlite) or a fresh schema (PostgreSQL). The harness can restart it when
// a hostile input froze or killed it, so one failure does not take every later test with it.

export interface LiveServerOptions {
  engine: DatabaseEngine;
  /** PostgreSQL: the server works in a fresh schema of this database. */
  databaseUrl?: string | undefined;
  /** PGlite: a migrated data directory (tar, as vitest's global setup makes) to start from. */
  pgliteSnapshot?: string | undefined;
  /** Extra `televent serve` arguments; none runs every role, as `npm start` does. */
  serveArgs?: string[];
}

/** The caller's settings that must not reach the server: it runs on the defaults, as `npm start`. */
const foreignVariables = [
  'DATABASE_URL',
  'TEST_DATABASE_URL',
  'BENCH_DATABASE_URL',
  'DATA_DIR',
  'PUBLIC_URL',
  'TELEGRAM_BOT_TOKEN',
  'SMTP_URL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'API_HOST',
  'REMINDER_HORIZON_DAYS',
  'REMINDER_GRACE_MINUTES',
  'TRUST_PROXY',
];

const logTailBytes = 16_384;

export class LiveServer {
  readonly engine: DatabaseEngine;
  readonly baseUrl: string;
  /** How often the harness had to kill and start the server again. */
  restarts = 0;
  /** Bytes the server wrote to stdout/stderr (its log) so far. */
  logBytes = 0;
  /** The first log line that showed hostile calendar text, if any. */
  leakedLine: string | null = null;
  /** Why the last start failed; the harness then leaves the server down instead of retrying. */
  startFailure: string | null = null;
  readonly #port: number;
  readonly #databaseEnv: Record<string, string>;
  readonly #serveArgs: string[];
  readonly #cleanup: () => Promise<void>;
  readonly #directDatabase: () => Promise<DatabaseHandle>;
  #child: ChildProcess | undefined;
  #stoppedOnPurpose = false;
  #logTail = '';

  private constructor(init: {
    engine: DatabaseEngine;
    port: number;
    databaseEnv: Record<string, string>;
    serveArgs: string[];
    cleanup: () => Promise<void>;
    directDatabase: () => Promise<DatabaseHandle>;
  }) {
    this.engine = init.engine;
    this.#port = init.port;
    this.baseUrl = `http://127.0.0.1:${init.port}`;
    this.#databaseEnv = init.databaseEnv;
    this.#serveArgs = init.serveArgs;
    this.#cleanup = init.cleanup;
    this.#directDatabase = init.directDatabase;
  }

  /** Prepares the database (not started yet). */
  static async create(options: LiveServerOptions): Promise<LiveServer> {
    const port = await freePort();
    const serveArgs = options.serveArgs ?? [];
    if (options.engine === 'postgres') {
      const url = options.databaseUrl;
      if (!url) throw new Error('the PostgreSQL run needs a database URL (TEST_DATABASE_URL)');
      const schema = `hostile_${randomBytes(5).toString('hex')}`;
      await adminQuery(url, `create schema ${schema}`);
      const serverUrl = new URL(url);
      serverUrl.searchParams.set('options', `-c search_path=${schema}`);
      return new LiveServer({
        engine: 'postgres',
        port,
        serveArgs,
        databaseEnv: { DATABASE_URL: serverUrl.toString() },
        cleanup: () => adminQuery(url, `drop schema if exists ${schema} cascade`),
        directDatabase: () => createDatabase({ databaseUrl: url, searchPath: schema, poolSize: 2 }),
      });
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'televent-hostile-'));
    if (options.pgliteSnapshot) {
      // Loading a migrated snapshot takes a second; initdb and migrations take many.
      mkdirSync(join(dataDir, 'pgdata'));
      const pglite = await PGlite.create(join(dataDir, 'pgdata'), {
        loadDataDir: new Blob([readFileSync(options.pgliteSnapshot)]),
      });
      await pglite.close();
    }
    return new LiveServer({
      engine: 'pglite',
      port,
      serveArgs,
      databaseEnv: { DATA_DIR: dataDir },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      directDatabase: () => createDatabase({ dataDir }),
    });
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The last lines the server wrote, for failure messages. */
  logTail(): string {
    return this.#logTail;
  }

  /**
   * Starts `televent serve` and resolves once its start-up banner is complete. A server that
   * does not get there in `timeoutMs` is killed, and stays down: `startFailure` says why.
   */
  async start(timeoutMs = 60_000): Promise<void> {
    this.#stoppedOnPurpose = false;
    this.startFailure = null;
    this.#logTail = '';
    const child = spawn(process.execPath, [televentBin, 'serve', ...this.#serveArgs], {
      // LOG_LEVEL info is the production default: the log is part of what is judged.
      env: { ...this.#env(), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let carry = '';
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      this.logBytes += chunk.length;
      this.#logTail = (this.#logTail + text).slice(-logTailBytes);
      // The marker may straddle two chunks: search the joint too.
      const window = carry + text;
      const found = window.indexOf(logMarker);
      if (found >= 0 && this.leakedLine === null)
        this.leakedLine = window.slice(Math.max(0, found - 300), found + 100);
      carry = window.slice(-logMarker.length);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    try {
      await bannerPrinted(child, timeoutMs);
    } catch (error) {
      await this.kill();
      const reason = error instanceof Error ? error.message : String(error);
      this.startFailure = `${reason}; the log ended with:\n${this.#logTail.slice(-3_000)}`;
      throw new Error(this.startFailure);
    }
  }

  /** SIGTERM and wait; SIGKILL if it has not exited within `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 20_000): Promise<number | null> {
    this.#stoppedOnPurpose = true;
    const child = this.#child;
    if (!child || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /** Kills a server that froze (only this harness's own child, by its handle). */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * Before each test: a server that died, or does not answer /health within 3 s, is killed and
   * started again (counted in `restarts`). Returns why it had to, or null when it was fine (or
   * was stopped on purpose).
   */
  async reviveIfUnresponsive(): Promise<string | null> {
    if (this.#stoppedOnPurpose || this.startFailure !== null) return null;
    let reason: string | null = null;
    if (!this.running) {
      reason = `the server had exited (${this.#child?.exitCode ?? this.#child?.signalCode})`;
    } else {
      try {
        const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(3_000) });
        await response.arrayBuffer();
        if (response.status !== 200) reason = `/health answered ${response.status}`;
      } catch (error) {
        reason = `/health did not answer (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    if (reason === null) return null;
    await this.kill();
    this.restarts++;
    await this.start();
    return reason;
  }

  /** Resident memory of the server process (VmRSS, proc(5)), in bytes. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    if (kilobytes === undefined) throw new Error(`no VmRSS for ${this.pid}`);
    return Number(kilobytes) * 1024;
  }

  /** `televent <args>` against this server's database (through its admin socket on PGlite). */
  cli(args: string[]): Promise<CliResult> {
    return runTelevent(args, { ...this.#databaseEnv, API_PORT: String(this.#port) });
  }

  /** The database itself, for direct reads and writes; PGlite only while the server is stopped. */
  async openDatabase(): Promise<DatabaseHandle> {
    if (this.engine === 'pglite' && this.running) throw new Error('PGlite is the running server’s alone');
    return this.#directDatabase();
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.#cleanup();
  }

  #env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of foreignVariables) delete env[name];
    return { ...env, ...this.#databaseEnv, API_PORT: String(this.#port) };
  }
}

/** Resolves when stdout shows the whole start-up banner (its last line names `televent login-link`). */
function bannerPrinted(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const check = (chunk: Buffer) => {
      // Log lines may come first; only the tail can still complete the banner.
      seen = (seen + chunk.toString()).slice(-65_536);
      if (seen.includes('Televent is running') && seen.includes('televent login-link')) done();
    };
    const onExit = (code: number | null) => done(new Error(`the server exited with ${code} while starting`));
    const timer = setTimeout(
      () => done(new Error(`the server printed no start-up banner in ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout?.on('data', check);
    child.once('exit', onExit);
  });
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
