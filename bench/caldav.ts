// `npm run bench:caldav -- --n 5000 [--duration 5]`: seeds one calendar on real PostgreSQL, starts
// `televent serve` against it and measures CalDAV requests at concurrency 1 and 16 with autocannon,
// next to a bare node:http server returning the same GET bytes.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { freePort, startTelevent } from '../test/support/run-televent.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import { type Measurement, measure, printTable } from './support/measure.ts';
import { sampleEvent, seedCalendar } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, duration: { type: 'string', default: '5' } },
});
const n = Number(values.n);
const duration = Number(values.duration);
const userId = 1001;
const origin = new Date('2026-06-01T00:00:00Z');

function report(xml: string): { body: string; headers: Record<string, string> } {
  return {
    body: `<?xml version="1.0" encoding="utf-8"?>\n${xml}`,
    headers: { 'content-type': 'application/xml; charset=utf-8' },
  };
}

function firstHref(xml: string, property: string): string {
  const match = new RegExp(`<(?:\\w+:)?${property}[^>]*>\\s*<(?:\\w+:)?href>([^<]+)<`, 'i').exec(xml);
  if (!match?.[1]) throw new Error(`no ${property} in ${xml.slice(0, 500)}`);
  return match[1];
}

async function dav(baseUrl: string, path: string, method: string, auth: string, body: string, depth: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: auth, depth, 'content-type': 'application/xml; charset=utf-8' },
    body,
  });
  return response.text();
}

