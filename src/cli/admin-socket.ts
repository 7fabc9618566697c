import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { CliOutput } from './cli-runtime.ts';

/**
 * Embedded PGlite is one process's database: while `televent serve` holds it, CLI commands run
 * inside the server, sent over a Unix socket in DATA_DIR (mode 0600, so only the owner can use
 * it). Protocol: one JSON line `{ argv }` in; JSON lines `{ out }` / `{ err }` and a last
 * `{ exitCode }` back.
 */
export type AdminCommandRunner = (argv: string[], output: CliOutput) => Promise<number>;

export function adminSocketPath(dataDir: string): string {
  return `${dataDir.replace(/\/$/, '')}/televent.sock`;
}

export async function startAdminSocket(
  path: string,
  run: AdminCommandRunner,
  logger: Logger,
): Promise<Server> {
  // A socket file left by a crashed server would block listen(); the caller checked none answers.
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    const lines = createInterface({ input: socket });
    lines.once('line', (line) => {
      lines.close();
      const send = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
      let argv: string[];
      try {
        const parsed: unknown = JSON.parse(line);
        const candidate = (parsed as { argv?: unknown }).argv;
        if (!Array.isArray(candidate) || !candidate.every((a) => typeof a === 'string'))
          throw new Error('bad argv');
        argv = candidate;
      } catch {
        send({ err: 'error: malformed admin request' });
        socket.end(`${JSON.stringify({ exitCode: 2 })}\n`);
        return;
      }
      if (argv[0] === 'serve') {
        send({ err: 'error: the server is already running' });
        socket.end(`${JSON.stringify({ exitCode: 1 })}\n`);
        return;
      }
      logger.info({ command: argv.slice(0, 2).join(' ') }, 'admin command');
      run(argv, { out: (text) => send({ out: text }), err: (text) => send({ err: text }) })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'admin command failed');
          return 1;
        })
        .then((exitCode) => socket.end(`${JSON.stringify({ exitCode })}\n`));
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
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
      socket.write(`${JSON.stringify({ argv })}\n`);
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
