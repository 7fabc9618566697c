import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Bot API server for tests: it speaks the HTTP protocol of api.telegram.org
 * (https://core.telegram.org/bots/api#making-requests) so the real bot can talk to it through
 * TELEGRAM_API_ROOT. Tests play the users (sendText, sendCallback, sendDocument) and read what
 * the bot sent (sentMessages, waitForMessage, calls).
 */

export interface TelegramUser {
  id: number;
  username?: string;
  first_name?: string;
}

export interface SentMessage {
  message_id: number;
  chat_id: number;
  /** The text exactly as the bot sent it (with HTML markup when parse_mode is HTML). */
  text?: string;
  /** The text as the user sees it: markup removed, entities decoded. */
  plain_text?: string;
  parse_mode?: string;
  reply_markup?: unknown;
  document?: { file_name: string; content: Buffer; mime_type?: string };
  caption?: string;
  edited?: boolean;
}

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}

export interface WebhookDelivery {
  update_id: number;
  status: number;
}

type Params = Record<string, unknown>;

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_name: string;
  mime_type: string;
  content: Buffer;
}

interface Waiter {
  chatId: number;
  predicate: (m: SentMessage) => boolean;
  resolve: (m: SentMessage) => void;
}

class ApiError extends Error {
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(failure.description);
    this.failure = failure;
  }
}

const badRequest = (description: string) =>
  new ApiError({ error_code: 400, description: `Bad Request: ${description}` });

// Fields that stay strings even when they look like JSON (a text "42" is text, not a number).
const stringFields = new Set([
  'text',
  'caption',
  'callback_query_id',
  'url',
  'secret_token',
  'file_id',
  'parse_mode',
  'document',
]);

const allowedTags = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);

/** Telegram's HTML style (https://core.telegram.org/bots/api#html-style): returns the plain text or throws. */
export function parseTelegramHtml(html: string): string {
  let plain = '';
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw badRequest(`can't parse entities: unclosed start tag at byte offset ${i}`);
      const tag = html.slice(i + 1, end);
      const closing = tag.startsWith('/');
      const name = (closing ? tag.slice(1) : tag).split(/\s/)[0]?.toLowerCase() ?? '';
      if (!allowedTags.has(name)) {
        throw badRequest(`can't parse entities: Unsupported start tag "${name}" at byte offset ${i}`);
      }
      if (closing) {
        if (open.pop() !== name)
          throw badRequest(`can't parse entities: Unmatched end tag at byte offset ${i}`);
      } else {
        open.push(name);
      }
      i = end + 1;
    } else if (ch === '&') {
      const match = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i));
      if (!match) throw badRequest(`can't parse entities: Character entity expected at byte offset ${i}`);
      const entity = match[1]?.toLowerCase() ?? '';
      plain +=
        entity === 'lt'
          ? '<'
          : entity === 'gt'
            ? '>'
            : entity === 'amp'
              ? '&'
              : entity === 'quot'
                ? '"'
                : String.fromCodePoint(
                    entity.startsWith('#x') ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
                  );
      i += match[0].length;
    } else {
      plain += ch;
      i += 1;
    }
  }
  if (open.length > 0)
    throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"`);
  return plain;
}

function checkKeyboard(markup: unknown): void {
  if (markup === undefined || markup === null) return;
  if (typeof markup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return;
  if (!Array.isArray(rows))
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  for (const row of rows) {
    if (!Array.isArray(row))
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const button of row as Array<Record<string, unknown>>) {
      if (typeof button.text !== 'string' || button.text === '')
        throw badRequest('text buttons are unallowed in the inline keyboard');
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data) > 64 || data === '')) {
        throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
}

function commandEntities(text: string): Array<{ type: string; offset: number; length: number }> {
  const match = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return match ? [{ type: 'bot_command', offset: 0, length: match[0].length }] : [];
}

interface MultipartPart {
  name: string;
  filename?: string;
  type: string;
  content: Buffer;
}

/**
 * A small multipart/form-data reader (RFC 7578). Written here rather than using fetch's
 * formData() because grammY sends `filename=x.ics` unquoted, which undici rejects but
 * Telegram accepts.
 */
