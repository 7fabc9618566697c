import { describe, expect, it } from 'vitest';
import { CacheInvalidation } from './cache-invalidation.ts';

/** A fence whose round trips the test answers one by one, in order. */
function manualFence() {
  const pending: Array<() => void> = [];
  return {
    sent: () => pending.length,
    fence: () => new Promise<void>((resolve) => pending.push(resolve)),
    answerNext: async () => {
      pending.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe('waiting for notifications before answering from memory', () => {
  it('sends a round trip for a request, and one more for all that arrived while it was out', async () => {
    const changes = new CacheInvalidation();
    const trips = manualFence();
    changes.connected(trips.fence);
    const order: string[] = [];
    const first = changes.caughtUp().then(() => order.push('first'));
    // These arrived after the first round trip left: a write committed just before them may not
    // be covered by it, so they wait for the next one, which they share.
    const second = changes.caughtUp().then(() => order.push('second'));
    const third = changes.caughtUp().then(() => order.push('third'));
    expect(trips.sent()).toBe(1);
    await trips.answerNext();
    expect(order).toEqual(['first']);
    expect(trips.sent()).toBe(1);
    await trips.answerNext();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(trips.sent()).toBe(0);
  });

  it('answers at once where notifications arrive before a commit returns (PGlite) or caches are off', async () => {
    const embedded = new CacheInvalidation();
    embedded.connected();
    await embedded.caughtUp();
    const off = new CacheInvalidation();
    await off.caughtUp();
    expect(off.live).toBe(false);
  });

  it('lets waiting requests go, with caches off, when the connection drops mid-way', async () => {
    const changes = new CacheInvalidation();
    const trips = manualFence();
    changes.connected(trips.fence);
    const first = changes.caughtUp();
    const later = changes.caughtUp();
    changes.disconnected();
    await trips.answerNext();
    await Promise.all([first, later]);
    expect(changes.live).toBe(false);
    expect(trips.sent()).toBe(0);
  });
});
