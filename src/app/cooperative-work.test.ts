import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { eachCooperatively, RequestWork, UserWorkLimiter, workSliceMs } from './cooperative-work.ts';
import { isAppError } from './errors.ts';

/** Holds the CPU, as expanding one large object does. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}

describe('eachCooperatively', () => {
  it('lets other work run between items once a slice is used, so one long request cannot starve others', async () => {
    let otherRanAfter = -1;
    let done = 0;
    setImmediate(() => {
      otherRanAfter = done;
    });
    const { complete } = await eachCooperatively([1, 2, 3], () => {
      spin(workSliceMs + 5);
      done++;
    });
    expect(complete).toBe(true);
    // The other callback ran after the first item, not after the whole loop.
    expect(otherRanAfter).toBe(1);
  });

  it('stops when the request has spent its budget and says the answer is incomplete', async () => {
    const seen: number[] = [];
    const { complete } = await eachCooperatively(
      [1, 2, 3, 4],
      (item) => {
        seen.push(item);
        spin(workSliceMs + 5);
      },
      new RequestWork(workSliceMs),
    );
    expect(complete).toBe(false);
    expect(seen.length).toBeLessThan(4);
  });
});

describe('UserWorkLimiter', () => {
  it('runs at most the per-user number at once, queues a few more, refuses the rest, and never blocks others', async () => {
    const limiter = new UserWorkLimiter({ perUser: 2, queue: 1 });
    const gates: Array<() => void> = [];
    const running: string[] = [];
    const task = (name: string) => () =>
      new Promise<string>((resolve) => {
        running.push(name);
        gates.push(() => resolve(name));
      });
    const first = limiter.run(1, task('a'));
    const second = limiter.run(1, task('b'));
    const queued = limiter.run(1, task('c'));
    await nextTurn();
    expect(running).toEqual(['a', 'b']);

    const refused = await limiter.run(1, task('d')).catch((error: unknown) => error);
    expect(isAppError(refused) && refused.reason).toBe('rate-limited');

    const other = limiter.run(2, task('other'));
    await nextTurn();
    expect(running).toEqual(['a', 'b', 'other']);

    gates.shift()?.();
    expect(await first).toBe('a');
    await nextTurn();
    expect(running).toEqual(['a', 'b', 'other', 'c']);
    for (const open of gates.splice(0)) open();
    expect(await Promise.all([second, queued, other])).toEqual(['b', 'c', 'other']);
  });
});
