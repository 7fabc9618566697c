import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScheduledJob } from '../../app/jobs.ts';
import { nextDigest } from '../digest-schedule.ts';
import type { JobContext, JobHandler } from '../job-context.ts';
import { errorText } from '../job-errors.ts';

const pageSize = 500;
/** A digest late by up to this much after downtime is still sent; older ones wait for tomorrow. */
export const digestGraceMs = 3 * 3_600_000;

type DigestJob = ScheduledJob<'digest.send'> & { userId: number };

/**
 * 'digests.plan' (every 10 minutes): enqueues each user's next digest, one job per user and
 * local day ('digest:<user>:<YYYY-MM-DD>'), so it is sent once that day however often this runs.
 * A changed digest time moves the pending job of that day. A user whose digest cannot be planned
 * (a zone or time that does not compute, a failing write) is logged, counted and skipped; the
 * other users are planned all the same. Users who blocked the bot are not planned
 * (docs/worker-delivery.md#reachability).
 */
export const planDigests: JobHandler<'digests.plan'> = async (_payload, context) => {
  const now = context.now();
  let afterUserId = 0;
  let planned = 0;
  for (;;) {
    const users = await context.services.digestPlanning.listRecipients({ afterUserId, limit: pageSize });
    const jobs: DigestJob[] = [];
    for (const user of users) {
      try {
        const timeZone = user.timeZone ?? 'UTC';
        const next = nextDigest(now, timeZone, user.digestTime, digestGraceMs);
        jobs.push({
          kind: 'digest.send',
          dedupeKey: `digest:${user.userId}:${next.localDate}`,
          runAt: next.at,
          userId: user.userId,
          payload: { userId: user.userId, localDate: next.localDate, timeZone },
        });
      } catch (error) {
        skipped(context, user.userId, error);
      }
    }
    planned += await enqueueDigests(context, jobs);
    if (users.length < pageSize) break;
    afterUserId = users[users.length - 1]?.userId ?? afterUserId;
    await nextTurn();
  }
  context.logger.debug({ planned }, 'digests planned');
};

/** One statement for the page; if it fails, one per user, so only the failing user is skipped. */
async function enqueueDigests(context: JobContext, jobs: readonly DigestJob[]): Promise<number> {
  try {
    await context.services.digestPlanning.schedule(jobs);
    return jobs.length;
  } catch {
    let planned = 0;
    for (const job of jobs) {
      try {
        await context.services.digestPlanning.schedule([job]);
        planned += 1;
      } catch (error) {
        skipped(context, job.userId, error);
      }
      await nextTurn();
    }
    return planned;
  }
}

function skipped(context: JobContext, userId: number, error: unknown): void {
  context.metrics.planningFailures.inc({ planner: 'digests' });
  context.logger.warn({ userId, error: errorText(error) }, 'user skipped by digest planning');
}