function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const after = start + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, after);
    if (next < 0) break;
    // The part sits between the CRLF after the delimiter and the CRLF before the next one.
    const raw = body.subarray(after + 2, next - 2);
    const headerEnd = raw.indexOf('\r\n\r\n');
    const headerText = raw.subarray(0, headerEnd).toString('utf8');
    const content = raw.subarray(headerEnd + 4);
    const disposition = /content-disposition:\s*form-data\s*;(.*)/i.exec(headerText)?.[1] ?? '';
    const name = /(?:^|;)\s*name="?([^";\r\n]+)"?/i.exec(disposition)?.[1] ?? '';
    const filename = /filename="?([^";\r\n]*)"?/i.exec(disposition)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim() ?? '';
    parts.push({
      name,
      ...(filename === undefined ? {} : { filename }),
      type,
      content: Buffer.from(content),
    });
    start = next;
  }
  return parts;
}

function coerce(key: string, value: string): unknown {
  if (stringFields.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export class TelegramEmulator {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };

  private readonly server: Server;
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private nextFileId = 1;
  private readonly updates: Array<{ update_id: number } & Params> = [];
  private readonly pollers = new Set<() => void>();
  private readonly messages: SentMessage[] = [];
  /** Per chat: every send or edit in order, and how far waitForMessage has consumed them. */
  private readonly events = new Map<number, SentMessage[]>();
  private readonly cursors = new Map<number, number>();
  private readonly waiters = new Set<Waiter>();
  private readonly callLog: ApiCall[] = [];
  private readonly callbackIds = new Map<number, string>();
  private readonly failures = new Map<string, ApiFailure[]>();
  private readonly blockedChats = new Set<number>();
  private readonly files = new Map<string, StoredFile>();
  private webhook: { url: string; secret?: string } | undefined;
  private delivering = false;
  private readonly deliveries: WebhookDelivery[] = [];
  private closed = false;

  private constructor(server: Server, token: string) {
    const address = server.address() as AddressInfo;
    this.server = server;
    this.token = token;
    this.apiRoot = `http://127.0.0.1:${address.port}`;
    this.botUser = {
      id: Number(token.split(':')[0]),
      is_bot: true,
      first_name: 'Televent',
      username: 'televent_test_bot',
    };
  }

  static async start(options: { token?: string } = {}): Promise<TelegramEmulator> {
    const token = options.token ?? '123456789:TEST-emulator_token';
    let emulator: TelegramEmulator | undefined;
    const server = createServer((req, res) => {
      if (!emulator) {
        res.writeHead(503).end();
        return;
      }
      emulator.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    emulator = new TelegramEmulator(server, token);
    return emulator;
  }

  // ---- the test side: users acting -------------------------------------------------------

  sendText(from: TelegramUser, text: string): number {
    const entities = commandEntities(text);
    return this.queueUpdate({
      message: {
        ...this.incomingMessageBase(from),
        text,
        ...(entities.length > 0 ? { entities } : {}),
      },
    });
  }

  sendCallback(from: TelegramUser, data: string, message: SentMessage): number {
    const current = this.messages.find((m) => m.message_id === message.message_id) ?? message;
    const queryId = randomUUID();
    const updateId = this.queueUpdate({
      callback_query: {
        id: queryId,
        from: this.userObject(from),
        message: this.messageObject(current),
        chat_instance: String(from.id),
        data,
      },
    });
    this.callbackIds.set(updateId, queryId);
    return updateId;
  }

  sendDocument(
    from: TelegramUser,
    file: { fileName: string; mimeType: string; content: Buffer | string },
    caption?: string,
  ): number {
    const stored = this.storeFile(file.fileName, file.mimeType, Buffer.from(file.content));
    return this.queueUpdate({
      message: {
        ...this.incomingMessageBase(from),
        document: {
          file_id: stored.file_id,
          file_unique_id: stored.file_unique_id,
          file_name: stored.file_name,
          mime_type: stored.mime_type,
          file_size: stored.content.length,
        },
        ...(caption === undefined ? {} : { caption }),
      },
    });
  }

  /** The my_chat_member update Telegram sends when a user blocks ('kicked') or unblocks ('member') the bot. */
  sendChatMemberUpdate(from: TelegramUser, status: 'kicked' | 'member'): number {
    const user = this.userObject(from);
    const date = Math.floor(Date.now() / 1000);
    return this.queueUpdate({
      my_chat_member: {
        chat: { id: from.id, type: 'private', first_name: user.first_name },
        from: user,
        date,
        old_chat_member: {
          user: this.botUser,
          status: status === 'kicked' ? 'member' : 'kicked',
          ...(status === 'kicked' ? {} : { until_date: 0 }),
        },
        new_chat_member: { user: this.botUser, status, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    });
  }

  /** Every following send to this chat fails with 403, as when the user blocked the bot. */
  block(chatId: number): void {
    this.blockedChats.add(chatId);
  }

  unblock(chatId: number): void {
    this.blockedChats.delete(chatId);
  }

  failNext(method: string, error: ApiFailure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(error);
    this.failures.set(method, queue);
  }

  // ---- the test side: reading what the bot did -------------------------------------------

  sentMessages(chatId?: number): SentMessage[] {
    return this.messages.filter((m) => chatId === undefined || m.chat_id === chatId).map((m) => ({ ...m }));
  }

  /**
   * The next message (or edit) in this chat, after the ones earlier calls returned, that
   * matches `predicate`; events skipped on the way are consumed too.
   */
  waitForMessage(
    chatId: number,
    predicate: (m: SentMessage) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<SentMessage> {
    const found = this.consume(chatId, predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        chatId,
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = (this.events.get(chatId) ?? []).map((m) => m.plain_text ?? m.caption ?? '(document)');
        reject(
          new Error(
            `no matching message in chat ${chatId} within ${timeoutMs} ms; chat so far: ${JSON.stringify(seen)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The bot's answerCallbackQuery for the callback update `updateId` (from sendCallback), if it answered. */
  callbackAnswer(updateId: number): ApiCall | undefined {
    const queryId = this.callbackIds.get(updateId);
    return this.callLog.find(
      (c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === queryId,
    );
  }

  calls(method?: string): ApiCall[] {
    return this.callLog.filter((c) => method === undefined || c.method === method);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return [...this.deliveries];
  }

  /** Updates queued and not yet confirmed by the bot (getUpdates offset) or delivered to the webhook. */
  pendingUpdateCount(): number {
    return this.updates.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.pollers) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the bot side: HTTP ----------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const filePrefix = `/file/bot${this.token}/`;
    if (req.method === 'GET' && url.pathname.startsWith(filePrefix)) {
      const path = decodeURIComponent(url.pathname.slice(filePrefix.length));
      const file = [...this.files.values()].find((f) => f.file_path === path);
      if (!file) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length })
        .end(file.content);
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match || match[1] !== this.token) {
      const status = match ? 401 : 404;
      this.reply(res, {
        ok: false,
        error_code: status,
        description: status === 401 ? 'Unauthorized' : 'Not Found',
      });
      return;
    }
    const method = match[2] ?? '';
    let params: Params;
    let uploads: Map<string, { name: string; type: string; content: Buffer }>;
    try {
      ({ params, uploads } = await this.readParams(req, url));
    } catch {
      this.reply(res, { ok: false, error_code: 400, description: 'Bad Request: invalid request body' });
      return;
    }
    this.callLog.push({ method, params });
    const planned = this.failures.get(method)?.shift();
    if (planned) {
      this.reply(res, { ok: false, ...planned });
      return;
    }
    try {
      const result = await this.dispatch(method, params, uploads);
      this.reply(res, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) this.reply(res, { ok: false, ...error.failure });
      else throw error;
    }
  }

  private reply(res: ServerResponse, body: Params): void {
    const status = body.ok === true ? 200 : Number(body.error_code ?? 500);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async readParams(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ params: Params; uploads: Map<string, { name: string; type: string; content: Buffer }> }> {
    const params: Params = {};
    const uploads = new Map<string, { name: string; type: string; content: Buffer }>();
    for (const [key, value] of url.searchParams) params[key] = coerce(key, value);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (body.length === 0) return { params, uploads };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json')) {
      Object.assign(params, JSON.parse(body.toString('utf8')) as Params);
    } else if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = coerce(key, value);
    } else if (type.startsWith('multipart/form-data')) {
      for (const part of parseMultipart(body, type)) {
        if (part.filename === undefined) params[part.name] = coerce(part.name, part.content.toString('utf8'));
        else uploads.set(part.name, { name: part.filename, type: part.type, content: part.content });
      }
    }
    return { params, uploads };
  }

  private async dispatch(
    method: string,
    params: Params,
    uploads: Map<string, { name: string; type: string; content: Buffer }>,
  ): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return {
          ...this.botUser,
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'getUpdates':
        return this.getUpdates(params);
      case 'sendMessage':
        return this.sendMessage(params);
      case 'editMessageText':
        return this.editMessage(params, true);
      case 'editMessageReplyMarkup':
        return this.editMessage(params, false);
      case 'sendDocument':
        return this.sendDocumentFromBot(params, uploads);
      case 'getFile': {
        const file = this.files.get(String(params.file_id));
        if (!file) throw badRequest('invalid file_id');
        return {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_size: file.content.length,
          file_path: file.file_path,
        };
      }
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'setChatMenuButton':
      case 'sendChatAction':
      case 'deleteMessage':
        return true;
      case 'setWebhook': {
        const url = String(params.url ?? '');
        if (url === '') {
          this.webhook = undefined;
          return true;
        }
        this.webhook = {
          url,
          ...(typeof params.secret_token === 'string' ? { secret: params.secret_token } : {}),
        };
        if (params.drop_pending_updates === true) this.updates.length = 0;
        void this.deliver();
        return true;
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        if (params.drop_pending_updates === true) this.updates.length = 0;
        return true;
      case 'getWebhookInfo':
        return {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.updates.length,
        };
      default:
        throw new ApiError({ error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private async getUpdates(params: Params): Promise<unknown[]> {
    if (this.webhook) {
      throw new ApiError({
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    const offset = Number(params.offset ?? 0);
    // https://core.telegram.org/bots/api#getupdates: an offset confirms every update before it.
    if (offset > 0) {
      while (this.updates.length > 0 && (this.updates[0]?.update_id ?? 0) < offset) this.updates.shift();
    }
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const timeoutMs = Math.max(Number(params.timeout ?? 0), 0) * 1000;
    const take = () => this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
    let batch = take();
    if (batch.length === 0 && timeoutMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.pollers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.pollers.add(wake);
      });
      batch = this.webhook ? [] : take();
    }
    return batch;
  }

  private chatIdOf(params: Params): number {
    const chatId = Number(params.chat_id);
    if (!Number.isFinite(chatId)) throw badRequest('chat not found');
    if (this.blockedChats.has(chatId)) {
      throw new ApiError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    return chatId;
  }

  private renderText(
    text: unknown,
    parseMode: unknown,
    field = 'message text',
  ): { text: string; plain: string } {
    const raw = typeof text === 'string' ? text : text === undefined ? '' : String(text);
    if (raw.trim() === '' && field === 'message text') throw badRequest('message text is empty');
    const plain = parseMode === 'HTML' ? parseTelegramHtml(raw) : raw;
    if (plain.length > (field === 'message text' ? 4096 : 1024))
      throw badRequest(`${field === 'message text' ? 'message' : 'message caption'} is too long`);
    return { text: raw, plain };
  }

  private sendMessage(params: Params): unknown {
    const chatId = this.chatIdOf(params);
    const { text, plain } = this.renderText(params.text, params.parse_mode);
    checkKeyboard(params.reply_markup);
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      chat_id: chatId,
      text,
      plain_text: plain,
      ...(typeof params.parse_mode === 'string' ? { parse_mode: params.parse_mode } : {}),
      ...(params.reply_markup === undefined ? {} : { reply_markup: params.reply_markup }),
    };
    this.record(message);
    return this.messageObject(message);
  }

  private editMessage(params: Params, withText: boolean): unknown {
    const chatId = this.chatIdOf(params);
    const message = this.messages.find(
      (m) => m.chat_id === chatId && m.message_id === Number(params.message_id),
    );
    if (!message) throw badRequest('message to edit not found');
    checkKeyboard(params.reply_markup);
    const next = { ...message };
    if (withText) {
      const { text, plain } = this.renderText(params.text, params.parse_mode);
      next.text = text;
      next.plain_text = plain;
      if (typeof params.parse_mode === 'string') next.parse_mode = params.parse_mode;
      else delete next.parse_mode;
    }
    if (params.reply_markup === undefined) delete next.reply_markup;
    else next.reply_markup = params.reply_markup;
    const sameMarkup =
      JSON.stringify(next.reply_markup ?? null) === JSON.stringify(message.reply_markup ?? null);
    if (next.plain_text === message.plain_text && sameMarkup) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    next.edited = true;
    Object.assign(message, next);
    if (!('reply_markup' in next)) delete message.reply_markup;
    this.pushEvent(message);
    return this.messageObject(message);
  }

  private sendDocumentFromBot(
    params: Params,
    uploads: Map<string, { name: string; type: string; content: Buffer }>,
  ): unknown {
    const chatId = this.chatIdOf(params);
    const ref = String(params.document ?? '');
    let file: StoredFile | undefined;
    if (ref.startsWith('attach://')) {
      const upload = uploads.get(ref.slice('attach://'.length));
      if (upload)
        file = this.storeFile(
          upload.name || 'file',
          upload.type || 'application/octet-stream',
          upload.content,
        );
    } else if (uploads.has('document')) {
      const upload = uploads.get('document');
      if (upload)
        file = this.storeFile(
          upload.name || 'file',
          upload.type || 'application/octet-stream',
          upload.content,
        );
    } else {
      file = this.files.get(ref);
    }
    if (!file) throw badRequest('there is no document in the request');
    const caption =
      params.caption === undefined
        ? undefined
        : this.renderText(params.caption, params.parse_mode, 'caption');
    checkKeyboard(params.reply_markup);
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      chat_id: chatId,
      document: { file_name: file.file_name, content: file.content, mime_type: file.mime_type },
      ...(caption ? { caption: caption.text, plain_text: caption.plain } : {}),
      ...(typeof params.parse_mode === 'string' ? { parse_mode: params.parse_mode } : {}),
      ...(params.reply_markup === undefined ? {} : { reply_markup: params.reply_markup }),
    };
    this.record(message);
    return {
      ...this.messageObject(message),
      document: {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_name: file.file_name,
        mime_type: file.mime_type,
        file_size: file.content.length,
      },
    };
  }

  // ---- internals ---------------------------------------------------------------------------

  private storeFile(fileName: string, mimeType: string, content: Buffer): StoredFile {
    const n = this.nextFileId++;
    const file: StoredFile = {
      file_id: `FILE${n}-${randomUUID()}`,
      file_unique_id: `U${n}`,
      file_path: `documents/file_${n}${/\.[A-Za-z0-9]+$/.exec(fileName)?.[0] ?? ''}`,
      file_name: fileName,
      mime_type: mimeType,
      content,
    };
    this.files.set(file.file_id, file);
    return file;
  }

  private userObject(from: TelegramUser): Params {
    return {
      id: from.id,
      is_bot: false,
      first_name: from.first_name ?? `User${from.id}`,
      ...(from.username === undefined ? {} : { username: from.username }),
      language_code: 'en',
    };
  }

  private incomingMessageBase(from: TelegramUser): Params {
    const user = this.userObject(from);
    return {
      message_id: this.nextMessageId++,
      from: user,
      chat: {
        id: from.id,
        type: 'private',
        first_name: user.first_name,
        ...(from.username ? { username: from.username } : {}),
      },
      date: Math.floor(Date.now() / 1000),
    };
  }

  private messageObject(message: SentMessage): Params {
    return {
      message_id: message.message_id,
      from: this.botUser,
      chat: { id: message.chat_id, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...(message.plain_text !== undefined && message.document === undefined
        ? { text: message.plain_text }
        : {}),
      ...(message.caption !== undefined ? { caption: message.plain_text ?? message.caption } : {}),
      ...(message.edited ? { edit_date: Math.floor(Date.now() / 1000) } : {}),
      ...(message.reply_markup === undefined ? {} : { reply_markup: message.reply_markup }),
    };
  }

  private queueUpdate(payload: Params): number {
    const update = { update_id: this.nextUpdateId++, ...payload };
    this.updates.push(update);
    for (const wake of [...this.pollers]) wake();
    if (this.webhook) void this.deliver();
    return update.update_id;
  }

  private record(message: SentMessage): void {
    this.messages.push(message);
    this.pushEvent(message);
  }

  private pushEvent(message: SentMessage): void {
    const snapshot = { ...message };
    const list = this.events.get(message.chat_id) ?? [];
    list.push(snapshot);
    this.events.set(message.chat_id, list);
    for (const waiter of [...this.waiters]) {
      if (waiter.chatId !== message.chat_id) continue;
      const found = this.consume(waiter.chatId, waiter.predicate);
      if (found) {
        this.waiters.delete(waiter);
        waiter.resolve(found);
      }
    }
  }

  private consume(chatId: number, predicate: (m: SentMessage) => boolean): SentMessage | undefined {
    const list = this.events.get(chatId) ?? [];
    for (let i = this.cursors.get(chatId) ?? 0; i < list.length; i += 1) {
      const event = list[i];
      if (event && predicate(event)) {
        this.cursors.set(chatId, i + 1);
        return { ...event };
      }
    }
    return undefined;
  }

  /** Webhook mode: POST queued updates one at a time, as Telegram does, until one is refused. */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.webhook && !this.closed && this.updates.length > 0) {
        const update = this.updates[0];
        if (!update) break;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (this.webhook.secret) headers['x-telegram-bot-api-secret-token'] = this.webhook.secret;
        let status = 0;
        try {
          const response = await fetch(this.webhook.url, {
            method: 'POST',
            headers,
            body: JSON.stringify(update),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch {
          status = 0;
        }
        this.deliveries.push({ update_id: update.update_id, status });
        if (status >= 200 && status < 300) {
          this.updates.shift();
        } else {
          // Telegram retries later; tests look at webhookDeliveries() instead of waiting.
          break;
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
