import type { Update } from 'grammy/types';

/**
 * Runs updates of different users concurrently and each user's updates in arrival order (what
 * @grammyjs/runner's sequentialize does; the runner is not a dependency here). Tasks must not
 * throw: callers catch and report inside the task.
 */
export class UpdateSequencer {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #waiting = new Set<() => void>();
  #inFlight = 0;

  /** Updates queued or running. */
  get inFlight(): number {
    return this.#inFlight;
  }

  run(key: string, task: () => Promise<void>): Promise<void> {
    this.#inFlight += 1;
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task).finally(() => {
      this.#inFlight -= 1;
      if (this.#tails.get(key) === next) this.#tails.delete(key);
      for (const wake of [...this.#waiting]) wake();
    });
    this.#tails.set(key, next);
    return next;
  }

  /** Resolves once fewer than `limit` updates are in flight (back-pressure for the poller). */
  async belowLimit(limit: number): Promise<void> {
    while (this.#inFlight >= limit) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiting.delete(wake);
          resolve();
        };
        this.#waiting.add(wake);
      });
    }
  }

  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}

/** The user an update belongs to; updates without one share the chat's (or a global) lane. */
export function sequenceKeyOf(update: Update): string {
  const from =
    update.message?.from ??
    update.edited_message?.from ??
    update.callback_query?.from ??
    update.my_chat_member?.from ??
    update.inline_query?.from;
  if (from) return `user:${from.id}`;
  const chat = update.message?.chat ?? update.channel_post?.chat;
  return chat ? `chat:${chat.id}` : 'global';
}
