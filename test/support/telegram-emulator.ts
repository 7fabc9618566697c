import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatLog, type SentMessage } from './telegram-emulator-chats.ts';
import { FileStore } from './telegram-emulator-files.ts';
import { ApiError, type ApiFailure, badRequest, commandEntities } from './telegram-emulator-format.ts';
import { type EmulatedGroup, GroupChats, type MemberStatus } from './telegram-emulator-groups.ts';
import { type Params, readParams, replyJson, type Uploads } from './telegram-emulator-http.ts';
import { UpdateQueue, type WebhookDelivery } from './telegram-emulator-updates.ts';

/**
 * A local Bot API server for tests: it speaks the HTTP protocol of api.telegram.org
 * (https://core.telegram.org/bots/api#making-requests) so the real bot can talk to it through
 * TELEGRAM_API_ROOT. Tests play the users (sendText, sendCallback, sendDocument) and read what
 * the bot sent (sentMessages, waitForMessage, calls). The parts: telegram-emulator-updates.ts
 * (long polling and webhook delivery), -chats.ts (what the bot sends and edits), -files.ts,
 * -format.ts (Telegram's HTML, keyboard and error rules) and -http.ts (request bodies).
 */

export type { SentMessage } from './telegram-emulator-chats.ts';
export { type ApiFailure, parseTelegramHtml } from './telegram-emulator-format.ts';
export type { EmulatedGroup, MemberStatus } from './telegram-emulator-groups.ts';
export type { WebhookDelivery } from './telegram-emulator-updates.ts';

export interface TelegramUser {
  id: number;
  username?: string;
  first_name?: string;
  /** Telegram's IETF language tag of the user's client; 'en' unless a test says otherwise. */
  language_code?: string;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
}

