// `npm run bench:bot -- [--users 20] [--events 200] [--rounds 25] [--rate 300]`: seeds users with
// `--events` events each on real PostgreSQL, starts the bot against the local Bot API emulator and
// runs two loads of users × rounds updates (/today, quick adds, /week):
// - closed loop: every user chats at once, each waiting for the reply before the next message, so
//   the rate is what the bot manages with that many users in flight;
// - paced (open loop): updates arrive at `--rate` per second (round robin over the users) whether
//   or not earlier ones were answered, so its p99 is the latency *at that rate* (`--rate 0`: skip).
// Outgoing flood control is off: Telegram itself allows about 30 messages/s per bot, so this
// measures the bot, not Telegram.
//
// How it is measured: the clock starts when the update is queued at the emulator (the bot's long
// poll is woken by it) and stops when the bot's sendMessage for that chat arrives at the emulator,
// so the figure includes polling, handling, the database and the HTTP call. Every reply is
// checked to be the expected one (an agenda, or the quick-add preview), and each update must get
// exactly one message, so a failure or a stray message cannot pass as a fast answer. CPU is this
// process (bot and emulator together; PostgreSQL is not included) per update, and statements are
// those the bot sent to the database per update: both depend less than latency on what else the
// machine runs.
import { parseArgs } from 'node:util';
import type { KyselyPlugin } from 'kysely';
import { createBotSupport } from '../src/app/bot-support.ts';
import { createServices } from '../src/app/services.ts';
import { startBot } from '../src/bot/start-bot.ts';
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
    rate: { type: 'string', default: '300' },
  },
});
const users = Number(values.users);
const events = Number(values.events);
const rounds = Number(values.rounds);
const rate = Number(values.rate);
const messages = process.env.BENCH_BOT_MESSAGES?.split('|') ?? [
  '/today',
  'Coffee with Sam tomorrow at 10am for 30m at Cafe Nero',
  '/today',
  '/week',
];

/** The reply a user expects: an agenda for a command, the Save/Edit/Cancel preview for a quick add. */
function looksRight(sent: string, reply: string): boolean {
  if (sent === '/today') return reply.startsWith('Today');
  if (sent === '/week') return reply.startsWith('The next 7 days');
  if (sent.startsWith('/')) return !/something went wrong|did not accept/i.test(reply);
  return reply.endsWith('Save this event?');
}

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

    // The bot's database handle counts the statements it sends (round trips per update).
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const botDb = database.handle.db.withPlugin(counter);
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot });
    const bot = await startBot({
      services: createServices(botDb),
      config,
      logger: createLogger('warn'),
      ...createBotSupport(botDb),
      throttle: false,
    });
    const unexpected: string[] = [];
    const check = (text: string, reply: { plain_text?: string }) => {
      if (!looksRight(text, reply.plain_text ?? '')) unexpected.push(`${text} → ${reply.plain_text}`);
    };
    const chat = async (id: number, count: number, latencies: number[]) => {
      const from = { id, first_name: `U${id}` };
      for (let i = 0; i < count; i += 1) {
        const text = messages[i % messages.length] ?? '/today';
        const started = performance.now();
        emulator.sendText(from, text);
        const reply = await emulator.waitForMessage(id, undefined, 30_000);
        latencies.push(performance.now() - started);
        check(text, reply);
      }
    };
    /** Updates sent on a fixed schedule; each user's replies are awaited in order (one per update). */
    const paced = async (perSecond: number, total: number, latencies: number[]) => {
      const tails = new Map<number, Promise<void>>();
      const begin = performance.now();
      for (let k = 0; k < total; k += 1) {
        const wait = begin + (k * 1000) / perSecond - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const id = ids[k % ids.length] ?? 0;
        const text = messages[Math.floor(k / ids.length) % messages.length] ?? '/today';
        const sentAt = performance.now();
        emulator.sendText({ id, first_name: `U${id}` }, text);
        // The waiter for this update is registered as soon as the previous reply of this chat
        // arrived, before this reply can (the bot answers a user's updates in order).
        const tail = (tails.get(id) ?? Promise.resolve()).then(async () => {
          const reply = await emulator.waitForMessage(id, undefined, 30_000);
          latencies.push(performance.now() - sentAt);
          check(text, reply);
        });
        tails.set(id, tail);
      }
      await Promise.all(tails.values());
    };
    const measure = async (run: (latencies: number[]) => Promise<void>) => {
      const latencies: number[] = [];
      const cpuBefore = process.cpuUsage();
      const queriesBefore = queries;
      const started = performance.now();
      await run(latencies);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      latencies.sort((a, b) => a - b);
      return [
        Math.round(latencies.length / seconds),
        percentile(latencies, 50).toFixed(1),
        percentile(latencies, 99).toFixed(1),
        (latencies.at(-1) ?? 0).toFixed(1),
        ((cpu.user + cpu.system) / 1000 / latencies.length).toFixed(2),
        ((queries - queriesBefore) / latencies.length).toFixed(2),
      ].join(' | ');
    };

    await Promise.all(ids.map((id) => chat(id, 2, []))); // warm-up: caches, pool, JIT
    const closed = await measure((latencies) =>
      Promise.all(ids.map((id) => chat(id, rounds, latencies))).then(() => undefined),
    );
    const open = rate > 0 ? await measure((latencies) => paced(rate, users * rounds, latencies)) : undefined;
    await bot.stop();
    const expected = 2 + rounds + (open ? rounds : 0);
    const extra = ids.filter((id) => emulator.sentMessages(id).length !== expected);
    if (unexpected.length > 0 || extra.length > 0) {
      throw new Error(
        `wrong replies: ${JSON.stringify(unexpected.slice(0, 3))}; chats with a reply count other than one per update: ${extra.length}`,
      );
    }
    const lines = [
      `\nbot: ${users} users, ${events} events each, ${users * rounds} updates per row (every reply checked)`,
      '| load | updates/s | p50 ms | p99 ms | max ms | CPU ms/update (bot + emulator) | DB statements/update |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| closed loop, ${users} users in flight | ${closed} |`,
      ...(open ? [`| paced at ${rate} updates/s | ${open} |`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await emulator.close();
    await database.drop();
  }
}

await main();
