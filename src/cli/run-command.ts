import { CommanderError } from 'commander';
import { isAppError } from '../app/errors.ts';
import { buildProgram, CliFailure, type CommandContext } from './program.ts';

/** Parses and runs one command line; returns the exit code. Errors become one readable line. */
export async function runCommand(args: readonly string[], ctx: CommandContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliFailure) return 1;
    if (isAppError(error)) {
      ctx.output.err(`error: ${error.message}`);
      return 1;
    }
    ctx.output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
