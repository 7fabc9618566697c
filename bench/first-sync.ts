// `npm run bench:first-sync -- --n 5000 [--clients 3]`: seeds one calendar of `n` realistic events on
// real PostgreSQL, starts `televent serve` with the default CalDAV rate limit, and runs `clients`
// DAVx5-style first syncs of it at once (discovery, sync-collection, calendar-multiget of 10 hrefs at a
// time). Prints each client's requests, how many were refused (503) and how long it all took; exits 1
// if anything was refused or missing, since the default burst is meant to hold exactly this.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { davx5FirstSync, davx5FirstSyncRequests } from '../test/support/first-sync-clients.ts';
import { startTelevent } from '../test/support/run-televent.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import { seedCalendar } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, clients: { type: 'string', default: '3' } },
});
const n = Number(values.n);
const clients = Number(values.clients);
const userId = 1001;

async function main() {
  const database = await openBenchDatabase();
  await database.services.accounts.ensureUser({ telegramId: userId, timeZone: 'Europe/Berlin' });
  const device = await database.services.devices.createDevice(userId, 'bench');
  const seedStart = Date.now();
  await seedCalendar(database.services, userId, n, new Date('2026-06-01T00:00:00Z'));
  process.stdout.write(`seeded ${n} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);

  const server = await startTelevent({ DATABASE_URL: database.url, LOG_LEVEL: 'warn' }, ['--roles', 'http']);
  const authorization = `Basic ${Buffer.from(`${userId}:${device.password}`).toString('base64')}`;
  try {
    const { CALDAV_RATE_LIMIT_BURST: burst, CALDAV_RATE_LIMIT_PER_MINUTE: perMinute } = loadConfig({});
    process.stdout.write(
      `default limit: burst ${burst}, ${perMinute}/min; expected per client: ${davx5FirstSyncRequests(n)} requests\n`,
    );
    const started = Date.now();
    const syncs = await Promise.all(
      Array.from({ length: clients }, () =>
        davx5FirstSync(
          (method, path, body, depth) =>
            fetch(`${server.baseUrl}${path}`, {
              method,
              headers: { authorization, depth, 'content-type': 'application/xml; charset=utf-8' },
              body,
            }),
          userId,
        ),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    let failed = false;
    for (const [i, sync] of syncs.entries()) {
      const refused = sync.statuses.filter((status) => status === 503).length;
      const otherErrors = sync.statuses.filter((status) => status >= 400 && status !== 503).length;
      failed ||= refused > 0 || otherErrors > 0 || sync.fetched.size !== n;
      process.stdout.write(
        `client ${i + 1}: ${sync.statuses.length} requests, ${refused} refused (503), ${otherErrors} other errors, ${sync.fetched.size}/${n} events fetched\n`,
      );
    }
    const total = syncs.reduce((sum, sync) => sum + sync.statuses.length, 0);
    process.stdout.write(
      `${clients} clients: ${total} requests in ${seconds.toFixed(1)} s (burst ${burst})\n`,
    );
    if (failed) process.exitCode = 1;
  } finally {
    await server.stop();
    await database.drop();
  }
}

await main();
