import type { MiddlewareFn } from 'grammy';
import type { User as TelegramUser } from 'grammy/types';
import type { UserView } from '../app/account-service.ts';
import type { BotSupport } from '../app/bot-support.ts';
import { isAppError } from '../app/errors.ts';
import type { AppServices } from '../app/services.ts';
import type { BotContext, SessionData } from './context.ts';
import type { PrefetchingStorage } from './session-storage.ts';

export interface SenderLoaderDeps {
  services: AppServices;
  /** Reads the sender's user and session in one round trip; without it, two reads. */
  readSender?: BotSupport['readSender'] | undefined;
}

/** Sessions are per user (the sender), in private chats and anywhere else. */
export function sessionKeyOf(ctx: { from?: TelegramUser | undefined }): string | undefined {
  return ctx.from?.id.toString();
}

/**
 * Loads the Televent user behind each update's sender. `begin` starts the read as the update
 * arrives, so it runs alongside the session read (or is that read, with readSender); `attach`,
 * placed after the session middleware, waits for it and sets `ctx.user`.
 */
export function createSenderLoader(
  deps: SenderLoaderDeps,
  storage: PrefetchingStorage<SessionData>,
): { begin(ctx: BotContext): void; attach: MiddlewareFn<BotContext> } {
  const pendingUsers = new WeakMap<BotContext, Promise<UserView | undefined>>();
  return {
    begin(ctx) {
      if (!ctx.from || ctx.from.is_bot || ctx.myChatMember) return;
      // In a group the bot reads who wrote, but makes nobody an account: only opening the bot does.
      const create = ctx.chat === undefined || ctx.chat.type === 'private';
      const loading = loadUser(deps, ctx.from, storage, create);
      loading.catch(() => undefined); // awaited (and reported) in attach
      pendingUsers.set(ctx, loading);
    },
    async attach(ctx, next) {
      const loading = pendingUsers.get(ctx);
      const user = loading ? await loading : undefined;
      if (user) ctx.user = user;
      await next();
    },
  };
}

/**
 * The Televent user behind a sender, created on first contact in a private chat (`create`). Names are refreshed only when
 * Telegram reports different ones, so an ordinary update costs one read, not a write. With
 * readSender that read brings the session along and hands it to `storage` for this update.
 */
async function loadUser(
  deps: SenderLoaderDeps,
  from: TelegramUser,
  storage: PrefetchingStorage<SessionData>,
  create: boolean,
): Promise<UserView | undefined> {
  const profile = {
    telegramId: from.id,
    username: from.username ?? null,
    firstName: from.first_name,
    lastName: from.last_name ?? null,
    locale: from.language_code ?? null,
  };
  let existing: UserView | undefined;
  if (deps.readSender) {
    const key = String(from.id); // = sessionKeyOf
    const read = deps.readSender(from.id, key);
    const session = read.then((r) => r.session as SessionData | undefined);
    storage.prefetch(key, session);
    existing = (await read).user;
  } else {
    existing = await deps.services.accounts.getUser(from.id).catch((error: unknown) => {
      if (isAppError(error) && error.reason === 'user-not-found') return undefined;
      throw error;
    });
  }
  if (
    existing &&
    existing.username === profile.username &&
    existing.firstName === profile.firstName &&
    existing.lastName === profile.lastName &&
    existing.locale === profile.locale
  ) {
    return existing;
  }
  if (!existing && !create) return undefined;
  return (await deps.services.accounts.ensureUser(profile)).user;
}