export class TelegramEmulator {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };

  private readonly server: Server;
  private readonly queue = new UpdateQueue();
  private readonly files = new FileStore();
  private readonly blockedChats = new Set<number>();
  private readonly chats: ChatLog;
  private readonly groups: GroupChats;
  private readonly callLog: ApiCall[] = [];
  private readonly callbackIds = new Map<number, string>();
  private readonly failures = new Map<string, ApiFailure[]>();

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
    this.groups = new GroupChats(this.botUser.id);
    this.chats = new ChatLog(this.botUser, this.files, this.blockedChats, this.groups);
  }

  /** `port`: listen there (a test that first lets the bot find no Bot API, then brings one up). */
  static async start(options: { token?: string; port?: number } = {}): Promise<TelegramEmulator> {
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
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    emulator = new TelegramEmulator(server, token);
    return emulator;
  }

  // ---- the test side: users acting -------------------------------------------------------

  sendText(from: TelegramUser, text: string): number {
    const entities = commandEntities(text);
    return this.queue.push({
      message: {
        ...this.incomingMessageBase(from),
        text,
        ...(entities.length > 0 ? { entities } : {}),
      },
    });
  }

  sendCallback(from: TelegramUser, data: string, message: SentMessage): number {
    const current = this.chats.find(message.message_id) ?? message;
    const queryId = randomUUID();
    const updateId = this.queue.push({
      callback_query: {
        id: queryId,
        from: this.userObject(from),
        message: this.chats.messageObject(current),
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
    const stored = this.files.store(file.fileName, file.mimeType, Buffer.from(file.content));
    return this.queue.push({
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

  /** A shared contact (📎 → Contact): `user_id` is set when the contact uses Telegram. */
  sendContact(
    from: TelegramUser,
    contact: { phone_number: string; first_name: string; user_id?: number },
  ): number {
    return this.queue.push({ message: { ...this.incomingMessageBase(from), contact } });
  }

  /** A message without text or a file (a shared location), which the bot has no feature for. */
  sendLocation(from: TelegramUser, latitude: number, longitude: number): number {
    return this.queue.push({
      message: { ...this.incomingMessageBase(from), location: { latitude, longitude } },
    });
  }

  /** The my_chat_member update Telegram sends when a user blocks ('kicked') or unblocks ('member') the bot. */
  sendChatMemberUpdate(from: TelegramUser, status: 'kicked' | 'member'): number {
    const user = this.userObject(from);
    const date = Math.floor(Date.now() / 1000);
    return this.queue.push({
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

  // ---- the test side: groups ---------------------------------------------------------------

  /** A Telegram group with these people in it (the bot is not, until addBotToGroup). */
  createGroup(
    title: string,
    members: ReadonlyArray<{ user: TelegramUser; status?: Exclude<MemberStatus, 'left' | 'kicked'> }>,
  ): EmulatedGroup {
    return this.groups.create(
      title,
      members.map((m) => ({ user: this.userObject(m.user), status: m.status ?? 'member' })),
    );
  }

  /** `by` adds the bot to the group: the my_chat_member update and the service message Telegram sends. */
  addBotToGroup(group: EmulatedGroup, by: TelegramUser, status: 'member' | 'administrator' = 'member'): void {
    const before = this.groups.setStatus(group.id, this.botUser, status);
    this.pushMyChatMember(group, by, before, status);
    this.queue.push({
      message: { ...this.groupMessageBase(group, by), new_chat_members: [this.botUser] },
    });
  }

  /** `by` removes the bot from the group; sends to it fail with 403 afterwards. */
  removeBotFromGroup(group: EmulatedGroup, by: TelegramUser): void {
    const before = this.groups.setStatus(group.id, this.botUser, 'left');
    this.pushMyChatMember(group, by, before, 'left');
  }

  /** Text written in the group (with a bot_command entity when it starts with one). */
  sendGroupText(group: EmulatedGroup, from: TelegramUser, text: string): number {
    const entities = commandEntities(text);
    return this.queue.push({
      message: {
        ...this.groupMessageBase(group, from),
        text,
        ...(entities.length > 0 ? { entities } : {}),
      },
    });
  }

  /** Someone joins the group: the new_chat_members service message. */
  joinGroup(group: EmulatedGroup, user: TelegramUser): void {
    this.groups.setStatus(group.id, this.userObject(user), 'member');
    this.queue.push({
      message: { ...this.groupMessageBase(group, user), new_chat_members: [this.userObject(user)] },
    });
  }

  /** Someone leaves the group: the left_chat_member service message. */
  leaveGroup(group: EmulatedGroup, user: TelegramUser): void {
    this.groups.setStatus(group.id, this.userObject(user), 'left');
    this.queue.push({
      message: { ...this.groupMessageBase(group, user), left_chat_member: this.userObject(user) },
    });
  }

  /** An admin promotes or demotes a member (what getChatMember answers from now on). */
  setGroupStatus(group: EmulatedGroup, user: TelegramUser, status: MemberStatus): void {
    this.groups.setStatus(group.id, this.userObject(user), status);
  }

  /**
   * Telegram upgrades the group to a supergroup with a new id: the old chat's migrate_to_chat_id
   * message and the new chat's migrate_from_chat_id one; sends to the old id fail from now on.
   */
  migrateGroup(group: EmulatedGroup, by: TelegramUser): EmulatedGroup {
    const moved = this.groups.migrate(group.id);
    this.queue.push({
      message: { ...this.groupMessageBase(group, by), migrate_to_chat_id: moved.id },
    });
    this.queue.push({
      message: { ...this.groupMessageBase(moved, by), migrate_from_chat_id: group.id },
    });
    return moved;
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
    return this.chats.sentMessages(chatId);
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
    return this.chats.waitForMessage(chatId, predicate, timeoutMs);
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
    return this.queue.deliveries();
  }

  /** Resolves once the bot's getUpdates long poll is held open, waiting for an update. */
  whenPolling(): Promise<void> {
    return this.queue.whenPolling();
  }

  /** Updates queued and not yet confirmed by the bot (getUpdates offset) or delivered to the webhook. */
  pendingUpdateCount(): number {
    return this.queue.pending;
  }

  async close(): Promise<void> {
    this.queue.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the bot side: HTTP ----------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const filePrefix = `/file/bot${this.token}/`;
    if (req.method === 'GET' && url.pathname.startsWith(filePrefix)) {
      this.files.serve(res, decodeURIComponent(url.pathname.slice(filePrefix.length)));
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match || match[1] !== this.token) {
      const status = match ? 401 : 404;
      replyJson(res, {
        ok: false,
        error_code: status,
        description: status === 401 ? 'Unauthorized' : 'Not Found',
      });
      return;
    }
    const method = match[2] ?? '';
    let params: Params;
    let uploads: Uploads;
    try {
      ({ params, uploads } = await readParams(req, url));
    } catch {
      replyJson(res, { ok: false, error_code: 400, description: 'Bad Request: invalid request body' });
      return;
    }
    this.callLog.push({ method, params });
    const planned = this.failures.get(method)?.shift();
    if (planned) {
      replyJson(res, { ok: false, ...planned });
      return;
    }
    try {
      const result = await this.dispatch(method, params, uploads);
      replyJson(res, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) replyJson(res, { ok: false, ...error.failure });
      else throw error;
    }
  }

  private async dispatch(method: string, params: Params, uploads: Uploads): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return {
          ...this.botUser,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'getUpdates':
        return this.queue.getUpdates(params);
      case 'sendMessage':
        return this.chats.sendMessage(params);
      case 'editMessageText':
        return this.chats.editMessage(params, true);
      case 'editMessageReplyMarkup':
        return this.chats.editMessage(params, false);
      case 'sendDocument':
        return this.chats.sendDocument(params, uploads);
      case 'getFile': {
        const file = this.files.get(String(params.file_id));
        if (!file) throw badRequest('invalid file_id');
        return this.files.describe(file);
      }
      case 'getChatMember': {
        const member = this.groups.member(Number(params.chat_id), Number(params.user_id));
        if (!member) throw badRequest('chat not found');
        return member;
      }
      case 'getChatAdministrators': {
        const admins = this.groups.administrators(Number(params.chat_id));
        if (!admins) throw badRequest('chat not found');
        return admins;
      }
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'setChatMenuButton':
      case 'sendChatAction':
      case 'deleteMessage':
        return true;
      case 'setWebhook':
        return this.queue.setWebhook(params);
      case 'deleteWebhook':
        return this.queue.deleteWebhook(params);
      case 'getWebhookInfo':
        return this.queue.webhookInfo();
      default:
        throw new ApiError({ error_code: 404, description: 'Not Found: method not found' });
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private userObject(from: TelegramUser): Params {
    return {
      id: from.id,
      is_bot: false,
      first_name: from.first_name ?? `User${from.id}`,
      ...(from.username === undefined ? {} : { username: from.username }),
      language_code: from.language_code ?? 'en',
    };
  }

  private groupMessageBase(group: EmulatedGroup, from: TelegramUser): Params {
    return {
      message_id: this.chats.nextId(),
      from: this.userObject(from),
      chat: this.groups.chatObject(group.id) ?? { id: group.id, type: group.type, title: group.title },
      date: Math.floor(Date.now() / 1000),
    };
  }

  private pushMyChatMember(
    group: EmulatedGroup,
    by: TelegramUser,
    before: MemberStatus,
    after: MemberStatus,
  ): void {
    const member = (status: MemberStatus): Params => ({
      user: this.botUser,
      status,
      ...(status === 'administrator' ? { can_be_edited: false, is_anonymous: false } : {}),
      ...(status === 'kicked' ? { until_date: 0 } : {}),
    });
    this.queue.push({
      my_chat_member: {
        chat: this.groups.chatObject(group.id),
        from: this.userObject(by),
        date: Math.floor(Date.now() / 1000),
        old_chat_member: member(before),
        new_chat_member: member(after),
      },
    });
  }

  private incomingMessageBase(from: TelegramUser): Params {
    const user = this.userObject(from);
    return {
      message_id: this.chats.nextId(),
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
}
