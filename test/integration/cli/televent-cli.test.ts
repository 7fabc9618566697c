import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

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

      expect(await server.stop()).toBe(0);
      server = undefined;
    });
  });

if (testEngine === 'postgres')
  describe('televent CLI against DATABASE_URL', () => {
    let database: TestDatabase;
    let databaseUrl: string;

    beforeAll(async () => {
      database = await openTestDatabase();
      const url = new URL(database.url ?? '');
      url.searchParams.set('options', `-c search_path=${database.schema}`);
      databaseUrl = url.toString();
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
  });
