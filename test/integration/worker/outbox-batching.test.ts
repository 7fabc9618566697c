import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelPendingByKeyPrefix,
  completeMessages,
  upsertScheduledMessages,
} from '../../../src/storage/repositories/outbox-claim-repository.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { transact } from '../../../src/storage/transaction.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

// PostgreSQL refuses a statement with more than 65,535 bind parameters. A scheduled job binds
// five (kind, payload, key, run_at, user), so 14,000 of them in one INSERT bind 70,000: the
// kind of statement that made the hourly reminder roll fail for every user.
const rows = 14_000;

function reminders(prefix: string, count: number) {
  const base = Date.parse('2030-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => ({
    kind: 'reminder.send',
    dedupeKey: `${prefix}${i}`,
    runAt: new Date(base + i * 60_000),
    userId: 1,
    payload: { n: i },
  }));
}

async function statusCounts(database: TestDatabase, prefix: string) {
  const found = await database.db
    .selectFrom('outbox_messages')
    .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
    .where('dedupe_key', 'like', `${prefix}%`)
    .groupBy('status')
    .execute();
  return Object.fromEntries(found.map((r) => [r.status, Number(r.count)]));
}

describe(`outbox bulk statements stay within the bind-parameter limit [${testEngine}]`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('upserts 14,000 scheduled jobs in one transaction and updates them on the second run', async () => {
    const jobs = reminders('reminder:bulk:', rows);
    await transact(database.db, (trx) => upsertScheduledMessages(trx, jobs));
    expect(await statusCounts(database, 'reminder:bulk:')).toEqual({ pending: rows });

    const moved = jobs.map((j) => ({ ...j, runAt: new Date(j.runAt.getTime() + 3_600_000) }));
    await upsertScheduledMessages(database.db, moved);
    const last = await database.db
      .selectFrom('outbox_messages')
      .select('run_at')
      .where('dedupe_key', '=', `reminder:bulk:${rows - 1}`)
      .executeTakeFirstOrThrow();
    expect(last.run_at.toISOString()).toBe(moved[rows - 1]?.runAt.toISOString());
  });

  it('enqueues 14,000 plain jobs at once', async () => {
    await enqueueMessages(database.db, reminders('plain:', rows));
    expect(await statusCounts(database, 'plain:')).toEqual({ pending: rows });
  });

  it('cancels by prefix keeping a list longer than the parameter limit', async () => {
    await upsertScheduledMessages(database.db, reminders('reminder:keep:', rows));
    // Every real key but the last ten, plus 60,000 that match nothing: 73,990 keys in all.
    const keep = [
      ...Array.from({ length: rows - 10 }, (_, i) => `reminder:keep:${i}`),
      ...Array.from({ length: 60_000 }, (_, i) => `reminder:keep:none-${i}`),
    ];
    const cancelled = await cancelPendingByKeyPrefix(database.db, {
      kind: 'reminder.send',
      keyPrefix: 'reminder:keep:',
      keep,
    });
    expect(cancelled).toBe(10);
    expect(await statusCounts(database, 'reminder:keep:')).toEqual({ pending: rows - 10, cancelled: 10 });
  });

  it('completes a list of 70,000 job ids without a bind error', async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) => i + 1);
    // None of them is held by this worker: nothing changes, and nothing fails.
    expect(await completeMessages(database.db, ids, 'no-such-worker')).toBe(0);
  });
});
