// `npm run bench:soak -- [--minutes 10] [--engine postgres|pglite] [--users 10] [--events 200] [--rate 20]`:
// the default `npm start` configuration (every role in one process, LOG_LEVEL info) against the
// local Bot API emulator, on PostgreSQL (a fresh schema) or on embedded PGlite (a fresh data folder),
// driven for `--minutes` by a steady mix of what its users do, `--rate` actions a second:
// - CalDAV (device passwords, as calendar apps): GET of any object, PUT updates spread over the whole
//   collection, incremental sync-collection with the client's last token, a week's calendar-query;
// - REST as the web app (session cookie from a login link): a month of /api/events;
// - the bot: /today, /week and quick adds, each expecting exactly its reply;
// - reminders: events whose alarm falls inside the run, each expected once at the emulator.
// Everything is seeded through the server's own doors (/start, `televent device add`, CalDAV PUT).
// It prints the server's RSS (VmRSS) when idle after start, at the start, middle and end of the load
// and idle again after it, and exits non-zero on any error: a 5xx or unexpected status, a wrong or
// missing bot reply, a reminder not sent exactly once, or an error line in the server's log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runTelevent, startTelevent } from '../test/support/run-televent.ts';
import { TelegramEmulator } from '../test/support/telegram-emulator.ts';
import { processCpuSeconds } from './support/cpu-usage.ts';
import { sampleEvent } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    engine: { type: 'string', default: 'postgres' },
    users: { type: 'string', default: '10' },
    events: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
  },
});
const minutes = Number(values.minutes);
const users = Number(values.users);
const eventsPerUser = Number(values.events);
const rate = Number(values.rate);
const engine = values.engine === 'pglite' ? 'pglite' : 'postgres';
const origin = new Date();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

interface SoakUser {
  id: number;
  auth: string;
  calendarPath: string;
  hrefs: string[];
  syncToken: string;
  cookie: string;
}

const counts = new Map<string, number>();
const errors: string[] = [];
function count(name: string) {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}
function fail(what: string) {
  if (errors.length < 20) errors.push(what);
  else if (errors.length === 20) errors.push('… more errors not shown');
  count('errors');
}

const xml = (body: string) => `<?xml version="1.0" encoding="utf-8"?>\n${body}`;
const propfind = (props: string) =>
  xml(
    `<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop>${props}</d:prop></d:propfind>`,
  );

function firstMatch(text: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(text)?.[1];
  if (!found) throw new Error(`no ${what} in ${text.slice(0, 400)}`);
  return found;
}

async function dav(baseUrl: string, user: SoakUser, path: string, init: RequestInit & { depth?: string }) {
  return fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      authorization: user.auth,
      'content-type':
        init.method === 'PUT' ? 'text/calendar; charset=utf-8' : 'application/xml; charset=utf-8',
      ...(init.depth ? { depth: init.depth } : {}),
    },
  });
}

/** An event whose alarm fires `inSeconds` from now, so the worker's reminder lands inside the run. */
function reminderEvent(n: number, inSeconds: number): { href: string; ics: string; summary: string } {
  const stamp = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const start = new Date(Date.now() + (inSeconds + 600) * 1000);
  const summary = `Soak reminder ${n}`;
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Televent soak//EN',
    'BEGIN:VEVENT',
    `UID:soak-reminder-${n}@televent.test`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(new Date(start.getTime() + 1_800_000))}`,
    `SUMMARY:${summary}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:-PT10M',
    'DESCRIPTION:Reminder',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return { href: `soak-reminder-${n}.ics`, ics, summary };
}

