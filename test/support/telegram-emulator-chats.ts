import type { FileStore, StoredFile } from './telegram-emulator-files.ts';
import { ApiError, badRequest, checkKeyboard, renderText } from './telegram-emulator-format.ts';
import type { GroupChats } from './telegram-emulator-groups.ts';
import type { Params, Uploads } from './telegram-emulator-http.ts';

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

interface Waiter {
  chatId: number;
  predicate: (m: SentMessage) => boolean;
  resolve: (m: SentMessage) => void;
}

/**
 * The chats as the bot writes them: sendMessage, edits and documents checked like Telegram does,
 * kept in order per chat so tests can wait for the next one (waitForMessage).
 */
export class ChatLog {
  private nextMessageId = 1;
  private readonly messages: SentMessage[] = [];
  /** Per chat: every send or edit in order, and how far waitForMessage has consumed them. */
  private readonly events = new Map<number, SentMessage[]>();
  private readonly cursors = new Map<number, number>();
  private readonly waiters = new Set<Waiter>();

  private readonly botUser: Params;
  private readonly files: FileStore;
  private readonly blockedChats: ReadonlySet<number>;
  private readonly groups: GroupChats;

  constructor(botUser: Params, files: FileStore, blockedChats: ReadonlySet<number>, groups: GroupChats) {
    this.botUser = botUser;
    this.files = files;
    this.blockedChats = blockedChats;
    this.groups = groups;
  }

  /** Message ids are shared by what users and the bot send, as in one Telegram chat. */
  nextId(): number {
    return this.nextMessageId++;
  }

  /** The current state of a message the bot sent (after edits). */
  find(messageId: number): SentMessage | undefined {
    return this.messages.find((m) => m.message_id === messageId);
  }

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

  private chatIdOf(params: Params): number {
    const chatId = Number(params.chat_id);
    if (!Number.isFinite(chatId)) throw badRequest('chat not found');
    if (this.blockedChats.has(chatId)) {
      throw new ApiError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    const refusal = this.groups.refusal(chatId);
    if (refusal) throw new ApiError(refusal);
    return chatId;
  }

  sendMessage(params: Params): unknown {
    const chatId = this.chatIdOf(params);
    const { text, plain } = renderText(params.text, params.parse_mode);
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

  editMessage(params: Params, withText: boolean): unknown {
    const chatId = this.chatIdOf(params);
    const message = this.messages.find(
      (m) => m.chat_id === chatId && m.message_id === Number(params.message_id),
    );
    if (!message) throw badRequest('message to edit not found');
    checkKeyboard(params.reply_markup);
    const next = { ...message };
    if (withText) {
      const { text, plain } = renderText(params.text, params.parse_mode);
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

  sendDocument(params: Params, uploads: Uploads): unknown {
    const chatId = this.chatIdOf(params);
    const ref = String(params.document ?? '');
    let file: StoredFile | undefined;
    if (ref.startsWith('attach://')) {
      const upload = uploads.get(ref.slice('attach://'.length));
      if (upload)
        file = this.files.store(
          upload.name || 'file',
          upload.type || 'application/octet-stream',
          upload.content,
        );
    } else if (uploads.has('document')) {
      const upload = uploads.get('document');
      if (upload)
        file = this.files.store(
          upload.name || 'file',
          upload.type || 'application/octet-stream',
          upload.content,
        );
    } else {
      file = this.files.get(ref);
    }
    if (!file) throw badRequest('there is no document in the request');
    const caption =
      params.caption === undefined ? undefined : renderText(params.caption, params.parse_mode, 'caption');
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

  messageObject(message: SentMessage): Params {
    return {
      message_id: message.message_id,
      from: this.botUser,
      chat: this.groups.chatObject(message.chat_id) ?? { id: message.chat_id, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...(message.plain_text !== undefined && message.document === undefined
        ? { text: message.plain_text }
        : {}),
      ...(message.caption !== undefined ? { caption: message.plain_text ?? message.caption } : {}),
      ...(message.edited ? { edit_date: Math.floor(Date.now() / 1000) } : {}),
      ...(message.reply_markup === undefined ? {} : { reply_markup: message.reply_markup }),
    };
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
}