async function main() {
  const database = await openBenchDatabase();
  await database.services.accounts.ensureUser({ telegramId: userId, timeZone: 'Europe/Berlin' });
  const device = await database.services.devices.createDevice(userId, 'bench');
  const seedStart = Date.now();
  const { hrefs } = await seedCalendar(database.services, userId, n, origin);
  process.stdout.write(`seeded ${n} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);

  // One user sends everything here, far past the per-user CalDAV rate limit: this measures throughput.
  const server = await startTelevent(
    { DATABASE_URL: database.url, LOG_LEVEL: 'warn', CALDAV_RATE_LIMIT_BURST: '1000000' },
    ['--roles', 'http'],
  );
  const auth = `Basic ${Buffer.from(`${userId}:${device.password}`).toString('base64')}`;
  try {
    const propfind = (props: string) =>
      `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"><d:prop>${props}</d:prop></d:propfind>`;
    const root = await dav(
      server.baseUrl,
      '/',
      'PROPFIND',
      auth,
      propfind('<d:current-user-principal/>'),
      '0',
    );
    const principal = firstHref(root, 'current-user-principal');
    const home = firstHref(
      await dav(server.baseUrl, principal, 'PROPFIND', auth, propfind('<c:calendar-home-set/>'), '0'),
      'calendar-home-set',
    );
    const listing = await dav(server.baseUrl, home, 'PROPFIND', auth, propfind('<d:resourcetype/>'), '1');
    const calendarPath = [...listing.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/gi)]
      .map((m) => m[1] ?? '')
      .find((href) => href !== home && href.startsWith(home));
    if (!calendarPath) throw new Error(`no calendar under ${home}`);
    const objectPath = (i: number) => `${calendarPath}${encodeURIComponent(hrefs[i % hrefs.length] ?? '')}`;

    const tokenXml = await dav(
      server.baseUrl,
      calendarPath,
      'PROPFIND',
      auth,
      propfind('<d:sync-token/>'),
      '0',
    );
    const token = /<(?:\w+:)?sync-token>([^<]+)</i.exec(tokenXml)?.[1];
    if (!token) throw new Error(`no sync-token in ${tokenXml}`);
    const changed = sampleEvent(1, origin);
    await fetch(`${server.baseUrl}${objectPath(1)}`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'text/calendar; charset=utf-8' },
      body: changed.ics.replace('SUMMARY:Event 1', 'SUMMARY:Event 1 (changed)'),
    });

    const week = ['20260601T000000Z', '20260608T000000Z'];
    const month = ['20260601T000000Z', '20260701T000000Z'];
    const calendarQuery = ([start, end]: string[]) =>
      report(
        `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
      );
    const multiget = (first: number) =>
      report(
        `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${Array.from(
          { length: 50 },
          (_, k) => `<d:href>${objectPath(first + k)}</d:href>`,
        ).join('')}</c:calendar-multiget>`,
      );
    let counter = 0;
    // Every object once, in a scattered order, as static requests: autocannon builds each request
    // once instead of per send, so the load generator (on the same 2 cores) is not what is measured.
    const getRequests: autocannon.Request[] = Array.from({ length: n }, (_, i) => ({
      method: 'GET',
      path: objectPath(i * 7),
    }));
    // Writes come last: the sync-collection scenario must see exactly the one change made above.
    const scenarios: Array<{ name: string; requests: autocannon.Request[] }> = [
      { name: 'GET object', requests: getRequests },
      {
        name: 'PROPFIND Depth 1 (getetag, getcontenttype)',
        requests: [
          {
            method: 'PROPFIND',
            path: calendarPath,
            headers: { depth: '1', 'content-type': 'application/xml' },
            body: propfind('<d:getetag/><d:getcontenttype/>'),
          },
        ],
      },
      {
        name: 'calendar-query, one week, with calendar-data',
        requests: [{ method: 'REPORT', path: calendarPath, ...withDepth(calendarQuery(week)) }],
      },
      {
        name: 'calendar-query, one month, with calendar-data',
        requests: [{ method: 'REPORT', path: calendarPath, ...withDepth(calendarQuery(month)) }],
      },
      {
        name: 'calendar-multiget of 50',
        requests: [
          {
            method: 'REPORT',
            setupRequest: (r) => {
              const request = withDepth(multiget((counter++ * 50) % n));
              return {
                ...r,
                path: calendarPath,
                body: request.body,
                headers: { ...r.headers, ...request.headers },
              };
            },
          },
        ],
      },
      {
        name: 'sync-collection, incremental after one change',
        requests: [
          {
            method: 'REPORT',
            path: calendarPath,
            ...withDepth(
              report(
                `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
              ),
            ),
          },
        ],
      },
      {
        name: 'PROPFIND Depth 0 getctag',
        requests: [
          {
            method: 'PROPFIND',
            path: calendarPath,
            headers: { depth: '0', 'content-type': 'application/xml' },
            body: propfind('<cs:getctag/>'),
          },
        ],
      },
      {
        name: 'PUT update',
        requests: [
          {
            method: 'PUT',
            setupRequest: (r) => {
              const i = (counter++ * 13) % Math.min(n, 1000);
              const event = sampleEvent(i, origin);
              return {
                ...r,
                path: objectPath(i),
                headers: { ...r.headers, 'content-type': 'text/calendar; charset=utf-8' },
                body: event.ics.replace(`SUMMARY:Event ${i}`, `SUMMARY:Event ${i} v${counter}`),
              };
            },
          },
        ],
      },
    ];

    const rows: Measurement[] = [];
    for (const scenario of scenarios) {
      for (const connections of [1, 16]) {
        rows.push(await measure(server.baseUrl, scenario, connections, duration, { authorization: auth }));
      }
    }

    // The same GET bytes from a bare node:http server, for scale.
    const sample = await (
      await fetch(`${server.baseUrl}${objectPath(7)}`, { headers: { authorization: auth } })
    ).text();
    const port = await freePort();
    const baseline = spawn(
      process.execPath,
      [
        '-e',
        `const b=Buffer.from(process.env.BODY,'base64');require('node:http').createServer((q,s)=>{s.writeHead(200,{'content-type':'text/calendar; charset=utf-8',etag:'"x"'});s.end(b)}).listen(${port},'127.0.0.1',()=>process.stdout.write('ready\\n'))`,
      ],
      {
        env: { ...process.env, BODY: Buffer.from(sample).toString('base64') },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => baseline.stdout?.once('data', () => resolve()));
    // Driven exactly like the Televent GET (same requests, same headers, same connections).
    const bare = await measure(
      `http://127.0.0.1:${port}`,
      { name: 'bare node:http GET', requests: getRequests },
      16,
      duration,
      { authorization: auth },
    );
    baseline.kill();
    rows.push(bare);

    printTable(`CalDAV benchmark, N = ${n}, ${new Date().toISOString().slice(0, 10)}, PostgreSQL`, rows);
    const get16 = rows.find((r) => r.name === 'GET object' && r.connections === 16);
    if (get16) {
      process.stdout.write(
        `Televent GET at c=16 is ${Math.round((100 * get16.requestsPerSecond) / bare.requestsPerSecond)}% of the bare node:http baseline.\n`,
      );
    }
  } finally {
    await server.stop();
    await database.drop();
  }
}

function withDepth(request: { body: string; headers: Record<string, string> }) {
  return { body: request.body, headers: { ...request.headers, depth: '1' } };
}

await main();
