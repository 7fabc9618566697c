import type { Logger } from '../observability/logger.ts';
import { loggableError } from './job-errors.ts';

/** What a listener for new jobs reports: jobs were committed, or its connection failed (it retries). */
export interface NewJobEvents {
  notified(): void;
  /** `lost`: the open connection failed; `connect`: it could not be opened. */
  failed(error: unknown, when: 'lost' | 'connect'): void;
}

/**
 * The port the worker listens for new jobs through (PostgreSQL LISTEN on the outbox insert
 * trigger's channel); main.ts implements it with listenForOutboxJobs from the storage layer.
 */
export type ListenForNewJobs = (events: NewJobEvents) => { close(): Promise<void> };

/**
 * Lets the claim loop sleep until a timer runs out or someone wakes it: a NOTIFY on
 * 'televent_outbox' (PostgreSQL; written by the outbox insert trigger), or stop().
 */
export class OutboxWakeup {
  #wake: (() => void) | null = null;
  #pending = false;
  #listener: { close(): Promise<void> } | null = null;
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

  /** Listens for new jobs (PostgreSQL LISTEN); failures fall back to polling and retry. */
  listen(listenForNewJobs: ListenForNewJobs): void {
    if (this.#closed || this.#listener) return;
    this.#listener = listenForNewJobs({
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
