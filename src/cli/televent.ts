import { existsSync } from 'node:fs';
import { adminSocketPath, runThroughAdminSocket } from './admin-socket.ts';
import type { CliOutput, CliRuntime, OpenRuntime } from './cli-runtime.ts';
import type { CommandContext } from './program.ts';
import { runCommand } from './run-command.ts';

export const terminalOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs one `televent` command line. A running server on the same database takes the command over
 * its admin socket (on PGlite it owns the data); otherwise the command opens the database itself.
 */
export async function runCli(
  argv: string[],
  runtime: CliRuntime,
  output: CliOutput = terminalOutput,
): Promise<number> {
  const { config } = runtime;
  const isServe = argv[0] === 'serve';
  if (!isServe && argv.length > 0 && !argv.includes('--help') && !argv.includes('-h')) {
    const socket = adminSocketPath(config.DATA_DIR, config.DATABASE_URL);
    if (existsSync(socket)) {
      const exitCode = await runThroughAdminSocket(socket, argv, output);
      if (exitCode !== null) return exitCode;
    }
  }
  let opened: OpenRuntime | undefined;
  const open = async (migrate: boolean) => {
    opened ??= await runtime.open({ migrate });
    return opened;
  };
  const ctx: CommandContext = {
    config,
    cwd: process.cwd(),
    output,
    withServices: async (work) => work((await open(true)).services),
    withDatabase: async (work) => work((await open(false)).databaseAdmin),
    serve: (roles) => runtime.serve(roles),
  };
  try {
    return await runCommand(argv, ctx);
  } finally {
    await opened?.close();
  }
}
