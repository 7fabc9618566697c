import { Command, InvalidArgumentError, Option } from 'commander';
import { maxUserPage } from '../app/operator-limits.ts';
import type { OperatorStatsView } from '../app/operator-stats.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import { packageVersion } from '../package-root.ts';
import { publicBaseUrl } from '../public-url.ts';
import { type CliOutput, type DatabaseAdmin, type ServerRole, serverRoles } from './cli-runtime.ts';
import { addDataCommands } from './data-commands.ts';

/** How a parsed command reaches the database: directly, or inside the running server. */
export interface CommandContext {
  readonly config: Config;
  /** The caller's folder: relative file names are theirs, even when the running server runs the command. */
  readonly cwd: string;
  readonly output: CliOutput;
  withServices<T>(work: (services: AppServices) => Promise<T>): Promise<T>;
  withDatabase<T>(work: (database: DatabaseAdmin) => Promise<T>): Promise<T>;
  serve(roles: readonly ServerRole[]): Promise<void>;
}

function telegramId(value: string): number {
  const id = Number(value);
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError('a Telegram id is a positive whole number, e.g. 1001');
  }
  return id;
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d{1,9}$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function roleList(value: string): ServerRole[] {
  const roles = value.split(',').map((r) => r.trim());
  for (const role of roles) {
    if (!(serverRoles as readonly string[]).includes(role)) {
      throw new InvalidArgumentError(`unknown role "${role}"; roles are ${serverRoles.join(', ')}`);
    }
  }
  return roles as ServerRole[];
}

function formatDate(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').slice(0, 16) : 'never';
}

function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/** `televent stats` as lines of `name  value`, counts grouped under their heading. */
function statsLines(stats: OperatorStatsView, engine: string): string[] {
  const lines = [
    `users       ${stats.users}`,
    `groups      ${stats.groups}`,
    `calendars   ${stats.calendars}`,
    `devices     ${stats.devices}`,
    'objects by component:',
    ...(stats.objectsByComponent.length === 0
      ? ['  none']
      : stats.objectsByComponent.map((o) => `  ${o.component.padEnd(10)} ${o.count}`)),
    'pending jobs by kind (waiting or running):',
    ...(stats.pendingJobsByKind.length === 0
      ? ['  none']
      : stats.pendingJobsByKind.map((j) => `  ${j.kind.padEnd(22)} ${j.count}`)),
    `oldest due job      ${stats.oldestDueJobWaitSeconds === null ? 'none waiting' : `waiting ${formatAge(stats.oldestDueJobWaitSeconds)}`}`,
    `database    ${engine}${stats.databaseBytes === null ? '' : `, ${formatBytes(stats.databaseBytes)}`}`,
  ];
  return lines;
}

