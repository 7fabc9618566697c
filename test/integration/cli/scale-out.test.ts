import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, runTelevent, startTelevent } from '../../support/run-televent.ts';
import { TelegramEmulator, type TelegramUser } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';
import { eventually } from '../worker/worker-support.ts';

// The README's "Scaling out" deployment, for real: two `televent serve --roles http`, two
// `--roles worker` and one `--roles bot`, each its own OS process of the CLI, on one PostgreSQL
// database. Separate processes need a database they can all reach, so this suite runs in the
// PostgreSQL pass only (vitest.config.ts). The database is a scratch one of its own, not a schema:
// LISTEN/NOTIFY channels and advisory locks are per database, as they are in a real deployment.
// Every process sees another's committed write on its very next request: REPORTs and PUT
// preconditions read the database, and what a process answers from its own caches (GET, sign-in)
// waits for a round trip on its LISTEN connection first, so the writer's NOTIFY has arrived.

const ada: TelegramUser = { id: 7001, first_name: 'Ada', username: 'ada_scale' };
const bob: TelegramUser = { id: 7002, first_name: 'Bob', username: 'bob_scale' };
const calendarPath = `/calendars/${ada.id}/default/`;
/** Generous: five Node processes and PostgreSQL share two cores with whatever else runs. */
const botReplyMs = 30_000;
const jobsDoneMs = 120_000;

function basic(password: string): string {
  return `Basic ${Buffer.from(`${ada.id}:${password}`).toString('base64')}`;
}

function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** One event; with `alarmAtStart` it has a VALARM firing at its start. */
function eventText(uid: string, summary: string, start: Date, alarmAtStart = false): string {
  const alarm = alarmAtStart
    ? ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:PT0S', 'DESCRIPTION:Reminder', 'END:VALARM']
    : [];
  return `${[
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Televent scale-out test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${utcStamp(start)}`,
    `DTEND:${utcStamp(new Date(start.getTime() + 30 * 60_000))}`,
    `SUMMARY:${summary}`,
    ...alarm,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n')}\r\n`;
}