async function main() {
  const emulator = await TelegramEmulator.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'televent-soak-'));
  const bench =
    engine === 'postgres' ? await (await import('./support/bench-database.ts')).openBenchDatabase() : null;
  const env: Record<string, string> = {
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: emulator.token,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    ...(bench ? { DATABASE_URL: bench.url } : {}),
  };
  const started = performance.now();
  const server = await startTelevent(env);
  const pid = server.process.pid as number;
  const rss: Array<[string, number]> = [];
  try {
    await emulator.whenPolling();
    process.stdout.write(
      `${engine}: default configuration (every role, LOG_LEVEL info) serving after ${Math.round(performance.now() - started)} ms\n`,
    );
    await sleep(5_000);
    rss.push(['idle after first start', rssMb(pid)]);

    // Users through the doors they would use: /start in the bot, a device password, a login link.
    const soakUsers: SoakUser[] = [];
    for (let k = 0; k < users; k++) {
      const id = 810_000 + k;
      emulator.sendText({ id, first_name: `Soak${k}` }, '/start');
      while (emulator.sentMessages(id).length === 0) await sleep(50); // the bot has made the account
      const device = await runTelevent(['device', 'add', '--telegram-id', String(id), '--name', 'soak'], env);
      if (device.code !== 0) throw new Error(`device add: ${device.stderr}`);
      const password = device.stdout.trim().split('\n').at(-1) ?? '';
      const link = await runTelevent(['login-link', '--telegram-id', String(id)], env);
      const path = firstMatch(link.stdout, /(\/auth\/link\/\S+)/, 'login link');
      const signIn = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual' });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const user: SoakUser = {
        id,
        auth: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`,
        calendarPath: '',
        hrefs: [],
        syncToken: '',
        cookie,
      };
      const root = await (
        await dav(server.baseUrl, user, '/', {
          method: 'PROPFIND',
          depth: '0',
          body: propfind('<d:current-user-principal/>'),
        })
      ).text();
      const principal = firstMatch(root, /current-user-principal>\s*<(?:\w+:)?href>([^<]+)</, 'principal');
      const homeXml = await (
        await dav(server.baseUrl, user, principal, {
          method: 'PROPFIND',
          depth: '0',
          body: propfind('<c:calendar-home-set/>'),
        })
      ).text();
      const home = firstMatch(homeXml, /calendar-home-set>\s*<(?:\w+:)?href>([^<]+)</, 'calendar home');
      const listing = await (
        await dav(server.baseUrl, user, home, {
          method: 'PROPFIND',
          depth: '1',
          body: propfind('<d:resourcetype/>'),
        })
      ).text();
      user.calendarPath =
        [...listing.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)]
          .map((m) => m[1] ?? '')
          .find((href) => href !== home && href.startsWith(home)) ?? '';
      for (let i = 0; i < eventsPerUser; i++) {
        const { href, ics } = sampleEvent(k * eventsPerUser + i, origin);
        const put = await dav(server.baseUrl, user, `${user.calendarPath}${href}`, {
          method: 'PUT',
          body: ics,
        });
        if (put.status !== 201) throw new Error(`seeding PUT: ${put.status} ${await put.text()}`);
        user.hrefs.push(href);
      }
      const tokenXml = await (
        await dav(server.baseUrl, user, user.calendarPath, {
          method: 'PROPFIND',
          depth: '0',
          body: propfind('<d:sync-token/>'),
        })
      ).text();
      user.syncToken = firstMatch(tokenXml, /sync-token>([^<]+)</, 'sync-token');
      soakUsers.push(user);
    }
    process.stdout.write(
      `seeded ${users} users × ${eventsPerUser} events through the bot, the CLI and CalDAV\n`,
    );
    await sleep(10_000);
    rss.push(['idle after seeding', rssMb(pid)]);

    const reminders = new Map<string, number>(); // summary → when its alarm fires
    const actions: Array<[number, (user: SoakUser, n: number) => Promise<void>]> = [
      [
        30,
        async (user, n) => {
          const response = await dav(
            server.baseUrl,
            user,
            `${user.calendarPath}${user.hrefs[(n * 7919) % user.hrefs.length]}`,
            { method: 'GET' },
          );
          await response.arrayBuffer();
          if (response.status !== 200) fail(`GET ${response.status}`);
          count('CalDAV GET');
        },
      ],
      [
        15,
        async (user, n) => {
          const i = (n * 104_729) % user.hrefs.length;
          const { ics } = sampleEvent(soakUsers.indexOf(user) * eventsPerUser + i, origin);
          const body = ics.replace(/SUMMARY:Event (\d+)/, `SUMMARY:Event $1 (edit ${n})`);
          const response = await dav(server.baseUrl, user, `${user.calendarPath}${user.hrefs[i]}`, {
            method: 'PUT',
            body,
          });
          await response.arrayBuffer();
          if (response.status !== 204 && response.status !== 200) fail(`PUT update ${response.status}`);
          count('CalDAV PUT');
        },
      ],
      [
        10,
        async (user) => {
          const body = xml(
            `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${user.syncToken}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
          );
          const response = await dav(server.baseUrl, user, user.calendarPath, {
            method: 'REPORT',
            depth: '0',
            body,
          });
          const text = await response.text();
          if (response.status !== 207) return fail(`sync-collection ${response.status}`);
          user.syncToken = firstMatch(text, /sync-token>([^<]+)</, 'new sync-token');
          count('CalDAV sync-collection');
        },
      ],
      [
        10,
        async (user, n) => {
          const from = new Date(origin.getTime() + ((n % 52) - 26) * 7 * 86_400_000);
          const stamp = (d: Date) => `${d.toISOString().slice(0, 10).replace(/-/g, '')}T000000Z`;
          const body = xml(
            `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${stamp(from)}" end="${stamp(new Date(from.getTime() + 7 * 86_400_000))}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
          );
          const response = await dav(server.baseUrl, user, user.calendarPath, {
            method: 'REPORT',
            depth: '1',
            body,
          });
          await response.arrayBuffer();
          if (response.status !== 207) fail(`calendar-query ${response.status}`);
          count('CalDAV calendar-query');
        },
      ],
      [
        15,
        async (user, n) => {
          const from = new Date(origin.getTime() + ((n % 12) - 6) * 30 * 86_400_000);
          const query = new URLSearchParams({
            start: from.toISOString(),
            end: new Date(from.getTime() + 31 * 86_400_000).toISOString(),
          });
          const response = await fetch(`${server.baseUrl}/api/events?${query}`, {
            headers: { cookie: user.cookie, accept: 'application/json' },
          });
          await response.arrayBuffer();
          if (response.status !== 200) fail(`REST /api/events ${response.status}`);
          count('REST events');
        },
      ],
      [
        15,
        async (user, n) => {
          const texts = ['/today', '/week', `Soak lunch ${n} tomorrow at 13:00`];
          const text = texts[n % texts.length] ?? '/today';
          const before = emulator.sentMessages(user.id).length;
          emulator.sendText({ id: user.id, first_name: 'Soak' }, text);
          const deadline = Date.now() + 30_000;
          while (emulator.sentMessages(user.id).length === before) {
            if (Date.now() > deadline) return fail(`no bot reply to "${text}" within 30 s`);
            await sleep(50);
          }
          // Reminders share the chat, so every new message is judged, not just the first.
          for (const reply of emulator.sentMessages(user.id).slice(before)) {
            const said = reply.plain_text ?? '';
            if (/something went wrong/i.test(said)) fail(`bot replied "${said.slice(0, 80)}" to "${text}"`);
          }
          count('bot updates');
        },
      ],
      [
        5,
        async (user, n) => {
          // The alarm fires 30–90 s from now, inside the run unless the run is nearly over.
          const inSeconds = 30 + (n % 60);
          const event = reminderEvent(n, inSeconds);
          const response = await dav(server.baseUrl, user, `${user.calendarPath}${event.href}`, {
            method: 'PUT',
            body: event.ics,
          });
          await response.arrayBuffer();
          if (response.status !== 201) return fail(`reminder PUT ${response.status}`);
          reminders.set(event.summary, Date.now() + inSeconds * 1000);
          count('reminder events');
        },
      ],
    ];
    const weights = actions.reduce((sum, [w]) => sum + w, 0);
    const pick = (n: number) => {
      let r = (n * 2_654_435_761) % weights;
      for (const [w, action] of actions) {
        if (r < w) return action;
        r -= w;
      }
      return actions[0]?.[1] as (typeof actions)[number][1];
    };

    const cpuBefore = processCpuSeconds(pid) ?? 0;
    const durationMs = minutes * 60_000;
    const loadStart = Date.now();
    rss.push(['load: start', rssMb(pid)]);
    let n = 0;
    let middleTaken = false;
    const inFlight = new Set<Promise<void>>();
    while (Date.now() - loadStart < durationMs) {
      const user = soakUsers[n % soakUsers.length] as SoakUser;
      const job = pick(n)(user, n)
        .catch((error: unknown) => fail(`request failed: ${String(error)}`))
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
      n++;
      if (!middleTaken && Date.now() - loadStart >= durationMs / 2) {
        rss.push(['load: middle', rssMb(pid)]);
        middleTaken = true;
      }
      await sleep(1000 / rate);
    }
    await Promise.all(inFlight);
    rss.push(['load: end', rssMb(pid)]);
    const cpu = (processCpuSeconds(pid) ?? 0) - cpuBefore;

    // Every reminder whose alarm fell before now (20 s of slack) is sent once.
    await sleep(100_000);
    // A reminder says when the event starts ("in 10 min"); agendas list the same summaries without.
    const sent = emulator
      .calls('sendMessage')
      .map((call) => String(call.params.text ?? ''))
      .filter((text) => /\b(in \d+ min|now|started \d+ min ago|late by \d+ min)\b/.test(text));
    for (const [summary, due] of reminders) {
      if (due > Date.now() - 20_000) continue;
      const times = sent.filter((text) => new RegExp(`\\b${summary}\\b`).test(text)).length;
      if (times !== 1) fail(`reminder "${summary}" sent ${times} times`);
      else count('reminders sent once');
    }
    rss.push(['idle after the load', rssMb(pid)]);
    for (const line of server.output().split('\n')) {
      if (/"level":(50|60)/.test(line)) fail(`server log: ${line.slice(0, 200)}`);
    }

    process.stdout.write(`\n${n} actions over ${minutes} min (${rate}/s), server CPU ${cpu.toFixed(1)} s\n`);
    for (const [name, value] of [...counts].sort()) process.stdout.write(`  ${name.padEnd(24)} ${value}\n`);
    process.stdout.write('\nserver RSS (VmRSS):\n');
    for (const [when, mb] of rss) process.stdout.write(`  ${when.padEnd(24)} ${mb} MB\n`);
    process.stdout.write(errors.length === 0 ? '\nerrors: none\n' : `\nerrors:\n  ${errors.join('\n  ')}\n`);
    process.exitCode = errors.length === 0 ? 0 : 1;
  } finally {
    await server.stop();
    await emulator.close();
    await bench?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
