// `npm run bench:web -- [--n 5000] [--loads 10] [--requests 100]`: the web app's budgets (issue 11
// item 12) on real PostgreSQL. Seeds one calendar, starts `televent serve` against it, signs in with
// a login link and measures, in Debian's headless chromium, the time from navigation until the month
// view shows its events; then GET /api/events for that month's range, one request at a time; then
// the JavaScript the first load needs, gzip-compressed as the server sends it.
import { readFileSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureWebAppBuilt, webAppDist } from '../src/http/web-app.ts';
import { createLogger } from '../src/observability/logger.ts';
import { runTelevent, startTelevent } from '../test/support/run-televent.ts';
import { launchChromium } from '../test/web/browser.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import { seedCalendar } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    loads: { type: 'string', default: '10' },
    requests: { type: 'string', default: '100' },
  },
});
const n = Number(values.n);
const loads = Number(values.loads);
const requests = Number(values.requests);
const userId = 1101;
const timeZone = 'Europe/Berlin';
// The seed spreads events a year either side of its origin: today's month is full of them.
const origin = new Date();
const budgets = { monthViewMs: 1000, eventsP50Ms: 30, firstLoadJsKb: 200 };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
const median = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    0.5,
  );

/** The JavaScript index.html loads (the entry and its preloads), by the size of their .gz files. */
function firstLoadJs(): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(webAppDist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const gzipBytes = files.reduce((sum, file) => sum + statSync(join(webAppDist, `${file}.gz`)).size, 0);
  return { files, gzipBytes };
}

async function main() {
  await ensureWebAppBuilt(createLogger('silent'));
  const database = await openBenchDatabase();
  try {
    await database.services.accounts.ensureUser({ telegramId: userId, timeZone });
    const seedStart = Date.now();
    await seedCalendar(database.services, userId, n, origin);
    process.stdout.write(`seeded ${n} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);

    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
    const server = await startTelevent(env, ['--roles', 'http']);
    const browser = await launchChromium();
    try {
      const link = await runTelevent(['login-link', '--telegram-id', String(userId)], env);
      const path = /\/auth\/link\/\S+/.exec(link.stdout)?.[0];
      if (!path) throw new Error(`no login link: ${link.stdout}${link.stderr}`);
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        timezoneId: timeZone,
      });
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByText('Signed in as').waitFor();

      // Navigation → the month view showing its events. The first load fetches the hashed assets;
      // the later ones find them in the browser cache (immutable), as a returning person does.
      let range = { start: '', end: '' };
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/api/events') {
          range = { start: url.searchParams.get('start') ?? '', end: url.searchParams.get('end') ?? '' };
        }
      });
      const monthView: number[] = [];
      let shown = 0;
      for (let i = 0; i <= loads; i++) {
        const started = performance.now();
        await page.goto(`${server.baseUrl}/app/`);
        await page.locator('.calendar-event').first().waitFor();
        const elapsed = performance.now() - started;
        shown = await page.locator('.calendar-event').count();
        if (i === 0) process.stdout.write(`first (cold) load: ${elapsed.toFixed(0)} ms\n`);
        else monthView.push(elapsed);
      }
      const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      await context.close();

      // GET /api/events for the month's range, exactly as the page asked for it.
      const url = `${server.baseUrl}/api/events?${new URLSearchParams(range).toString()}`;
      const timings: number[] = [];
      let occurrences = 0;
      for (let i = 0; i < requests + 10; i++) {
        const started = performance.now();
        const response = await fetch(url, { headers: { cookie: cookies, accept: 'application/json' } });
        const body = (await response.json()) as { occurrences: unknown[] };
        if (!response.ok) throw new Error(`GET /api/events answered ${response.status}`);
        if (i >= 10) timings.push(performance.now() - started);
        occurrences = body.occurrences.length;
      }
      const sorted = [...timings].sort((a, b) => a - b);
      const js = firstLoadJs();

      const rows = [
        [
          'month view shows its events (p50 of warm loads)',
          `${median(monthView).toFixed(0)} ms`,
          `≤ ${budgets.monthViewMs} ms`,
          median(monthView) <= budgets.monthViewMs,
        ],
        [
          'GET /api/events, one month (p50)',
          `${percentile(sorted, 0.5).toFixed(1)} ms (p95 ${percentile(sorted, 0.95).toFixed(1)} ms)`,
          `≤ ${budgets.eventsP50Ms} ms`,
          percentile(sorted, 0.5) <= budgets.eventsP50Ms,
        ],
        [
          'first-load JavaScript, gzip',
          `${(js.gzipBytes / 1024).toFixed(1)} KB`,
          `≤ ${budgets.firstLoadJsKb} KB`,
          js.gzipBytes / 1024 <= budgets.firstLoadJsKb,
        ],
      ] as const;
      process.stdout.write(
        `\n${n} events on PostgreSQL; the month (${range.start} … ${range.end}) lists ${occurrences} occurrences, ${shown} shown\n` +
          `${loads} navigations, ${requests} requests; JavaScript: ${js.files.join(', ')}\n` +
          `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}\n\n` +
          `| measure | result | budget | |\n| --- | --- | --- | --- |\n` +
          rows
            .map(
              ([name, result, budget, ok]) =>
                `| ${name} | ${result} | ${budget} | ${ok ? 'met' : 'MISSED'} |`,
            )
            .join('\n') +
          '\n',
      );
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

await main();
