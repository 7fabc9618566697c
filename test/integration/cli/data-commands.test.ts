import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import {
  openTestDatabase,
  processDatabaseUrl,
  type TestDatabase,
  testEngine,
} from '../../support/test-database.ts';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** The row of `table` in the counts-and-checksums table the commands print. */
function tableRow(table: string): RegExp {
  return new RegExp(`^${table} +\\d+  [0-9a-f]{64}$`, 'm');
}

const weekly = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//CLI test//EN',
  'BEGIN:VEVENT',
  'UID:weekly@cli',
  'DTSTAMP:20261201T000000Z',
  'DTSTART;TZID=Europe/Berlin:20261207T093000',
  'DURATION:PT15M',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
  'SUMMARY:Weekly ☕',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const syncBody = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

function dav(server: RunningServer, password: string) {
  const authorization = `Basic ${Buffer.from(`1001:${password}`).toString('base64')}`;
  return (method: string, path: string, body?: string) =>
    fetch(`${server.baseUrl}/calendars/1001/default/${path}`, {
      method,
      headers: {
        authorization,
        depth: '1',
        'content-type': body?.startsWith('BEGIN:') ? 'text/calendar' : 'application/xml',
      },
      ...(body === undefined ? {} : { body }),
    });
}

if (testEngine === 'pglite')
  describe('televent backup, restore and data move on the embedded database', () => {
    let folder: string;
    let server: RunningServer | undefined;

    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'televent-data-cli-'));
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(folder, { recursive: true, force: true });
    });

    it('backs up and moves through the running server, then restores a wiped folder that calendar apps sync on from', {
      timeout: 240_000,
    }, async () => {
      const dataDir = join(folder, 'data');
      const env = { DATA_DIR: dataDir };
      expect((await runTelevent(['user', 'create', '--telegram-id', '1001'], env)).code).toBe(0);
      const password = lastLine(
        (await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'laptop'], env)).stdout,
      );
      server = await startTelevent(env, ['--roles', 'http']);
      let request = dav(server, password);
      expect((await request('PUT', 'weekly.ics', weekly)).status).toBe(201);
      const firstSync = await (await request('REPORT', '', syncBody(''))).text();
      const token = /<d:sync-token>([^<]*)</.exec(firstSync)?.[1] ?? '';
      const stored = await request('GET', 'weekly.ics');
      const etag = stored.headers.get('etag');
      const body = await stored.text();

      // A relative name is the caller's, though the server writes the file.
      mkdirSync(join(folder, 'backups'));
      const backup = await runTelevent(['backup', 'backups/televent.jsonl.gz'], env, { cwd: folder });
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(tableRow('calendar_objects'));
      expect(backup.stdout).toMatch(/^calendar_objects +1 {2}/m);
      const file = join(folder, 'backups', 'televent.jsonl.gz');
      expect(lastLine(backup.stdout)).toBe(`backed up to ${file}`);
      expect(existsSync(file)).toBe(true);

      const refused = await runTelevent(['restore', file], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'a Televent server is running on this database; stop it before `restore`',
      );

      const moved = await runTelevent(['data', 'move', '--to', 'moved'], env, { cwd: folder });
      expect(moved.code).toBe(0);
      expect(moved.stdout).toMatch(/^users +1 {2}[0-9a-f]{64}$/m);
      expect(moved.stdout).toContain('moved: every table has the same row count and checksum on both sides.');
      expect(existsSync(join(folder, 'moved', 'pgdata'))).toBe(true);

      expect(await server.stop()).toBe(0);
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });

      const restored = await runTelevent(['restore', file], env);
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(/^calendar_objects +1 {2}/m);
      expect(lastLine(restored.stdout)).toMatch(
        /^restored from .*televent\.jsonl\.gz \(written by Televent \d+\.\d+\.\d+\)$/,
      );
      const again = await runTelevent(['restore', file], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds data \(.*users: 1.*\); nothing changed/);

      server = await startTelevent(env, ['--roles', 'http']);
      request = dav(server, password);
      const nextSync = await (await request('REPORT', '', syncBody(token))).text();
      expect(nextSync).not.toContain('<d:response>');
      expect(nextSync).toContain(`<d:sync-token>${token}</d:sync-token>`);
      const again200 = await request('GET', 'weekly.ics');
      expect(again200.headers.get('etag')).toBe(etag);
      expect(await again200.text()).toBe(body);
    });
  });

