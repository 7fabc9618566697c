// `npm run bench:bot -- [--users 20] [--events 200] [--rounds 25]`: seeds users with `--events`
// events each on real PostgreSQL, starts the bot against the local Bot API emulator and lets every
// user chat at once (/today, quick adds, /week), each waiting for the reply before the next
// message. Reports updates/s and the time from update to reply. Outgoing flood control is off:
// Telegram itself allows about 30 messages/s per bot, so this measures the bot, not Telegram.
import { parseArgs } from 'node:util';
import { createBotSupport } from '../src/app/bot-support.ts';
import { startBot } from '../src/bot/create-bot.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/observability/logger.ts';
import { TelegramEmulator } from '../test/support/telegram-emulator.ts';
import { openBenchDatabase } from './support/bench-database.ts';
import { seedCalendar } from './support/seed-calendar.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20' },
    events: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '25' },
  },
});
const users = Number(values.users);
const events = Number(values.events);
const rounds = Number(values.rounds);
const messages = process.env.BENCH_BOT_MESSAGES?.split('|') ?? [
  '/today',
  'Coffee with Sam tomorrow at 10am for 30m at Cafe Nero',
  '/today',
  '/week',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const database = await openBenchDatabase();
  const emulator = await TelegramEmulator.start();
  try {
    const seedStart = Date.now();
    const ids = Array.from({ length: users }, (_, i) => 700_000 + i);
    for (const id of ids) {
      await database.services.accounts.ensureUser({
        telegramId: id,
        firstName: `U${id}`,
        timeZone: 'Europe/Berlin',
      });
      await seedCalendar(database.services, id, events, new Date());
    }
    process.stdout.write(
      `seeded ${users} users × ${events} events in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );

    const config = loadConfig({ TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot });
    const bot = await startBot({
      services: database.services,
      config,
      logger: createLogger('warn'),
      ...createBotSupport(database.handle.db),
      throttle: false,
    });
    const chat = async (id: number, count: number, latencies: number[]) => {
      const from = { id, first_name: `U${id}` };
      for (let i = 0; i < count; i += 1) {
        const started = performance.now();
        emulator.sendText(from, messages[i % messages.length] ?? '/today');
        await emulator.waitForMessage(id, undefined, 30_000);
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(ids.map((id) => chat(id, 2, []))); // warm-up: caches, pool, JIT
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(ids.map((id) => chat(id, rounds, latencies)));
    const seconds = (performance.now() - started) / 1000;
    await bot.stop();
    latencies.sort((a, b) => a - b);
    const lines = [
      `\nbot: ${users} users chatting at once, ${events} events each, ${latencies.length} updates`,
      '| updates/s | p50 ms | p99 ms | max ms |',
      '| ---: | ---: | ---: | ---: |',
      `| ${Math.round(latencies.length / seconds)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${(latencies.at(-1) ?? 0).toFixed(1)} |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await emulator.close();
    await database.drop();
  }
}

await main();
