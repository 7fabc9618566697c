import { insertAnnouncement } from '../storage/repositories/group-repository.ts';
import type { ChangeOperation } from '../storage/schema.ts';
import type { Executor } from '../storage/transaction.ts';
import { enqueueJobs, holdPendingJob } from './jobs.ts';

/**
 * How long a group's changes are gathered before they are told: a calendar app importing fifty
 * events, or someone fixing a typo twice, makes one message, and a group hears from the bot at
 * most once per window.
 */
export const groupAnnounceWindowMs = 30_000;

/** A change to one event of a group calendar, as the group will be told it. */
export interface GroupChange {
  groupId: number;
  hrefName: string;
  operation: ChangeOperation;
  actorId: number | null;
  summary: string | null;
  startAt: Date | null;
  allDay: boolean;
}

/**
 * Records a change to a group calendar in the writer's transaction, and makes sure one
 * 'group.announce' job will tell it: the one still waiting (held until this commits, so it reads
 * this change too), or a new one a window from now. A job already running has read what it tells;
 * a change after that gets the next job. So the group hears of each change once, whichever door
 * it came through, and at most about once a window. Writers to one calendar are serialised by its
 * revision bump, so two never both add a job.
 */
export async function announceToGroup(trx: Executor, change: GroupChange, now = Date.now()): Promise<void> {
  await insertAnnouncement(trx, {
    group_id: change.groupId,
    href_name: change.hrefName,
    operation: change.operation,
    actor_id: change.actorId,
    summary: change.summary,
    start_at: change.startAt,
    all_day: change.allDay,
  });
  if (await holdPendingJob(trx, change.groupId, 'group.announce')) return;
  await enqueueJobs(trx, [
    {
      kind: 'group.announce',
      payload: { groupId: change.groupId },
      runAt: new Date(now + groupAnnounceWindowMs),
      userId: change.groupId,
    },
  ]);
}

/** Telegram's group ids are negative and its user ids positive: a calendar owned by a group is a group calendar. */
export function isGroupId(ownerId: number): boolean {
  return ownerId < 0;
}

/** One line of a group's announcement: what happened to one event since the group was last told. */
export interface ToldChange {
  operation: ChangeOperation;
  actorName: string | null;
  summary: string | null;
  startAt: Date | null;
  allDay: boolean;
}

/**
 * The changes of a window folded per event, in the order events were first touched: added then
 * changed is "added" (as it is now), changed then deleted is "deleted", added then deleted is
 * nothing at all, and deleted then written again (a client re-uploading it) is "changed".
 */
export function foldChanges(
  changes: ReadonlyArray<GroupChange & { actorName: string | null }>,
): ToldChange[] {
  const byHref = new Map<string, { first: ChangeOperation; last: (typeof changes)[number] }>();
  for (const change of changes) {
    const seen = byHref.get(change.hrefName);
    if (seen) seen.last = change;
    else byHref.set(change.hrefName, { first: change.operation, last: change });
  }
  const told: ToldChange[] = [];
  for (const { first, last } of byHref.values()) {
    const operation: ChangeOperation | null =
      first === 'created'
        ? last.operation === 'deleted'
          ? null
          : 'created'
        : last.operation === 'deleted'
          ? 'deleted'
          : 'modified';
    if (!operation) continue;
    told.push({
      operation,
      actorName: last.actorName,
      summary: last.summary,
      startAt: last.startAt,
      allDay: last.allDay,
    });
  }
  return told;
}
