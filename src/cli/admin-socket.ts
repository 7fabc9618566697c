import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { CliOutput } from './cli-runtime.ts';

/**
 * While `televent serve` runs, CLI commands run inside it, sent over a Unix socket (mode 0600 in
 * a private folder, so only the owner can use it): embedded PGlite is one process's database, and
 * on PostgreSQL it spares each command loading the server's code and opening a pool (a command
 * answers in about a second instead of several). Protocol: one JSON line `{ argv, cwd }` in (the
 * caller's folder, against which file names such as `backup FILE` are resolved); JSON lines
 * `{ out }` / `{ err }` and a last `{ exitCode }` back.
 */
export type AdminCommandRunner = (argv: string[], output: CliOutput, cwd: string) => Promise<number>;

/**
 * PGlite: `DATA_DIR/televent.sock`, next to the database it guards. PostgreSQL: one socket per
 * DATABASE_URL (a hash of it, search_path options included) in the user's private folder under
 * the system's temporary folder, so every command with the same DATABASE_URL on this machine
 * finds the server, whatever its DATA_DIR.
 */
export function adminSocketPath(dataDir: string, databaseUrl?: string): string {
  if (!databaseUrl) return `${dataDir.replace(/\/$/, '')}/televent.sock`;
  const key = createHash('sha256').update(databaseUrl).digest('hex').slice(0, 20);
  return `${tmpdir()}/televent-${process.getuid?.() ?? 'user'}/${key}.sock`;
}

/** Makes the socket's folder if need be; false when it is not ours alone (then no socket). */
function privateFolder(path: string): boolean {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = statSync(folder);
  return (stat.mode & 0o077) === 0 && (process.getuid === undefined || stat.uid === process.getuid());
}

/**
 * Commands a running server never runs for the admin socket: a second server, and undoing
 * migrations under the server's feet (it would keep serving from dropped tables).
 */
export function refusedWhileServing(argv: readonly string[]): string | undefined {
  if (argv[0] === 'serve') return 'the server is already running';
  if (argv[0] === 'restore') {
    return 'a Televent server is running on this database; stop it before `restore`, which replaces everything under it (nothing changed)';
  }
  if (argv[0] === 'migrate' && argv[1] === 'down') {
    return 'a Televent server is running on this database; stop it before `migrate down` (nothing changed)';
  }
  return undefined;
}

/**
 * Listens on `path`; undefined when another server already answers there (several processes on
 * one PostgreSQL database: the first one takes the commands) or the folder is not private.
 */
export async function startAdminSocket(
  path: string,
  run: AdminCommandRunner,
  logger: Logger,
): Promise<Server | undefined> {
  if (!privateFolder(path)) {
    logger.warn({ folder: dirname(path) }, 'admin socket not started: its folder is open to other users');
    return undefined;
  }
  const server = createServer((socket) => {
    const lines = createInterface({ input: socket });
    lines.once('line', (line) => {
      lines.close();
      const send = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
      let argv: string[];
      let cwd: string;
      try {
        const parsed = JSON.parse(line) as { argv?: unknown; cwd?: unknown };
        const candidate = parsed.argv;
        if (!Array.isArray(candidate) || !candidate.every((a) => typeof a === 'string'))
          throw new Error('bad argv');
        if (parsed.cwd !== undefined && (typeof parsed.cwd !== 'string' || !isAbsolute(parsed.cwd)))
          throw new Error('bad cwd');
        argv = candidate;
        cwd = parsed.cwd ?? process.cwd();
      } catch {
        send({ err: 'error: malformed admin request' });
        socket.end(`${JSON.stringify({ exitCode: 2 })}\n`);
        return;
      }
      const refusal = refusedWhileServing(argv);
      if (refusal) {
        send({ err: `error: ${refusal}` });
        socket.end(`${JSON.stringify({ exitCode: 1 })}\n`);
        return;
      }
      logger.info({ command: argv.slice(0, 2).join(' ') }, 'admin command');
      run(argv, { out: (text) => send({ out: text }), err: (text) => send({ err: text }) }, cwd)
        .catch((error: unknown) => {
          logger.error({ err: error }, 'admin command failed');
          return 1;
        })
        .then((exitCode) => socket.end(`${JSON.stringify({ exitCode })}\n`));
    });
    socket.on('error', () => socket.destroy());
  });
  // Listen first and never remove a socket someone answers on: processes starting together on one
  // PostgreSQL database each find the path taken by the first, instead of unlinking its socket.
  if (!(await listenOn(server, path))) {
    if ((await runThroughAdminSocket(path, ['--version'], { out() {}, err() {} })) !== null) return undefined;
    // A socket file left by a crashed server: nobody answers on it.
    rmSync(path, { force: true });
    if (!(await listenOn(server, path))) return undefined; // another process took it meanwhile
  }
  chmodSync(path, 0o600);
  return server;
}

/** Listens on the socket path; false when a file is already there (EADDRINUSE). */
function listenOn(server: Server, path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    };
    server.once('error', failed);
    server.listen(path, () => {
      server.off('error', failed);
      resolve(true);
    });
  });
}

/** Runs `argv` in the running server; null when no server answers on the socket. */
export async function runThroughAdminSocket(
  path: string,
  argv: string[],
  output: CliOutput,
): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let connected = false;
    let exitCode: number | null = null;
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ argv, cwd: process.cwd() })}\n`);
      createInterface({ input: socket }).on('line', (line) => {
        const message = JSON.parse(line) as { out?: string; err?: string; exitCode?: number };
        if (message.out !== undefined) output.out(message.out);
        if (message.err !== undefined) output.err(message.err);
        if (message.exitCode !== undefined) exitCode = message.exitCode;
      });
    });
    socket.once('error', () => resolve(connected ? 1 : null));
    socket.once('close', () => resolve(connected ? (exitCode ?? 1) : null));
  });
}
