import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import { loggableError } from './job-errors.ts';

/**
 * Lets the claim loop sleep until a timer runs out or someone wakes it: a NOTIFY on
 * 'televent_outbox' (PostgreSQL; written by the outbox insert trigger), or stop().
 */
export class OutboxWakeup {
  #wake: (() => void) | null = null;
  #pending = false;
  #client: pg.Client | null = null;
  #closed = false;
  #reconnect: NodeJS.Timeout | null = null;
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

  /** Opens a dedicated connection that LISTENs; failures fall back to polling and retry. */
  async listen(databaseUrl: string): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.#logger.warn(
        { err: loggableError(error) },
        'outbox LISTEN connection failed; polling until it is back',
      );
      this.#scheduleReconnect(databaseUrl);
    });
    try {
      await client.connect();
      await client.query('listen televent_outbox');
      if (this.#closed) {
        await client.end();
        return;
      }
      this.#client = client;
    } catch (error) {
      this.#logger.warn({ err: loggableError(error) }, 'could not LISTEN for outbox jobs; polling only');
      await client.end().catch(() => {});
      this.#scheduleReconnect(databaseUrl);
    }
  }

  #scheduleReconnect(databaseUrl: string): void {
    const old = this.#client;
    this.#client = null;
    old?.end().catch(() => {});
    if (this.#closed || this.#reconnect) return;
    this.#reconnect = setTimeout(() => {
      this.#reconnect = null;
      void this.listen(databaseUrl);
    }, 5_000);
    this.#reconnect.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnect) clearTimeout(this.#reconnect);
    this.wake();
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}
