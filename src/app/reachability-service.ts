import type { Db } from '../storage/db-types.ts';
import { updateUser } from '../storage/repositories/user-repository.ts';

/**
 * Whether Telegram still delivers to a user: once they block the bot every send answers 403.
 * The bot (a 403 or a my_chat_member update) and the worker (a 403 on a reminder or digest) mark
 * them; the reminder and digest planners skip marked users (docs/worker-delivery.md#reachability).
 */
export class ReachabilityService {
  readonly #db: Db;
  readonly #now: () => Date;

  constructor(deps: { db: Db; now?: () => Date }) {
    this.#db = deps.db;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The user blocked the bot: plan nothing more for them until they unblock it. */
  async markBlocked(telegramId: number): Promise<void> {
    await updateUser(this.#db, telegramId, { bot_blocked_at: this.#now() });
  }

  /** The user (re)started the bot: they are planned for again. */
  async markReachable(telegramId: number): Promise<void> {
    await updateUser(this.#db, telegramId, { bot_blocked_at: null });
  }
}
