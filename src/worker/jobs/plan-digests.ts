import { upsertScheduledMessages } from '../../storage/repositories/outbox-claim-repository.ts';
import { listDigestUsers } from '../../storage/repositories/worker-planning-repository.ts';
import { nextDigest } from '../digest-schedule.ts';
import type { JobHandler } from '../job-context.ts';

const pageSize = 500;
/** A digest late by up to this much after downtime is still sent; older ones wait for tomorrow. */
export const digestGraceMs = 3 * 3_600_000;

/**
 * 'digests.plan' (every 10 minutes): enqueues each user's next digest, one job per user and
 * local day ('digest:<user>:<YYYY-MM-DD>'), so it is sent once that day however often this runs.
 * A changed digest time moves the pending job of that day.
 */
export const planDigests: JobHandler<'digests.plan'> = async (_payload, context) => {
  const now = context.now();
  let afterUserId = 0;
  let planned = 0;
  for (;;) {
    const users = await listDigestUsers(context.db, { afterUserId, limit: pageSize });
    const jobs = users.map((user) => {
      const timeZone = user.timeZone ?? 'UTC';
      const next = nextDigest(now, timeZone, user.digestTime, digestGraceMs);
      return {
        kind: 'digest.send',
        dedupeKey: `digest:${user.userId}:${next.localDate}`,
        runAt: next.at,
        userId: user.userId,
        payload: { userId: user.userId, localDate: next.localDate, timeZone },
      };
    });
    await upsertScheduledMessages(context.db, jobs);
    planned += jobs.length;
    if (users.length < pageSize) break;
    afterUserId = users[users.length - 1]?.userId ?? afterUserId;
  }
  context.logger.debug({ planned }, 'digests planned');
};