function report(xml: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${xml}`;
}

const inJune = ['20260601T000000Z', '20260701T000000Z'] as const;
const calendarQuery = report(
  `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${inJune[0]}" end="${inJune[1]}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
);
const syncCollection = (token: string) =>
  report(
    `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
  );
const syncTokenProp = report('<d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>');

/** The `<response>` of a multistatus body whose href ends with `name`, or undefined. */
function responseFor(multistatus: string, name: string): string | undefined {
  return multistatus
    .split(/<\/(?:\w+:)?response>/i)
    .find((part) => new RegExp(`<(?:\\w+:)?href>[^<]*/${name}</`, 'i').test(part));
}

describe(`two HTTP processes, two workers and a bot process on one PostgreSQL [${testEngine}]`, () => {
  let admin: pg.Client | undefined;
  let databaseName: string | undefined;
  let dataDir: string;
  let telegram: TelegramEmulator | undefined;
  const processes: RunningServer[] = [];
  let httpA: RunningServer;
  let httpB: RunningServer;
  let bot: RunningServer;
  const env: Record<string, string> = {};
  let phonePassword = '';

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL');
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    databaseName = `televent_scale_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${databaseName}`);
    const scratch = new URL(url);
    scratch.pathname = `/${databaseName}`;
    dataDir = mkdtempSync(join(tmpdir(), 'televent-scale-out-'));
    telegram = await TelegramEmulator.start();
    // Every process gets the same settings, as a deployment's processes share one .env.
    Object.assign(env, {
      DATABASE_URL: scratch.toString(),
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    const start = async (roles: string) => {
      const server = await startTelevent(env, ['--roles', roles]);
      processes.push(server);
      return server;
    };
    // The first one migrates the empty database (and takes the CLI's admin socket); the rest start together.
    httpA = await start('http');
    [httpB, bot] = await Promise.all([start('http'), start('bot'), start('worker'), start('worker')]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await telegram?.close();
    if (databaseName) await admin?.query(`drop database if exists ${databaseName} with (force)`);
    await admin?.end();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  function dav(
    server: RunningServer,
    method: string,
    path: string,
    init: { body?: string; depth?: string; password?: string } = {},
  ) {
    const headers: Record<string, string> = { authorization: basic(init.password ?? phonePassword) };
    if (init.depth !== undefined) headers.depth = init.depth;
    if (init.body !== undefined) {
      headers['content-type'] =
        method === 'PUT' ? 'text/calendar; charset=utf-8' : 'application/xml; charset=utf-8';
    }
    return fetch(`${server.baseUrl}${path}`, { method, headers, ...(init.body ? { body: init.body } : {}) });
  }

  async function syncToken(server: RunningServer): Promise<string> {
    const body = await (
      await dav(server, 'PROPFIND', calendarPath, { body: syncTokenProp, depth: '0' })
    ).text();
    const token = /<(?:\w+:)?sync-token>([^<]+)</i.exec(body)?.[1];
    if (!token) throw new Error(`no sync-token in ${body}`);
    return token;
  }

  /** Status counts of the jobs of one kind, e.g. { done: 4 }. */
  async function jobStatuses(kind: string): Promise<Record<string, number>> {
    const scratch = new pg.Client({ connectionString: env.DATABASE_URL });
    await scratch.connect();
    try {
      const { rows } = await scratch.query<{ status: string; count: string }>(
        'select status, count(*) as count from outbox_messages where kind = $1 group by status',
        [kind],
      );
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
    } finally {
      await scratch.end();
    }
  }

  it('answers /health in each HTTP process, and the bot process polls Telegram', async () => {
    for (const server of [httpA, httpB]) {
      const health = await fetch(`${server.baseUrl}/health`);
      expect(health.status).toBe(200);
      // The bot runs in its own process, not in these.
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok', bot: 'off' });
    }
    expect(bot.output()).toContain('Telegram bot: on (long polling)');
    for (const p of processes) expect(p.process.exitCode).toBeNull();
  });

  it('handles each bot update once: one welcome, one device password', async () => {
    const emulator = telegram as TelegramEmulator;
    emulator.sendText(ada, '/start');
    emulator.sendText(bob, '/start');
    await emulator.waitForMessage(ada.id, (m) => (m.text ?? '').includes('Welcome'), botReplyMs);
    await emulator.waitForMessage(bob.id, (m) => (m.text ?? '').includes('Welcome'), botReplyMs);
    emulator.sendText(ada, '/device add phone');
    const reply = await emulator.waitForMessage(
      ada.id,
      (m) => (m.plain_text ?? '').includes('Password for'),
      botReplyMs,
    );
    phonePassword = /<code>([^<]+)<\/code>/.exec(reply.text ?? '')?.[1] ?? '';
    expect(phonePassword).not.toBe('');
    // A second poller or a repeated update would show as a second answer.
    const welcomes = emulator.sentMessages(ada.id).filter((m) => (m.text ?? '').includes('Welcome'));
    const passwords = emulator
      .sentMessages(ada.id)
      .filter((m) => (m.plain_text ?? '').includes('Password for'));
    expect(welcomes).toHaveLength(1);
    expect(passwords).toHaveLength(1);
  });

  /** A GET through `server`: its status, and whether its body and ETag are the expected ones. */
  async function getSees(
    server: RunningServer,
    path: string,
    expected: { status: number; body?: string; etag?: string | null },
  ): Promise<void> {
    const response = await dav(server, 'GET', path);
    const body = await response.text();
    expect(response.status).toBe(expected.status);
    if (expected.body !== undefined) expect(body).toBe(expected.body);
    if (expected.etag !== undefined) expect(response.headers.get('etag')).toBe(expected.etag);
  }

  it('shows a PUT through one HTTP process at once to GET, calendar-query and sync-collection through the other', async () => {
    const href = 'scale-shared.ics';
    const path = `${calendarPath}${href}`;
    const start = new Date('2026-06-10T09:00:00Z');
    const rounds = 20;
    expect(
      (await dav(httpA, 'PUT', path, { body: eventText('scale-shared', 'Version 0', start) })).status,
    ).toBe(201);
    for (let version = 1; version <= rounds; version++) {
      // B reads the current version first, so its caches hold it before the change.
      const token = await syncToken(httpB);
      await getSees(httpB, path, { status: 200 });
      await dav(httpB, 'REPORT', calendarPath, { body: calendarQuery, depth: '1' });

      const text = eventText('scale-shared', `Version ${version}`, start);
      const put = await dav(httpA, 'PUT', path, { body: text });
      expect(put.status).toBe(204);
      const etag = put.headers.get('etag');
      expect(etag).toBeTruthy();

      // B's cached copy of the old version is not what it answers (one round trip on its LISTEN
      // connection first), and the REPORTs read the database.
      await getSees(httpB, path, { status: 200, body: text, etag });
      const query = await (
        await dav(httpB, 'REPORT', calendarPath, { body: calendarQuery, depth: '1' })
      ).text();
      expect(responseFor(query, href)).toContain(`SUMMARY:Version ${version}`);
      const sync = await (
        await dav(httpB, 'REPORT', calendarPath, { body: syncCollection(token), depth: '1' })
      ).text();
      expect(responseFor(sync, href)).toContain(etag?.replace(/"/g, '') ?? 'no etag');
      expect(await syncToken(httpB)).not.toBe(token);
    }
  });

  it('shows a change and a deletion through B to A', async () => {
    const href = 'scale-from-b.ics';
    const path = `${calendarPath}${href}`;
    const start = new Date('2026-06-12T09:00:00Z');
    expect((await dav(httpB, 'PUT', path, { body: eventText('scale-from-b', 'Draft', start) })).status).toBe(
      201,
    );
    await getSees(httpA, path, { status: 200 });
    const token = await syncToken(httpA);

    const changed = eventText('scale-from-b', 'Final', start);
    expect((await dav(httpB, 'PUT', path, { body: changed })).status).toBe(204);
    const query = await (
      await dav(httpA, 'REPORT', calendarPath, { body: calendarQuery, depth: '1' })
    ).text();
    expect(responseFor(query, href)).toContain('SUMMARY:Final');
    await getSees(httpA, path, { status: 200, body: changed });

    expect((await dav(httpB, 'DELETE', path)).status).toBe(204);
    const after = await (
      await dav(httpA, 'REPORT', calendarPath, { body: calendarQuery, depth: '1' })
    ).text();
    expect(responseFor(after, href)).toBeUndefined();
    // RFC 6578 §3.5.2: a member removed since the token is reported with 404.
    const sync = await (
      await dav(httpA, 'REPORT', calendarPath, { body: syncCollection(token), depth: '1' })
    ).text();
    expect(responseFor(sync, href)).toMatch(/HTTP\/1\.1 404/);
    await getSees(httpA, path, { status: 404 });
  });

  it('refuses a device password revoked with the CLI in both HTTP processes', async () => {
    const added = await runTelevent(
      ['device', 'add', '--telegram-id', String(ada.id), '--name', 'laptop'],
      env,
    );
    expect(added.code).toBe(0);
    const laptop = added.stdout.trimEnd().split('\n').at(-1) ?? '';
    const propfind = (server: RunningServer, password: string) =>
      dav(server, 'PROPFIND', '/', { depth: '0', password }).then((r) => r.status);
    // Twice each: the second answer comes from the process's sign-in cache.
    for (const server of [httpA, httpB, httpA, httpB]) expect(await propfind(server, laptop)).toBe(207);

    const revoked = await runTelevent(
      ['device', 'revoke', '--telegram-id', String(ada.id), '--name', 'laptop'],
      env,
    );
    expect(revoked.code).toBe(0);
    // The CLI ran inside A (its admin socket): A dropped the password itself before answering.
    expect(await propfind(httpA, laptop)).toBe(401);
    // B hears of it through NOTIFY, and waits for that before answering from its sign-in cache.
    expect(await propfind(httpB, laptop)).toBe(401);
    // The user's other device keeps working on both.
    expect(await propfind(httpA, phonePassword)).toBe(207);
    expect(await propfind(httpB, phonePassword)).toBe(207);
  });

  it('sends each due reminder exactly once while two workers race for them', async () => {
    const emulator = telegram as TelegramEmulator;
    const count = 6;
    const soon = Date.now() + 15_000;
    const summaries = Array.from({ length: count }, (_, i) => `Scale reminder ${i}`);
    // Written through both HTTP processes; each alarm fires at its event's start, seconds from now.
    for (const [i, summary] of summaries.entries()) {
      const server = i % 2 === 0 ? httpA : httpB;
      const body = eventText(`scale-reminder-${i}`, summary, new Date(soon + i * 1_000), true);
      expect((await dav(server, 'PUT', `${calendarPath}scale-reminder-${i}.ics`, { body })).status).toBe(201);
    }
    let seen: Record<string, number> = {};
    await eventually(
      async () => {
        seen = await jobStatuses('reminder.send');
        return seen.done === count && Object.keys(seen).length === 1;
      },
      jobsDoneMs,
      500,
    ).catch((error: unknown) => {
      throw new Error(`reminders not all sent: ${JSON.stringify(seen)}`, { cause: error });
    });
    const sent = emulator
      .calls('sendMessage')
      .filter((c) => Number(c.params.chat_id) === ada.id)
      .map((c) => String(c.params.text));
    for (const summary of summaries) {
      expect(sent.filter((text) => text.includes(`<b>${summary}</b>`))).toHaveLength(1);
    }
  });

  it("sends a message the bot queued once: Bob's share offer", async () => {
    const emulator = telegram as TelegramEmulator;
    emulator.sendText(ada, '/share');
    await emulator.waitForMessage(ada.id, (m) => (m.plain_text ?? '').includes('Share'), botReplyMs);
    emulator.sendText(ada, `@${bob.username}`);
    await emulator.waitForMessage(ada.id, (m) => (m.plain_text ?? '').includes("I've invited"), botReplyMs);
    let seen: Record<string, number> = {};
    await eventually(
      async () => {
        seen = await jobStatuses('share.notice');
        return seen.done === 1 && Object.keys(seen).length === 1;
      },
      jobsDoneMs,
      250,
    ).catch((error: unknown) => {
      throw new Error(`the share offer was not sent: ${JSON.stringify(seen)}`, { cause: error });
    });
    const offers = emulator
      .sentMessages(bob.id)
      .filter((m) => (m.plain_text ?? '').includes('shared the calendar'));
    expect(offers).toHaveLength(1);
    const invited = emulator
      .sentMessages(ada.id)
      .filter((m) => (m.plain_text ?? '').includes("I've invited"));
    expect(invited).toHaveLength(1);
  });

  it('stops every process cleanly on SIGTERM', async () => {
    const codes = await Promise.all(processes.map((p) => p.stop()));
    expect(codes).toEqual([0, 0, 0, 0, 0]);
  }, 120_000);
});