/** The `televent` command. Actions write through `ctx.output`, so the admin socket can relay them. */
export function buildProgram(ctx: CommandContext): Command {
  const { output } = ctx;
  const program = new Command('televent')
    .description('Televent: a calendar that lives in Telegram and syncs over CalDAV')
    .version(packageVersion(), '-V, --version', 'print the version of Televent')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.replace(/\n$/, '')),
      writeErr: (s) => output.err(s.replace(/\n$/, '')),
    })
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the server (HTTP API + CalDAV, bot, worker)')
    .addOption(
      new Option('--roles <roles>', 'comma-separated roles to run: http, bot, worker')
        .default([...serverRoles], 'http,bot,worker')
        .argParser(roleList),
    )
    .action(async (options: { roles: ServerRole[] }) => {
      await ctx.serve(options.roles);
    });

  const migrate = program.command('migrate').description('manage the database schema');
  migrate
    .command('up')
    .description('apply every pending migration')
    .action(() =>
      ctx.withDatabase(async (database) => {
        const applied = await database.migrateUp();
        output.out(applied.length > 0 ? applied.join('\n') : 'already at the latest migration');
      }),
    );
  migrate
    .command('down')
    .description(
      'undo the newest migration (or all of them with --all); asks for --yes, refused while a server runs',
    )
    .option('--all', 'undo every migration (drops every table and all data)')
    .option('--yes', 'really undo: without it, only print what would be undone')
    .action((options: { all?: boolean; yes?: boolean }) =>
      ctx.withDatabase(async (database) => {
        const all = options.all === true;
        if (options.yes !== true) {
          const applied = (await database.migrationStatus()).filter((m) => m.executedAt !== null);
          const doomed = all ? applied.reverse() : applied.slice(-1);
          if (doomed.length === 0) {
            output.out('nothing to undo');
            return;
          }
          output.err(`migrate down${all ? ' --all' : ''} would undo, dropping what they created:`);
          for (const m of doomed) output.err(`  ${m.name}`);
          if (all) output.err('that is every table and all the data in it.');
          output.err(`nothing changed; run \`televent migrate down${all ? ' --all' : ''} --yes\` to do it.`);
          throw new CliFailure();
        }
        const undone = await database.migrateDown({ all });
        output.out(undone.length > 0 ? undone.join('\n') : 'nothing to undo');
      }),
    );
  migrate
    .command('status')
    .description('list migrations and when they ran')
    .action(() =>
      ctx.withDatabase(async (database) => {
        for (const m of await database.migrationStatus()) {
          output.out(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}  ${formatDate(m.executedAt)}`);
        }
      }),
    );

  addDataCommands(program, ctx);

  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user with a calendar (as /start in the bot does)')
    .requiredOption('--telegram-id <id>', 'the Telegram user id', telegramId)
    .option('--username <name>', 'Telegram user name, without @')
    .option('--timezone <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .action((options: { telegramId: number; username?: string; timezone?: string }) =>
      ctx.withServices(async (services) => {
        const { user: created, created: isNew } = await services.accounts.ensureUser({
          telegramId: options.telegramId,
          username: options.username?.replace(/^@/, ''),
          timeZone: options.timezone,
        });
        output.out(
          `${isNew ? 'created' : 'already exists'}: user ${created.telegramId}` +
            `${created.username ? ` (@${created.username})` : ''}, time zone ${created.timeZone ?? 'not set'}`,
        );
      }),
    );

  user
    .command('list')
    .description('list users, oldest first: id, @username, time zone, created, calendars, devices')
    .addOption(
      new Option('--limit <n>', `how many users to show (1–${maxUserPage})`)
        .default(50)
        .argParser(wholeNumber(1, maxUserPage)),
    )
    .addOption(
      new Option('--offset <n>', 'skip this many users first (the next page)')
        .default(0)
        .argParser(wholeNumber(0, 999_999_999)),
    )
    .action((options: { limit: number; offset: number }) =>
      ctx.withServices(async (services) => {
        const users = await services.operator.listUsers(options);
        if (users.length === 0) {
          output.out(options.offset > 0 ? 'no more users' : 'no users');
          return;
        }
        output.out(
          'telegram id       username              time zone                 created           calendars  devices',
        );
        for (const u of users) {
          output.out(
            `${String(u.telegramId).padEnd(17)} ${(u.username ? `@${u.username}` : '-').padEnd(21)} ` +
              `${(u.timeZone ?? '-').padEnd(25)} ${formatDate(u.createdAt)}  ` +
              `${String(u.calendars).padStart(9)}  ${String(u.devices).padStart(7)}`,
          );
        }
        if (users.length === options.limit) {
          output.out(`more may follow: --offset ${options.offset + options.limit}`);
        }
      }),
    );

  program
    .command('stats')
    .description(
      'counts for the operator: users, groups, calendars, objects, devices, pending jobs, database size',
    )
    .action(() =>
      ctx.withServices(async (services) => {
        const engine = ctx.config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${ctx.config.DATA_DIR}`;
        for (const line of statsLines(await services.operator.stats(), engine)) output.out(line);
      }),
    );

  const device = program.command('device').description('manage CalDAV device passwords');
  device
    .command('add')
    .description('create a device password; the password is printed once, on the last line')
    .requiredOption('--telegram-id <id>', 'the Telegram user id', telegramId)
    .requiredOption('--name <name>', 'a name for the device, e.g. laptop')
    .action((options: { telegramId: number; name: string }) =>
      ctx.withServices(async (services) => {
        const created = await services.devices.createDevice(options.telegramId, options.name);
        output.out(`device "${created.name}" (${created.id}) for user ${options.telegramId}`);
        output.out(`CalDAV server: ${publicBaseUrl(ctx.config)}/  user name: ${options.telegramId}`);
        output.out(created.password);
      }),
    );
  device
    .command('list')
    .description('list device passwords (never the passwords themselves)')
    .requiredOption('--telegram-id <id>', 'the Telegram user id', telegramId)
    .action((options: { telegramId: number }) =>
      ctx.withServices(async (services) => {
        const devices = await services.devices.listDevices(options.telegramId);
        if (devices.length === 0) output.out('no device passwords');
        for (const d of devices) {
          output.out(
            `${d.id}  ${d.name}  created ${formatDate(d.createdAt)}  last used ${formatDate(d.lastUsedAt)}`,
          );
        }
      }),
    );
  device
    .command('revoke')
    .description('revoke a device password by id or name')
    .requiredOption('--telegram-id <id>', 'the Telegram user id', telegramId)
    .option('--id <id>', 'the device id (see device list)')
    .option('--name <name>', 'the device name')
    .action((options: { telegramId: number; id?: string; name?: string }) =>
      ctx.withServices(async (services) => {
        let id = options.id;
        if (!id && options.name) {
          id = (await services.devices.listDevices(options.telegramId)).find(
            (d) => d.name === options.name,
          )?.id;
        }
        if (!id) {
          output.err(options.id || options.name ? 'no such device password' : 'give --id or --name');
          throw new CliFailure();
        }
        await services.devices.revokeDevice(options.telegramId, id);
        output.out(`revoked ${id}`);
      }),
    );

  program
    .command('login-link')
    .description('print a one-time link (10 minutes) that signs the user in to the web app')
    .requiredOption('--telegram-id <id>', 'the Telegram user id', telegramId)
    .action((options: { telegramId: number }) =>
      ctx.withServices(async (services) => {
        const link = await services.logins.createLoginLink(options.telegramId, publicBaseUrl(ctx.config));
        output.out(link.url);
      }),
    );

  return program;
}

/** A command failed after saying why; the exit code is 1 and nothing more is printed. */
export class CliFailure extends Error {
  constructor() {
    super('command failed');
    this.name = 'CliFailure';
  }
}