if (testEngine === 'postgres')
  describe('televent data move from the embedded database to PostgreSQL, and backups on PostgreSQL', () => {
    let folder: string;
    let target: TestDatabase;
    let server: RunningServer | undefined;

    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'televent-data-cli-'));
      target = await openTestDatabase({ migrated: false });
    });
    afterAll(async () => {
      await server?.stop();
      await target?.close();
      rmSync(folder, { recursive: true, force: true });
    });

    it('moves an embedded database into an empty PostgreSQL database with one command', {
      timeout: 180_000,
    }, async () => {
      const embedded = { DATA_DIR: join(folder, 'data') };
      expect(
        (await runTelevent(['user', 'create', '--telegram-id', '1001', '--username', 'alice'], embedded))
          .code,
      ).toBe(0);
      expect(
        (await runTelevent(['device', 'add', '--telegram-id', '1001', '--name', 'laptop'], embedded)).code,
      ).toBe(0);

      const moved = await runTelevent(['data', 'move', '--to', processDatabaseUrl(target)], embedded);
      expect(moved.code).toBe(0);
      for (const table of ['users', 'calendars', 'device_passwords', 'preferences', 'audit_log']) {
        expect(moved.stdout).toMatch(tableRow(table));
      }
      expect(moved.stdout).toMatch(/^\d+ tables, \d+ rows, snapshot of \d{4}-\d\d-\d\dT.*, migration \S+$/m);
      expect(moved.stdout).toContain(
        'Next: with Televent stopped, set DATABASE_URL to the target and start it',
      );

      const onPostgres = { DATABASE_URL: processDatabaseUrl(target), DATA_DIR: join(folder, 'unused') };
      expect((await runTelevent(['user', 'list'], onPostgres)).stdout).toMatch(/^1001 +@alice /m);
      expect((await runTelevent(['device', 'list', '--telegram-id', '1001'], onPostgres)).stdout).toContain(
        'laptop',
      );

      const again = await runTelevent(['data', 'move', '--to', processDatabaseUrl(target)], embedded);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds data \(.*users: 1.*\); nothing changed/);
      const badTarget = await runTelevent(['data', 'move', '--to', 'mysql://somewhere/db'], embedded);
      expect(badTarget.code).not.toBe(0);
      expect(badTarget.stderr).toContain('give a postgres:// URL, or a folder for a new embedded database');
    });

    it('backs up while a server runs, refuses to restore under it, and restores once it is stopped', {
      timeout: 180_000,
    }, async () => {
      const env = { DATABASE_URL: processDatabaseUrl(target), DATA_DIR: join(folder, 'server') };
      server = await startTelevent(env, ['--roles', 'worker']);
      const file = join(folder, 'pg.jsonl.gz');
      const backup = await runTelevent(['backup', file], env);
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/^users +1 {2}[0-9a-f]{64}$/m);

      const viaServer = await runTelevent(['restore', '--force', file], env);
      expect(viaServer.code).toBe(1);
      expect(viaServer.stderr).toContain('stop it before `restore`');
      // Another spelling of the URL opens the database itself, and meets the serving lock.
      const url = new URL(processDatabaseUrl(target));
      url.searchParams.set('application_name', 'televent-restore-test');
      const direct = await runTelevent(['restore', '--force', file], {
        ...env,
        DATABASE_URL: url.toString(),
      });
      expect(direct.code).toBe(1);
      expect(direct.stderr).toContain('a Televent server is running on');

      expect(await server.stop()).toBe(0);
      server = undefined;
      const refused = await runTelevent(['restore', file], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('already holds data');
      const forced = await runTelevent(['restore', '--force', file], env);
      expect(forced.code).toBe(0);
      // The same figures as the backup printed: every table is back as it was.
      const figures = (stdout: string) => stdout.trimEnd().split('\n').slice(0, -1);
      expect(figures(forced.stdout)).toEqual(figures(backup.stdout));
    });
  });
