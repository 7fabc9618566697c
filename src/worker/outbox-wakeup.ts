import type { Logger } from '../observability/logger.ts';
import { listenForOutboxJobs, type OutboxListener } from '../storage/outbox-notifications.ts';
import { loggableError } from './job-errors.ts';

/**
 * Lets the claim loop sleep until a timer runs out or someone wakes it: a NOTIFY on
 * 'televent_outbox' (PostgreSQL; written by the outbox insert trigger), or stop().
 */
export class OutboxWakeup {
  #wake: (() => void) | null = null;
  #pending = false;
  #listener: OutboxListener | null = null;
  #closed = false;
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Resolves after `ms`, or earlier when woken (a wake-up while busy is remembered). */
  sleep(ms: number): Promise<void> {
    if (this.#pending || this.#closed) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
  }

  wake(): void {
    if (this.#wake) this.#wake();
    else this.#pending = true;
  }

  /** Opens a dedicated LISTEN connection (PostgreSQL); failures fall back to polling and retry. */
  listen(databaseUrl: string): void {
    if (this.#closed || this.#listener) return;
    this.#listener = listenForOutboxJobs(databaseUrl, {
      notified: () => this.wake(),
      failed: (error, when) => {
        if (when === 'lost') {
          this.#logger.warn(
            { err: loggableError(error) },
            'outbox LISTEN connection failed; polling until it is back',
          );
        } else {
          this.#logger.warn({ err: loggableError(error) }, 'could not LISTEN for outbox jobs; polling only');
        }
      },
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    // The listener is marked closed before anyone woken here runs.
    const closing = this.#listener?.close();
    this.#listener = null;
    this.wake();
    await closing;
  }
}
