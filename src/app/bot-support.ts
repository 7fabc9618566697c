import type { Db } from '../storage/db-types.ts';
import { findUserAndSession } from '../storage/repositories/bot-sender-repository.ts';
import { type BotSessionStore, createBotSessionStore } from '../storage/repositories/bot-session-store.ts';
import { toUserView, type UserView } from './account-service.ts';
import { ReachabilityService } from './reachability-service.ts';

/** Whether the bot can still write to a user (Telegram answers 403 once they block it). */
export type BotReachability = Pick<ReachabilityService, 'markBlocked' | 'markReachable'>;

export interface BotSupport {
  /** grammY StorageAdapter-compatible session storage in the bot_sessions table. */
  sessionStorage: BotSessionStore<unknown>;
  reachability: BotReachability;
  /** The sender's user (undefined before first contact) and session value, in one round trip. */
  readSender(
    telegramId: number,
    sessionKey: string,
  ): Promise<{ user: UserView | undefined; session: unknown }>;
}

/**
 * The bot's own state in the database: conversation sessions, and the blocked-by-user mark
 * through the app's reachability service (main.ts passes `services.reachability`, the one the
 * worker marks through too).
 */
export function createBotSupport(
  db: Db,
  reachability: BotReachability = new ReachabilityService({ db }),
): BotSupport {
  return {
    sessionStorage: createBotSessionStore<unknown>(db),
    async readSender(telegramId, sessionKey) {
      const { user, session } = await findUserAndSession(db, telegramId, sessionKey);
      return { user: user ? toUserView(user) : undefined, session };
    },
    reachability,
  };
}
