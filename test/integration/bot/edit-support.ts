import { mkdirSync, writeFileSync } from 'node:fs';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import type { SentMessage, TelegramUser } from '../../support/telegram-emulator.ts';
import { buildTestServer } from '../http/build-test-server.ts';
import type { BotHarness } from './bot-harness.ts';

/** The CalDAV door on the bot's own services, read the way a calendar app reads an object. */
export interface CaldavReader {
  /** The object's iCalendar text as GET answers it, folded lines joined. */
  get(userId: number, hrefName: string): Promise<string>;
  close(): Promise<void>;
}

export async function startCaldavReader(h: BotHarness): Promise<CaldavReader> {
  const logger = createLogger('silent');
  const { app } = await buildTestServer(h.database, {
    registerRootRoutes: (root) => registerCaldav(root, { services: h.services, config: h.config, logger }),
  });
  const passwords = new Map<number, string>();
  return {
    async get(userId, hrefName) {
      let password = passwords.get(userId);
      if (!password) {
        password = (await h.services.devices.createDevice(userId, 'Thunderbird')).password;
        passwords.set(userId, password);
      }
      const calendar = await h.services.calendars.defaultCalendar(userId);
      const response = await app.inject({
        method: 'GET',
        url: `/calendars/${userId}/${calendar.slug}/${encodeURIComponent(hrefName)}`,
        headers: { authorization: `Basic ${Buffer.from(`${userId}:${password}`).toString('base64')}` },
      });
      if (response.statusCode !== 200) throw new Error(`CalDAV GET ${hrefName}: ${response.statusCode}`);
      return response.body.replace(/\r\n[ \t]/g, '');
    },
    close: () => app.close(),
  };
}

function buttonRows(message: SentMessage): Array<Array<{ text: string; data: string }>> {
  const rows = (
    message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> }
  )?.inline_keyboard;
  return (rows ?? []).map((row) => row.map((b) => ({ text: b.text, data: b.callback_data ?? '' })));
}

/**
 * A conversation as the user sees it (texts and buttons), recorded while a test plays it through
 * the emulator, in the format of scripts/bot-transcript.ts.
 */
export class Transcript {
  readonly #lines: string[];
  readonly #h: BotHarness;
  readonly #user: TelegramUser;
  readonly #name: string | undefined;

  /**
   * `name`: several people in one transcript (pass each one's Transcript the same `lines`): their
   * lines read "Olga: …" and "Bot → Olga: …" instead of "User: …" and "Bot: …".
   */
  constructor(h: BotHarness, user: TelegramUser, shared?: { name: string; lines: string[] }) {
    this.#h = h;
    this.#user = user;
    this.#name = shared?.name;
    this.#lines = shared?.lines ?? [];
  }

  note(text: string): void {
    this.#lines.push(`*${text}*`, '');
  }

  async say(text: string): Promise<SentMessage> {
    this.#lines.push(`${this.#name ?? 'User'}: ${text}`);
    return this.#bot(await this.#h.say(this.#user, text));
  }

  async press(message: SentMessage, data: string): Promise<SentMessage> {
    const button = buttonRows(message)
      .flat()
      .find((b) => b.data === data);
    this.#lines.push(`${this.#name ?? 'User'} presses [${button?.text ?? data}]`);
    return this.#bot(await this.#h.press(this.#user, message, data));
  }

  /** A message that reached the chat some other way (a reminder from the worker). */
  shown(message: SentMessage, label = this.#botLabel()): void {
    this.#show(message, label);
  }

  /** The next message the bot sends this person (one the worker sends), shown in the transcript. */
  async next(): Promise<SentMessage> {
    const message = await this.#h.next(this.#user);
    this.#show(message, this.#botLabel());
    return message;
  }

  #botLabel(): string {
    return this.#name ? `Bot → ${this.#name}` : 'Bot';
  }

  #bot(message: SentMessage): SentMessage {
    this.#show(message, message.edited ? `${this.#botLabel()} (edits its message)` : this.#botLabel());
    return message;
  }

  #show(message: SentMessage, label: string): void {
    const [first = '', ...rest] = (message.plain_text ?? '').split('\n');
    this.#lines.push(`${label}: ${first}`, ...rest.map((l) => (l === '' ? '' : `    ${l}`)));
    for (const row of buttonRows(message)) {
      if (row.length > 0) this.#lines.push(`    ${row.map((b) => `[${b.text}]`).join(' ')}`);
    }
    this.#lines.push('');
  }

  text(): string {
    return this.#lines.join('\n');
  }

  /** Writes the transcript under docs/transcripts/ when WRITE_TRANSCRIPTS=1 (for the closing note). */
  writeIfAsked(name: string, heading: string): void {
    if (process.env.WRITE_TRANSCRIPTS !== '1') return;
    const dir = new URL('../../../docs/transcripts/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    const body = ['```text', this.text().trimEnd(), '```'].join('\n');
    writeFileSync(new URL(name, dir), `${heading}\n\n${body}\n`);
  }
}
