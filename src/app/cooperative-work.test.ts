import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { eachCooperatively, RequestWork, UserWorkLimiter, workSliceMs } from './cooperative-work.ts';
import { isAppError } from './errors.ts';

/** A clock the test moves by hand: each item "holds the CPU" for as long as the test says. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let ms = 0;
  return {
    now: () => ms,
    advance: (by) => {
      ms += by;
    },
  };
}

describe('eachCooperatively', () => {
  it('lets other work run between items once a slice is used, so one long request cannot starve others', async () => {
    let otherRanAfter = -1;
    let done = 0;
    setImmediate(() => {
      otherRanAfter = done;
    });
    const clock = manualClock();
    const { complete } = await eachCooperatively(
      [1, 2, 3],
      () => {
        clock.advance(workSliceMs + 5);
        done++;
      },
      new RequestWork(1_000, clock.now),
    );
    expect(complete).toBe(true);
    // The other callback ran after the first item, not after the whole loop.
    expect(otherRanAfter).toBe(1);
  });

  it('stops when the request has spent its budget and says the answer is incomplete', async () => {
    const seen: number[] = [];
    const clock = manualClock();
    // Each item holds the loop for 20 ms of a 50 ms budget. The budget is checked before each item:
    // items 1-3 start with 0, 20 and 40 ms spent, item 4 would start with 60 ms and is left out.
    const { complete } = await eachCooperatively(
      [1, 2, 3, 4],
      (item) => {
        seen.push(item);
        clock.advance(workSliceMs + 5);
      },
      new RequestWork(50, clock.now),
    );
    expect(complete).toBe(false);
    expect(seen).toEqual([1, 2, 3]);
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
