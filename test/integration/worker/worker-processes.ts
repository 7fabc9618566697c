import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../support/worker-process.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts `test/support/worker-process.ts` in its own Node process and waits until it says "ready". */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const { DATABASE_URL: _url, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx/esm', script], {
    env: { ...rest, LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
    void exited.then((code) => reject(new Error(`worker process exited with ${code} before it was ready`)));
  });
  return { child, exited };
}

/** SIGTERM (graceful) and wait for the exit. */
export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
  await worker.exited;
}
