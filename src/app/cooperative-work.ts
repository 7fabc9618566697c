import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from './errors.ts';

/** How long one request may hold the event loop before it lets others run. */
export const workSliceMs = 15;
/** How much CPU time in all one request may spend on calendar work (expansion, matching, rendering). */
export const requestWorkBudgetMs = 5_000;

/**
 * The CPU budget of one request, spent in slices. Work over many objects calls `pause()` between
 * them: once the request has held the loop for a slice it waits one turn, so /health and other
 * users' requests are answered in between, whatever this request has to chew through. Each object's
 * own work is bounded in domain/ (calendarLimits, the expansion step and time bounds).
 */
export class RequestWork {
  readonly #budgetMs: number;
  readonly #clock: () => number;
  #spentMs = 0;
  #sliceStart: number;

  /** `clock` reads milliseconds (performance.now); tests pass their own to spend the budget deterministically. */
  constructor(budgetMs: number = requestWorkBudgetMs, clock: () => number = () => performance.now()) {
    this.#budgetMs = budgetMs;
    this.#clock = clock;
    this.#sliceStart = clock();
  }

  /**
   * Where the request stands before its next item, from one reading of the clock (a listing of
   * thousands of members asks this for each): out of budget, due to let others run, or free to go on.
   */
  check(): 'exhausted' | 'pause' | 'go' {
    const held = this.#clock() - this.#sliceStart;
    if (this.#spentMs + held > this.#budgetMs) return 'exhausted';
    return held >= workSliceMs ? 'pause' : 'go';
  }

  async pause(): Promise<void> {
    const held = this.#clock() - this.#sliceStart;
    if (held < workSliceMs) return;
    this.#spentMs += held;
    await nextTurn();
    this.#sliceStart = this.#clock();
  }
}

/**
 * `step` over every item with pauses between them; stops when the budget runs out. `complete` is
 * false when items were left out.
 */
export async function eachCooperatively<T>(
  items: Iterable<T>,
  step: (item: T) => void,
  work: RequestWork = new RequestWork(),
): Promise<{ complete: boolean }> {
  for (const item of items) {
    const state = work.check();
    if (state === 'exhausted') return { complete: false };
    if (state === 'pause') await work.pause();
    step(item);
  }
  return { complete: true };
}

type Waiter = () => void;

/**
 * At most `perUser` costly requests of one user run at a time; up to `queue` more wait their turn
 * and the rest are refused (429). One account, even with many devices or a script, can then occupy
 * only its share of the server while everybody else's requests go on.
 */
export class UserWorkLimiter {
  readonly #perUser: number;
  readonly #queue: number;
  readonly #running = new Map<number, number>();
  readonly #waiting = new Map<number, Waiter[]>();

  constructor(options: { perUser?: number; queue?: number } = {}) {
    this.#perUser = options.perUser ?? 4;
    this.#queue = options.queue ?? 32;
  }

  async run<T>(userId: number, work: () => Promise<T>): Promise<T> {
    await this.#acquire(userId);
    try {
      return await work();
    } finally {
      this.#release(userId);
    }
  }

  async #acquire(userId: number): Promise<void> {
    const running = this.#running.get(userId) ?? 0;
    if (running < this.#perUser) {
      this.#running.set(userId, running + 1);
      return;
    }
    const waiting = this.#waiting.get(userId) ?? [];
    if (waiting.length >= this.#queue) {
      throw new AppError('rate-limited', 'Too many requests at once from this account; try again shortly.');
    }
    this.#waiting.set(userId, waiting);
    // The slot is handed over by #release, so the running count stays as it is.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  #release(userId: number): void {
    const waiting = this.#waiting.get(userId);
    const next = waiting?.shift();
    if (next) {
      if (waiting?.length === 0) this.#waiting.delete(userId);
      next();
      return;
    }
    const running = (this.#running.get(userId) ?? 1) - 1;
    if (running <= 0) this.#running.delete(userId);
    else this.#running.set(userId, running);
  }
}
