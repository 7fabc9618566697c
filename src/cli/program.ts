import { Command, InvalidArgumentError, Option } from 'commander';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import { publicBaseUrl } from '../public-url.ts';
import { type CliOutput, type DatabaseAdmin, type ServerRole, serverRoles } from './cli-runtime.ts';

/** How a parsed command reaches the database: directly, or inside the running server. */
export interface CommandContext {
  readonly config: Config;
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

/** The `televent` command. Actions write through `ctx.output`, so the admin socket can relay them. */
export function buildProgram(ctx: CommandContext): Command {
  const { output } = ctx;
  const program = new Command('televent')
    .description('Televent: a calendar that lives in Telegram and syncs over CalDAV')
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
    .description('undo the newest migration (or all of them with --all)')
    .option('--all', 'undo every migration')
    .action((options: { all?: boolean }) =>
      ctx.withDatabase(async (database) => {
        const undone = await database.migrateDown({ all: options.all === true });
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
