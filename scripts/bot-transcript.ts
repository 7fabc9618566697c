// `npx tsx scripts/bot-transcript.ts`: a real chat with the real server, printed as a transcript.
// Starts `televent serve` on a fresh embedded database (PGlite in a temporary DATA_DIR) with its
// bot pointed at the local Bot API emulator (TELEGRAM_API_ROOT), then plays one user through
// start → time zone → /create → /today → a reminder arriving → /device add → /export →
// /deleteaccount and prints every message the user sends and everything the bot answers (text,
// buttons, documents), and how late the reminder arrived.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startTelevent } from '../test/support/run-televent.ts';
import { type SentMessage, TelegramEmulator } from '../test/support/telegram-emulator.ts';

const user = { id: 4242, first_name: 'Ada', username: 'ada' };
/** After the first reply, further messages for the same action arrive within this quiet time. */
const quietMs = 1500;

function buttonRows(message: SentMessage): Array<Array<{ text: string; data: string }>> {
  const rows = (
    message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> }
  )?.inline_keyboard;
  return (rows ?? []).map((row) => row.map((b) => ({ text: b.text, data: b.callback_data ?? '' })));
}

function show(message: SentMessage): string {
  const lines: string[] = [];
  const label = message.edited ? 'Bot (edits its message)' : 'Bot';
  if (message.document) {
    const { file_name, content } = message.document;
    lines.push(`${label}: 📎 ${file_name} (${content.length} bytes)`);
    if (message.plain_text) lines.push(...message.plain_text.split('\n').map((l) => `    ${l}`));
  } else {
    const [first = '', ...rest] = (message.plain_text ?? '').split('\n');
    lines.push(`${label}: ${first}`, ...rest.map((l) => (l === '' ? '' : `    ${l}`)));
  }
  for (const row of buttonRows(message)) lines.push(`    ${row.map((b) => `[${b.text}]`).join(' ')}`);
  return lines.join('\n');
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'televent-transcript-'));
  const telegram = await TelegramEmulator.start();
  let server: RunningServer | undefined;
  const out: string[] = [];
  const print = (text: string) => {
    out.push(text);
    process.stdout.write(`${text}\n`);
  };
  /** Every message (or edit) the bot sends for one action: the first, then any that follow closely. */
  const answers = async (): Promise<SentMessage[]> => {
    const got = [await telegram.waitForMessage(user.id, undefined, 15_000)];
    for (;;) {
      try {
        got.push(await telegram.waitForMessage(user.id, undefined, quietMs));
      } catch {
        return got;
      }
    }
  };
  const shown = (messages: SentMessage[]) => {
    for (const m of messages) print(show(m));
    print('');
    return messages;
  };
  const say = async (text: string) => {
    print(`Ada: ${text}`);
    telegram.sendText(user, text);
    return shown(await answers());
  };
  const press = async (messages: SentMessage[], data: string) => {
    const message = [...messages].reverse().find((m) =>
      buttonRows(m)
        .flat()
        .some((b) => b.data === data),
    );
    const button =
      message &&
      buttonRows(message)
        .flat()
        .find((b) => b.data === data);
    if (!message || !button) throw new Error(`no button ${data} in the last answer`);
    print(`Ada: (taps [${button.text}])`);
    telegram.sendCallback(user, data, message);
    return shown(await answers());
  };

  try {
    server = await startTelevent({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    print(
      `(televent serve on ${server.baseUrl}, embedded PGlite, bot talking to the local Bot API emulator)\n`,
    );

    const welcome = await say('/start');
    await press(welcome, 'tz:Europe/Berlin');
    await say('/timezone Munich');

    await say('/create');
    await say('Team dinner');
    await say('today at 18:00');
    await say('1h 30m');
    await say('/skip'); // does not repeat
    await say('/skip'); // the default reminder
    await say('/skip'); // no notes
    await say('Cafe Central, Vienna');

    await say('/today');

    // An event 17 minutes ahead (whole minutes, Berlin time): its default reminder (15 minutes
    // before) falls due in about two minutes; the worker inside `serve` sends it.
    const start = new Date(Math.ceil((Date.now() + 17 * 60_000) / 60_000) * 60_000);
    const due = new Date(start.getTime() - 15 * 60_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(start);
    await say('/create');
    await say('Call with Anna');
    await say(local);
    await say('30m');
    await say('/skip');
    await say('/skip');
    await say('/skip');
    await say('/skip');
    print(`(waiting for the reminder, due ${due.toISOString()})`);
    const reminder = await telegram.waitForMessage(
      user.id,
      (m) => m.plain_text?.includes('⏰') ?? false,
      240_000,
    );
    const arrived = new Date();
    print(show(reminder));
    print(
      `(arrived ${arrived.toISOString()}: ${((arrived.getTime() - due.getTime()) / 1000).toFixed(2)} s after it was due)\n`,
    );

    await say('/device add laptop');
    await say('/device list');

    await say('/export');

    const ask = await say('/deleteaccount');
    await press(ask, 'acct:delete');
    await say('/today');
  } finally {
    await server?.stop();
    await telegram.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
