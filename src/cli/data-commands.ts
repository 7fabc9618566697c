import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { MoveTarget, TransferReport } from './cli-runtime.ts';
import type { CommandContext } from './program.ts';

/** `--to`: a PostgreSQL URL, or a folder (relative to the caller) for a new embedded database. */
function moveTarget(cwd: string) {
  return (value: string): MoveTarget => {
    if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      throw new InvalidArgumentError('give a postgres:// URL, or a folder for a new embedded database');
    }
    return { kind: 'pglite', dataDir: resolve(cwd, value) };
  };
}

/** The table of counts and checksums each of these commands prints, then one summary line. */
function tallyLines(report: TransferReport): string[] {
  const rows = report.tables.reduce((sum, t) => sum + t.rows, 0);
  return [
    `${'table'.padEnd(24)} ${'rows'.padStart(9)}  sha256`,
    ...report.tables.map((t) => `${t.table.padEnd(24)} ${String(t.rows).padStart(9)}  ${t.sha256}`),
    `${report.tables.length} tables, ${rows} rows, snapshot of ${report.takenAt}, migration ${report.migration}`,
  ];
}

/** `televent data move`, `televent backup` and `televent restore`. */
export function addDataCommands(program: Command, ctx: CommandContext): void {
  const { output } = ctx;

  program
    .command('data')
    .description('move all data to another database: data move --to <target>')
    .command('move')
    .description(
      'copy every table, as of one snapshot, into an empty PostgreSQL database (or a new embedded one), ' +
        'migrating it to the same schema first, and verify row counts and checksums before committing; ' +
        'calendar apps keep syncing from where they were',
    )
    .requiredOption(
      '--to <target>',
      'postgres://user:password@host:5432/database, or a folder for a new embedded database',
      moveTarget(ctx.cwd),
    )
    .action((options: { to: MoveTarget }) =>
      ctx.withDatabase(async (database) => {
        const report = await database.moveData(options.to);
        for (const line of tallyLines(report)) output.out(line);
        output.out('moved: every table has the same row count and checksum on both sides.');
        output.out(
          options.to.kind === 'postgres'
            ? 'Next: with Televent stopped, set DATABASE_URL to the target and start it; changes made after the snapshot are not in the target.'
            : `Next: with Televent stopped, unset DATABASE_URL, set DATA_DIR=${options.to.dataDir} and start it; changes made after the snapshot are not in the target.`,
        );
      }),
    );

  program
    .command('backup')
    .summary('write a consistent snapshot of the database to a file, while the server runs or not')
    .description(
      'write a consistent snapshot of every table to FILE (gzip’d JSON lines, owner-only), ' +
        'while the server runs or not; prints each table’s row count and checksum',
    )
    .argument(
      '<file>',
      'where to write the backup, e.g. televent-2026-12-03.jsonl.gz (replaced once complete)',
    )
    .action((file: string) =>
      ctx.withDatabase(async (database) => {
        const path = resolve(ctx.cwd, file);
        const report = await database.backup(path);
        for (const line of tallyLines(report)) output.out(line);
        output.out(`backed up to ${path}`);
      }),
    );

  program
    .command('restore')
    .summary('load a backup into this database (an empty one, or any with --force)')
    .description(
      'load a backup written by `televent backup` into this database in one transaction, checking the ' +
        'migration and every table’s checksum; refuses a database that holds data unless --force, and ' +
        'refuses while a server runs on it',
    )
    .argument('<file>', 'the backup file')
    .option('--force', 'delete every row of every table first (in the same transaction), then restore')
    .action((file: string, options: { force?: boolean }) =>
      ctx.withDatabase(async (database) => {
        const path = resolve(ctx.cwd, file);
        const report = await database.restore(path, { replace: options.force === true });
        for (const line of tallyLines(report)) output.out(line);
        output.out(`restored from ${path} (written by Televent ${report.televentVersion})`);
      }),
    );
}
