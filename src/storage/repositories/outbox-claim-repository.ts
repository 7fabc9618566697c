import { sql } from 'kysely';
import type { OutboxMessageRow, OutboxStatus } from '../schema.ts';
import type { Executor } from '../transaction.ts';
import { columnsPerRow, type OutboxMessage, toOutboxRow, withinBindLimit } from './outbox-repository.ts';

/** Longest `last_error` kept on a job: enough for a reason, never a whole payload or statement. */
export const maxStoredErrorChars = 500;

/**
 * Claims up to `limit` due jobs for `workerId`. FOR UPDATE SKIP LOCKED lets several workers
 * claim concurrently without waiting on or double-claiming each other's rows (PostgreSQL docs,
 * SELECT "The Locking Clause"). The attempt is counted at claim time, so a worker that crashes
 * mid-job has still used one attempt when its lease is reclaimed.
 */
export async function claimDueMessages(
  db: Executor,
  claim: { workerId: string; limit: number; now: Date; kinds?: readonly string[] | undefined },
): Promise<OutboxMessageRow[]> {
  const kinds = claim.kinds && claim.kinds.length > 0 ? claim.kinds : null;
  const result = await sql<OutboxMessageRow>`
    update outbox_messages
       set status = 'processing', locked_at = ${claim.now}, locked_by = ${claim.workerId},
           attempts = attempts + 1
     where id in (
       select id from outbox_messages
        where status = 'pending' and run_at <= ${claim.now}
          ${kinds ? sql`and kind in (${sql.join(kinds)})` : sql``}
        order by run_at, id
        limit ${claim.limit}
        for update skip locked)
    returning *`.execute(db);
  // RETURNING keeps no order: hand the batch out oldest first, as it was chosen.
  return result.rows.sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || a.id - b.id);
}

/**
 * An UPDATE of jobs this worker still holds. Only the lease holder may change a claimed job: one
 * reclaimed from a stalled worker and claimed again elsewhere is left alone by the stalled one.
 */
function heldJobs(db: Executor, workerId: string, ids: readonly number[]) {
  return db
    .updateTable('outbox_messages')
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'processing');
}

/**
 * Marks claimed jobs done, many per statement. Only the lease holder may: a job reclaimed from
 * a stalled worker and claimed again elsewhere is not finished by the stalled one.
 */
export async function completeMessages(
  db: Executor,
  ids: readonly number[],
  workerId: string,
): Promise<number> {
  let done = 0;
  for (const chunk of withinBindLimit(ids, 1)) {
    const result = await heldJobs(db, workerId, chunk)
      .set({ status: 'done', locked_at: null, last_error: null })
      .executeTakeFirst();
    done += Number(result.numUpdatedRows);
  }
  return done;
}

/** Renews the lease of jobs this worker is still running (heartbeat during a long batch). */
export async function extendLeases(
  db: Executor,
  ids: readonly number[],
  workerId: string,
  now: Date,
): Promise<void> {
  for (const chunk of withinBindLimit(ids, 1)) {
    await heldJobs(db, workerId, chunk).set({ locked_at: now }).execute();
  }
}

/** Sends a claimed job back to 'pending' at `runAt` (a retry), keeping the error. */
export async function retryMessage(
  db: Executor,
  id: number,
  workerId: string,
  retry: { runAt: Date; error: string },
): Promise<boolean> {
  const result = await heldJobs(db, workerId, [id])
    .set({
      status: 'pending',
      run_at: retry.runAt,
      locked_at: null,
      locked_by: null,
      last_error: retry.error.slice(0, maxStoredErrorChars),
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks a claimed job failed for good, keeping the error. */
export async function failMessage(
  db: Executor,
  id: number,
  workerId: string,
  error: string,
): Promise<boolean> {
  const result = await heldJobs(db, workerId, [id])
    .set({ status: 'failed', locked_at: null, last_error: error.slice(0, maxStoredErrorChars) })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Hands claimed jobs that never started back to the queue (graceful stop): the attempt they
 * were charged at claim time is refunded, since nothing ran.
 */
export async function releaseMessages(
  db: Executor,
  ids: readonly number[],
  workerId: string,
): Promise<number> {
  let released = 0;
  for (const chunk of withinBindLimit(ids, 1)) {
    const result = await heldJobs(db, workerId, chunk)
      .set((eb) => ({
        status: 'pending',
        locked_at: null,
        locked_by: null,
        attempts: eb('attempts', '-', 1),
      }))
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}

/**
 * Jobs left 'processing' longer than the lease belong to a worker that died or stalled: they go
 * back to 'pending', or to 'failed' when their attempts are used up. Returns how many of each.
 */
export async function reclaimExpiredLeases(
  db: Executor,
  lease: { now: Date; leaseMs: number },
): Promise<{ requeued: number; failed: number }> {
  const cutoff = new Date(lease.now.getTime() - lease.leaseMs);
  const result = await sql<{ status: OutboxStatus }>`
    update outbox_messages
       set status = case when attempts >= max_attempts then 'failed' else 'pending' end,
           locked_at = null,
           locked_by = case when attempts >= max_attempts then locked_by end,
           last_error = 'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped answering'
     where status = 'processing' and locked_at < ${cutoff}
    returning status`.execute(db);
  const failed = result.rows.filter((r) => r.status === 'failed').length;
  return { requeued: result.rows.length - failed, failed };
}

export interface QueueDepth {
  kind: string;
  status: OutboxStatus;
  count: number;
}

/** Job counts by kind and status, for the queue-depth gauge. */
export async function queueDepth(db: Executor): Promise<QueueDepth[]> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.count) }));
}

