import type { ChangeSink, StoredChange } from '../storage/change-notifications.ts';

export interface CacheSubscriber {
  /** Drop what was learned about this user's device passwords. */
  devicesChanged?(userId: number): void;
  /** Drop one object of a calendar. */
  objectChanged?(calendarId: string, hrefName: string): void;
  /** Drop everything of a calendar. */
  calendarChanged?(calendarId: string): void;
  /** A calendar of this user was made, deleted or renamed (the list of calendars changed). */
  calendarListChanged?(userId: number): void;
  /** Drop everything. */
  reset(): void;
}

/**
 * Tells in-process caches what committed writes made stale. Writes made by this process are
 * reported by the services that make them, right after commit; the database's change
 * notifications (storage/change-notifications.ts) report everyone's, this process's included.
 *
 * Caches may answer only while `live`: on PostgreSQL that is while the LISTEN connection is up,
 * since a write by another process is seen only through it. Every change and every connect/disconnect
 * switch moves `epoch`; a cache that read the database fills only if the epoch did not move
 * meanwhile, so an answer read before a write can never be stored after that write's invalidation.
 *
 * A NOTIFY reaches this process some time after the writer's commit returned: a request sent to
 * this process right after a write through another one may arrive first. So a request that may
 * answer from memory first waits for `caughtUp()`: one round trip on the LISTEN connection (sent
 * after the request arrived), which PostgreSQL answers only after delivering every notification
 * already queued for that connection. Requests that arrive meanwhile share the next round trip.
 */
export class CacheInvalidation implements ChangeSink {
  #live = false;
  #epoch = 0;
  readonly #subscribers: CacheSubscriber[] = [];
  #waiters: Array<() => void> = [];
  /** A round trip on the LISTEN connection (PostgreSQL); absent where listeners run before commit returns. */
  #fence: (() => Promise<void>) | undefined;
  /** The round trip on its way, and the one that leaves when it is back (for requests that came later). */
  #sent: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  get live(): boolean {
    return this.#live;
  }

  get epoch(): number {
    return this.#epoch;
  }

  subscribe(subscriber: CacheSubscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Resolves once caches may answer (tests wait for the LISTEN connection). */
  whenLive(): Promise<void> {
    return this.#live ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Resolves once every change committed before this call has reached the caches, or once they
   * are off (`live` false: the round trip failed and the connection was dropped). Never rejects.
   */
  caughtUp(): Promise<void> {
    if (!this.#live || !this.#fence) return Promise.resolve();
    // A round trip already on its way may have left before this caller's write was committed.
    if (!this.#sent) return this.#roundTrip(this.#fence);
    this.#next ??= this.#sent.then(() => {
      this.#next = undefined;
      return this.#live && this.#fence ? this.#roundTrip(this.#fence) : undefined;
    });
    return this.#next;
  }

  #roundTrip(fence: () => Promise<void>): Promise<void> {
    const trip = fence()
      .catch(() => {})
      .finally(() => {
        if (this.#sent === trip) this.#sent = undefined;
      });
    this.#sent = trip;
    return trip;
  }

  /** `fence`: a round trip after which every notification sent before it has been delivered. */
  connected(fence?: () => Promise<void>): void {
    this.#fence = fence;
    this.#epoch++;
    for (const subscriber of this.#subscribers) subscriber.reset();
    this.#live = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  disconnected(): void {
    this.#live = false;
    this.#fence = undefined;
    this.#epoch++;
    for (const subscriber of this.#subscribers) subscriber.reset();
  }

  changed(change: StoredChange): void {
    switch (change.kind) {
      case 'devices':
        this.devicesChanged(change.userId);
        break;
      case 'object':
        this.objectChanged(change.calendarId, change.hrefName);
        break;
      case 'calendar':
        this.calendarChanged(change.calendarId);
        break;
      case 'calendar-list':
        // Nothing cached is stale (calendar rows are read fresh); only listeners care.
        for (const subscriber of this.#subscribers) subscriber.calendarListChanged?.(change.userId);
        break;
    }
  }

  devicesChanged(userId: number): void {
    this.#epoch++;
    for (const subscriber of this.#subscribers) subscriber.devicesChanged?.(userId);
  }

  objectChanged(calendarId: string, hrefName: string): void {
    this.#epoch++;
    for (const subscriber of this.#subscribers) subscriber.objectChanged?.(calendarId, hrefName);
  }

  calendarChanged(calendarId: string): void {
    this.#epoch++;
    for (const subscriber of this.#subscribers) subscriber.calendarChanged?.(calendarId);
  }
}
