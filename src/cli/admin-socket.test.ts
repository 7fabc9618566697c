import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { runThroughAdminSocket, startAdminSocket } from './admin-socket.ts';

const quiet = { out() {}, err() {} };

describe('the admin socket', () => {
  const folders: string[] = [];
  const servers: Server[] = [];
  const socketIn = () => {
    const folder = mkdtempSync(join(tmpdir(), 'televent-admin-'));
    folders.push(folder);
    return join(folder, 'televent.sock');
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('is taken by one of several servers starting at once, and the others leave it answering', async () => {
    const path = socketIn();
    const answeredBy: number[] = [];
    const started = await Promise.all(
      [1, 2, 3].map((n) =>
        startAdminSocket(
          path,
          async (argv, output) => {
            if (argv[0] === 'which') output.out(String(n));
            return 0;
          },
          createLogger('silent'),
        ),
      ),
    );
    const listening = started.filter((server): server is Server => server !== undefined);
    servers.push(...listening);
    expect(listening).toHaveLength(1);
    const code = await runThroughAdminSocket(path, ['which'], {
      out: (line) => answeredBy.push(Number(line)),
      err() {},
    });
    expect(code).toBe(0);
    expect(answeredBy).toHaveLength(1);
  });

  it('takes over a socket file that nobody answers on (a crashed server left it)', async () => {
    const path = socketIn();
    // A process that listens there and is killed: its socket file stays, with nobody behind it.
    const crash = spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(crash.signal).toBe('SIGKILL');
    expect(existsSync(path)).toBe(true);
    expect(await runThroughAdminSocket(path, ['--version'], quiet)).toBeNull();
    const server = await startAdminSocket(path, async () => 0, createLogger('silent'));
    expect(server).toBeDefined();
    if (server) servers.push(server);
    expect(await runThroughAdminSocket(path, ['--version'], quiet)).toBe(0);
  });
});