/**
 * Due jobs still waiting for a worker, by kind, with the run_at of the oldest: the queue gauges
 * read at each scrape. One statement over the partial index on pending run_at
 * (outbox_messages_pending_idx), so jobs planned for later and finished ones are never read.
 */
export async function waitingJobs(
  db: Executor,
  now: Date,
): Promise<Array<{ kind: string; count: number; oldestRunAt: Date }>> {
  const rows = await db
    .selectFrom('outbox_messages')
    .where('status', '=', 'pending')
    .where('run_at', '<=', now)
    .select(['kind', (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.min('run_at').as('oldest')])
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, count: Number(r.count), oldestRunAt: new Date(r.oldest) }));
}

/**
 * Enqueues scheduled jobs whose key names what they are for (a reminder's occurrence and
 * trigger, a user's local day): a pending or cancelled row with the key is brought up to date
 * and made pending again, while a row already done, failed or running is left alone, so each
 * thing happens once however often it is planned. Many rows go in several statements, each
 * within the bind-parameter limit (in the caller's transaction when it passes one).
 */
export async function upsertScheduledMessages(
  db: Executor,
  messages: readonly (OutboxMessage & { dedupeKey: string })[],
): Promise<void> {
  const rows = messages.map(toOutboxRow);
  for (const chunk of withinBindLimit(rows, columnsPerRow(rows))) {
    await db
      .insertInto('outbox_messages')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .column('dedupe_key')
          .doUpdateSet((eb) => ({
            payload: eb.ref('excluded.payload'),
            run_at: eb.ref('excluded.run_at'),
            status: 'pending',
            attempts: 0,
            last_error: null,
          }))
          .where('outbox_messages.status', 'in', ['pending', 'cancelled']),
      )
      .execute();
  }
}

/** A LIKE pattern matching every text that starts with `prefix` literally. */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Cancels pending jobs of `kind` whose key starts with `keyPrefix` and is not in `keep`
 * (an event's reminders that its new version no longer has). Returns how many. `keep` travels
 * as one JSON parameter, so however long it is the statement binds four.
 */
export async function cancelPendingByKeyPrefix(
  db: Executor,
  filter: { kind: string; keyPrefix: string; keep?: readonly string[] },
): Promise<number> {
  let query = db
    .updateTable('outbox_messages')
    .set({ status: 'cancelled' })
    .where('status', '=', 'pending')
    .where('kind', '=', filter.kind)
    .where('dedupe_key', 'like', startsWith(filter.keyPrefix));
  if (filter.keep && filter.keep.length > 0) {
    const keep = JSON.stringify(filter.keep);
    query = query.where(sql<boolean>`dedupe_key not in (select jsonb_array_elements_text(${keep}::jsonb))`);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Pending jobs of `kind` for one user due in [from, to), leaving out those whose key starts
 * with `exceptKeyPrefix` (the event being planned again, whose jobs it replaces).
 */
export async function countPendingJobsOfUser(
  db: Executor,
  filter: { kind: string; userId: number; from: Date; to: Date; exceptKeyPrefix: string },
): Promise<number> {
  const row = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', filter.userId)
    .where('status', '=', 'pending')
    .where('kind', '=', filter.kind)
    .where('run_at', '>=', filter.from)
    .where('run_at', '<', filter.to)
    .where('dedupe_key', 'not like', startsWith(filter.exceptKeyPrefix))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes finished jobs (done or cancelled) last touched before `before`. */
export async function purgeFinishedMessages(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('outbox_messages')
    .where('status', 'in', ['done', 'cancelled'])
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Takes a transaction-scoped advisory lock on `key`: serialises the planners of one event. */
export async function lockKey(db: Executor, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}
