import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCalendarService } from '../../../src/app/group-calendars.ts';
import { type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import {
  openTestDatabase,
  processDatabaseUrl,
  type TestDatabase,
  testEngine,
} from '../../support/test-database.ts';

const projectRoot = dirname(fileURLToPath(new URL('../../../package.json', import.meta.url)));

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** 36 characters of [0-9a-f-] that are no UUID: one line naming the problem, not the database's words. */
async function expectCleanRefusalOfMalformedDeviceId(env: Record<string, string>): Promise<void> {
  const revoke = await runTelevent(
    ['device', 'revoke', '--telegram-id', '1001', '--id', '0123456789abcdef0123456789abcdef----'],
    env,
  );
  expect(revoke.code).toBe(1);
  expect(revoke.stderr.trim()).toBe('error: No such device password.');
}

/** `migrate down` without --yes: names what it would undo, changes nothing, exits non-zero. */
async function expectMigrateDownAsksForYes(env: Record<string, string>): Promise<void> {
  const down = await runTelevent(['migrate', 'down', '--all'], env);
  expect(down.code).toBe(1);
  expect(down.stderr).toContain('would undo');
  expect(down.stderr).toContain('create-core-schema');
  expect(down.stderr).toContain('migrate down --all --yes');
  const status = await runTelevent(['migrate', 'status'], env);
  expect(status.stdout).not.toMatch(/^pending /m);
}

/** Every migration still applied and the users still listed: nothing was dropped. */
async function expectNothingDropped(env: Record<string, string>, telegramId: string): Promise<void> {
  const users = await runTelevent(['user', 'list'], env);
  expect(users.code).toBe(0);
  expect(users.stdout).toContain(telegramId);
}

describe('televent CLI: help and version, without any database', () => {
  it('lists the commands, including the operator ones', async () => {
    const help = await runTelevent(['--help'], { DATA_DIR: '/nonexistent/never' });
    expect(help.code).toBe(0);
    for (const command of [
      'serve',
      'migrate',
      'data',
      'backup',
      'restore',
      'user',
      'device',
      'login-link',
      'stats',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const userHelp = await runTelevent(['user', '--help'], { DATA_DIR: '/nonexistent/never' });
    expect(userHelp.stdout).toMatch(/^ {2}list \[options\]/m);
    const downHelp = await runTelevent(['migrate', 'down', '--help'], { DATA_DIR: '/nonexistent/never' });
    expect(downHelp.stdout).toContain('--yes');
  });

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await runTelevent(['--version'], { DATA_DIR: '/nonexistent/never' });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('refuses a page size out of bounds before opening anything', async () => {
    const result = await runTelevent(['user', 'list', '--limit', '100000'], {
      DATA_DIR: '/nonexistent/never',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--limit');
  });
});

describe('televent CLI: configuration', () => {
  it('refuses a bad variable with one message naming it, before touching any database', async () => {
    const result = await runTelevent(['serve'], { API_PORT: 'not-a-port', DATA_DIR: '/nonexistent/never' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('API_PORT');
  });

  it('names an unknown role and exits non-zero', async () => {
    const result = await runTelevent(['serve', '--roles', 'http,mailer'], { DATA_DIR: '/nonexistent/never' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown role "mailer"');
  });
});

// Each engine run exercises the CLI on its own kind of database.
if (testEngine === 'pglite')
  describe('televent CLI on the embedded database', () => {
    let dataDir: string;
    let server: RunningServer | undefined;

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'televent-cli-'));
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('creates a user and a device without a server, printing the password on the last line', {
      timeout: 120_000,
    }, async () => {
      const env = { DATA_DIR: dataDir };
      const user = await runTelevent(
        ['user', 'create', '--telegram-id', '1001', '--timezone', 'Europe/Berlin'],
        env,
      );
      expect(user.code).toBe(0);
      expect(user.stdout).toContain('created: user 1001');
      const device = await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'laptop'], env);
      expect(device.code).toBe(0);
      expect(lastLine(device.stdout)).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
      const migrations = await runTelevent(['migrate', 'status'], env);
      expect(migrations.stdout).toMatch(/^applied /m);
      await expectCleanRefusalOfMalformedDeviceId(env);
    });

    it('lists users and counts for the operator; `migrate down` asks for --yes and drops nothing', {
      timeout: 120_000,
    }, async () => {
      const env = { DATA_DIR: dataDir };
      const users = await runTelevent(['user', 'list'], env);
      expect(users.code).toBe(0);
      expect(users.stdout).toMatch(/^1001 +- +Europe\/Berlin +\d{4}-\d\d-\d\d \d\d:\d\d +1 +1$/m);
      const stats = await runTelevent(['stats'], env);
      expect(stats.code).toBe(0);
      expect(stats.stdout).toMatch(/^users +1$/m);
      expect(stats.stdout).toMatch(/^devices +1$/m);
      expect(stats.stdout).toContain(`embedded PGlite in ${dataDir}`);

      await expectMigrateDownAsksForYes(env);
      await expectNothingDropped(env, '1001');
    });

    it('works while `serve` holds the database: commands run inside the server and the login link signs in', {
      timeout: 120_000,
    }, async () => {
      server = await startTelevent({ DATA_DIR: dataDir }, ['--roles', 'http']);
      expect(server.output()).toContain('Telegram bot: off');
      const env = { DATA_DIR: dataDir, API_PORT: new URL(server.baseUrl).port };

      const device = await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'phone'], env);
      expect(device.code).toBe(0);
      const listed = await runTelevent(['device', 'list', '--telegram-id', '1001'], env);
      expect(listed.stdout).toContain('laptop');
      expect(listed.stdout).toContain('phone');

      const link = await runTelevent(['login-link', '--telegram-id', '1001'], env);
      expect(link.code).toBe(0);
      const url = lastLine(link.stdout);
      expect(url).toMatch(new RegExp(`^${server.baseUrl}/auth/link/[A-Za-z0-9_-]{43}$`));
      const signIn = await fetch(url, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
      const me = await fetch(`${server.baseUrl}/api/me`, { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ telegramId: 1001, timezone: 'Europe/Berlin' });

      const revoke = await runTelevent(['device', 'revoke', '--telegram-id', '1001', '--name', 'nope'], env);
      expect(revoke.code).toBe(1);
      expect(revoke.stderr).toContain('no such device password');

      const unknownUser = await runTelevent(['login-link', '--telegram-id', '999'], env);
      expect(unknownUser.code).toBe(1);
      expect(unknownUser.stderr).toContain('No such user');

      const users = await runTelevent(['user', 'list', '--limit', '1'], env);
      expect(users.stdout).toMatch(/^1001 .* 1 +2$/m);
      expect(users.stdout).toContain('more may follow: --offset 1');
      const stats = await runTelevent(['stats'], env);
      expect(stats.stdout).toMatch(/^devices +2$/m);

      const down = await runTelevent(['migrate', 'down', '--all', '--yes'], env);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain('a Televent server is running on this database');
      await expectNothingDropped(env, '1001');

      expect(await server.stop()).toBe(0);
      server = undefined;
    });

    it("uses the project's own data/ when run from a subfolder without DATA_DIR", {
      timeout: 120_000,
    }, async () => {
      const projectData = join(projectRoot, 'data');
      const existed = existsSync(projectData);
      try {
        const stats = await runTelevent(['stats'], {}, { cwd: join(projectRoot, 'test') });
        expect(stats.code).toBe(0);
        expect(stats.stdout).toContain(`embedded PGlite in ${projectData}`);
        expect(existsSync(join(projectRoot, 'test', 'data'))).toBe(false);
      } finally {
        if (!existed) rmSync(projectData, { recursive: true, force: true });
      }
    });
  });

if (testEngine === 'postgres')
  describe('televent CLI against DATABASE_URL', () => {
    let database: TestDatabase;
    let databaseUrl: string;

    beforeAll(async () => {
      database = await openTestDatabase();
      databaseUrl = processDatabaseUrl(database);
    });
    afterAll(async () => {
      await database?.close();
    });

    it('creates a user, adds a device and prints a login link on PostgreSQL', {
      timeout: 120_000,
    }, async () => {
      const env = { DATABASE_URL: databaseUrl, PUBLIC_URL: 'https://cal.example.org' };
      expect(
        (await runTelevent(['user', 'create', '--telegram-id', '1001', '--username', 'alice'], env)).code,
      ).toBe(0);
      const device = await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'laptop'], env);
      expect(lastLine(device.stdout)).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
      const link = await runTelevent(['login-link', '--telegram-id', '1001'], env);
      expect(lastLine(link.stdout)).toMatch(/^https:\/\/cal\.example\.org\/auth\/link\//);
      await expectCleanRefusalOfMalformedDeviceId(env);
      const stored = await database.db.selectFrom('device_passwords').select('name').execute();
      expect(stored.map((d) => d.name)).toEqual(['laptop']);
    });

    it('lists users and counts for the operator; `migrate down` asks for --yes and drops nothing', {
      timeout: 120_000,
    }, async () => {
      const env = { DATABASE_URL: databaseUrl };
      // A Telegram group with a calendar is counted as a group, never listed as a user.
      await new GroupCalendarService({ db: database.db }).create(
        { chatId: -4_100_001, title: 'Book club' },
        null,
      );
      const users = await runTelevent(['user', 'list'], env);
      expect(users.stdout).toMatch(/^1001 +@alice +- +\S+ \S+ +1 +1$/m);
      expect(users.stdout).not.toContain('4100001');
      // One job three hours overdue, one due next month: both pending, only the first is late.
      const hour = 3_600_000;
      const jobs = await database.db
        .insertInto('outbox_messages')
        .values([
          { kind: 'noop', payload: '{}', run_at: new Date(Date.now() - 3 * hour) },
          { kind: 'account.erase', payload: '{}', run_at: new Date(Date.now() + 720 * hour) },
        ])
        .returning('id')
        .execute();
      const stats = await runTelevent(['stats'], env);
      await database.db
        .deleteFrom('outbox_messages')
        .where(
          'id',
          'in',
          jobs.map((j) => j.id),
        )
        .execute();
      expect(stats.stdout).toMatch(/^users +1$/m);
      expect(stats.stdout).toMatch(/^groups +1$/m);
      expect(stats.stdout).toMatch(/^ {2}account\.erase +1$/m);
      expect(stats.stdout).toMatch(/^ {2}noop +1$/m);
      expect(stats.stdout).toMatch(/^oldest due job +waiting 3 h$/m);
      expect(stats.stdout).toMatch(/^database +PostgreSQL, [\d.]+ [kMG]?B$/m);
      await expectMigrateDownAsksForYes(env);
      await expectNothingDropped(env, '1001');
    });

    it('refuses `migrate down` while a server runs on the database, through its socket or not', {
      timeout: 120_000,
    }, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'televent-cli-'));
      const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir };
      const server = await startTelevent(env, ['--roles', 'worker']);
      try {
        // Through the server's admin socket (same DATABASE_URL)…
        const viaServer = await runTelevent(['migrate', 'down', '--yes'], env);
        expect(viaServer.code).toBe(1);
        expect(viaServer.stderr).toContain('a Televent server is running on this database');
        const listed = await runTelevent(['user', 'list'], env);
        expect(listed.stdout).toContain('@alice');
        // …and from a process that opens the database itself (another spelling of the URL).
        const url = new URL(databaseUrl);
        url.searchParams.set('application_name', 'televent-cli-test');
        const direct = await runTelevent(['migrate', 'down', '--all', '--yes'], {
          DATABASE_URL: url.toString(),
          DATA_DIR: dataDir,
        });
        expect(direct.code).toBe(1);
        expect(direct.stderr).toContain('a Televent server is running on this database');
        const tables = await database.db
          .selectFrom('users')
          .select('telegram_id')
          .orderBy('telegram_id')
          .execute();
        expect(tables.map((u) => u.telegram_id)).toEqual([-4_100_001, 1001]); // Alice and the Book club group
      } finally {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
      // With the server gone, --yes undoes the newest migration (and `migrate up` restores it).
      const down = await runTelevent(['migrate', 'down', '--yes'], env);
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(/^down /m);
      expect((await runTelevent(['migrate', 'up'], env)).stdout).toMatch(/^up /m);
    });
  });
