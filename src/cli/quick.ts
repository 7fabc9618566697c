import { existsSync } from 'node:fs';
import { CommanderError } from 'commander';
import type { Config } from '../config.ts';
import { adminSocketPath, runThroughAdminSocket } from './admin-socket.ts';
import type { CliOutput } from './cli-runtime.ts';
import { buildProgram, type CommandContext } from './program.ts';
import { terminalOutput } from './televent.ts';

/** Thrown by the probe context: the command line parsed and its action needs the database. */
class NeedsRuntime extends Error {}

function needsRuntime(): never {
  throw new NeedsRuntime('the command needs the database');
}

/** A context whose every door to the database stops the parse: commander has done its part. */
const probeContext = (output: CliOutput): CommandContext => ({
  get config(): never {
    return needsRuntime();
  },
  cwd: process.cwd(),
  output,
  withServices: async () => needsRuntime(),
  withDatabase: async () => needsRuntime(),
  serve: async () => needsRuntime(),
});

/**
 * The CLI's fast path, run before the composition root (src/main.ts) is even loaded: help,
 * `--version` and command-line mistakes are answered by commander alone, and a command a running
 * server can run goes over its admin socket. Returns the exit code, or undefined when the command
 * needs the server's code in this process (`serve`, or no server running on this database).
 */
export async function answerQuickly(
  argv: readonly string[],
  output: CliOutput = terminalOutput,
): Promise<number | undefined> {
  try {
    await buildProgram(probeContext(output)).parseAsync([...argv], { from: 'user' });
    return 0; // a command group without a sub-command printed its help
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (!(error instanceof NeedsRuntime)) throw error;
  }
  if (argv[0] === 'serve') return undefined;
  // The configuration (and zod with it) is loaded only once a command needs a database.
  const { ConfigError, loadConfig } = await import('../config.ts');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return undefined; // main.ts reports it, naming the variable
    throw error;
  }
  const socket = adminSocketPath(config.DATA_DIR, config.DATABASE_URL);
  if (!existsSync(socket)) return undefined;
  return (await runThroughAdminSocket(socket, [...argv], output)) ?? undefined;
}
