import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { listenForOutboxJobs, outboxChannel } from '../../../src/storage/outbox-notifications.ts';
import { reclaimExpiredLeases } from '../../../src/storage/repositories/outbox-claim-repository.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { PermanentJobError } from '../../../src/worker/job-errors.ts';
import type { MailMessage, MailSender } from '../../../src/worker/mail-sender.ts';
import { startWorker } from '../../../src/worker/run-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import {
  drained,
  eventually,
  jobsOf,
  openWorkerTest,
  setJobTimes,
  type WorkerTest,
} from './worker-support.ts';

/** A mail sender that records what it is asked to send and fails as told. */
function recordingMail(behaviour: (m: MailMessage) => Promise<void> = async () => {}) {
  const sent: MailMessage[] = [];
  const sender: MailSender = {
    async send(message) {
      await behaviour(message);
      sent.push(message);
      return { messageId: `<${sent.length}@test>` };
    },
    close() {},
  };
  return { sent, sender };
}

function email(prefix: string) {
  return {
    kind: 'email.send',
    payload: { to: `${prefix}-0@example.com`, subject: 's', text: 't' },
    dedupeKey: `${prefix}-0`,
  };
}

function emails(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'email.send',
    payload: { to: `${prefix}-${i}@example.com`, subject: 's', text: 't' },
    dedupeKey: `${prefix}-${i}`,
  }));
}

describe(`outbox runner [${testEngine}]`, () => {
  let test: WorkerTest;

  beforeAll(async () => {
    test = await openWorkerTest();
  });
  afterAll(async () => {
    await test.close();
  });

  it('runs every job exactly once with three workers claiming concurrently', async () => {
    const mail = recordingMail();
    await enqueueMessages(test.database.db, emails('many', 300));
    const workers = ['a', 'b', 'c'].map((id) =>
      test.start({ workerId: `runner-${id}`, mail: mail.sender, kinds: ['email.send'], batchSize: 10 }),
    );
    const rows = await eventually(async () => {
      const all = (await jobsOf(test, 'email.send')).filter((r) => r.dedupe_key?.startsWith('many-'));
      return all.every((r) => r.status === 'done') ? all : undefined;
    });
    await Promise.all(workers.map((w) => w.stop()));
    expect(rows).toHaveLength(300);
    expect(mail.sent).toHaveLength(300);
    expect(new Set(mail.sent.map((m) => m.to)).size).toBe(300);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.locked_by)).size).toBeGreaterThan(1);
  });

  it('keeps the first job when the same dedupe key is enqueued twice', async () => {
    await enqueueMessages(test.database.db, emails('twice', 1));
    await enqueueMessages(test.database.db, emails('twice', 1));
    const rows = (await jobsOf(test, 'email.send')).filter((r) => r.dedupe_key === 'twice-0');
    expect(rows).toHaveLength(1);
  });

  it('retries with exponential backoff, then fails for good keeping the last error', async () => {
    let calls = 0;
    const mail = recordingMail(async (m) => {
      if (!m.to.startsWith('backoff-')) return;
      calls += 1;
      throw new Error(`SMTP timeout #${calls}`);
    });
    await enqueueMessages(test.database.db, [{ ...email('backoff'), maxAttempts: 3 }]);
    const worker = test.start({ workerId: 'backoff', mail: mail.sender, kinds: ['email.send'] });
    const find = async () => {
      const row = (await jobsOf(test, 'email.send')).find((r) => r.dedupe_key === 'backoff-0');
      if (!row) throw new Error('the backoff job is missing');
      return row;
    };
    const delays: number[] = [];
    for (const attempt of [1, 2]) {
      const before = test.clock.now().getTime();
      const row = await eventually(async () => {
        const r = await find();
        return r.attempts === attempt && r.status === 'pending' ? r : undefined;
      });
      delays.push(Math.round((row.run_at.getTime() - before) / 60_000));
      expect(row.last_error).toContain(`SMTP timeout #${attempt}`);
      test.clock.set(row.run_at);
    }
    const failed = await eventually(async () => {
      const r = await find();
      return r.status === 'failed' ? r : undefined;
    });
    await worker.stop();
    test.clock.offsetMs = 0;
    expect(delays).toEqual([1, 2]);
    expect(failed.attempts).toBe(3);
    expect(failed.last_error).toContain('SMTP timeout #3');
    expect(calls).toBe(3);
  });

  it('fails a permanent error at once, and a payload that does not fit its kind', async () => {
    const mail = recordingMail(async (m) => {
      if (m.to.startsWith('permanent-')) throw new PermanentJobError('550 mailbox unavailable');
    });
    await enqueueMessages(test.database.db, [
      ...emails('permanent', 1),
      { kind: 'email.send', payload: { to: 42 }, dedupeKey: 'malformed' },
      { kind: 'no.such-kind', payload: {}, dedupeKey: 'unknown-kind' },
    ]);
    const worker = test.start({ workerId: 'permanent', mail: mail.sender });
    const rows = await eventually(async () => {
      const all = await test.database.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('dedupe_key', 'in', ['permanent-0', 'malformed', 'unknown-kind'])
        .orderBy('dedupe_key')
        .execute();
      return all.every((r) => r.status === 'failed') ? all : undefined;
    });
    await worker.stop();
    expect(rows.map((r) => [r.dedupe_key, r.attempts])).toEqual([
      ['malformed', 1],
      ['permanent-0', 1],
      ['unknown-kind', 1],
    ]);
    expect(rows.map((r) => r.last_error)).toEqual([
      expect.stringContaining('malformed email.send payload'),
      expect.stringContaining('550 mailbox unavailable'),
      expect.stringContaining('no handler for job kind "no.such-kind"'),
    ]);
  });

  it('reclaims a job left processing by a dead worker once its lease expires', async () => {
    const mail = recordingMail();
    await enqueueMessages(test.database.db, emails('orphan', 1));
    const orphan = (await jobsOf(test, 'email.send')).find((r) => r.dedupe_key === 'orphan-0');
    if (!orphan) throw new Error('the orphan job is missing');
    await test.database.db
      .updateTable('outbox_messages')
      .set({ status: 'processing', locked_by: 'dead-worker', attempts: 1 })
      .where('id', '=', orphan.id)
      .execute();
    await setJobTimes(test, orphan.id, { lockedAt: new Date(test.clock.now().getTime() - 10 * 60_000) });
    const worker = test.start({ workerId: 'reaper', mail: mail.sender, leaseMs: 5 * 60_000 });
    const row = await eventually(async () => {
      const r = (await jobsOf(test, 'email.send')).find((j) => j.id === orphan.id);
      return r?.status === 'done' ? r : undefined;
    });
    await worker.stop();
    expect(row.attempts).toBe(2);
    expect(row.locked_by).toBe('reaper');
    expect(mail.sent.map((m) => m.to)).toEqual(['orphan-0@example.com']);
  });

  it('on stop finishes the running job and releases the claimed ones that have not started', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const mail = recordingMail(async () => {
      started += 1;
      await gate;
    });
    await enqueueMessages(test.database.db, emails('graceful', 4));
    const worker = test.start({ workerId: 'graceful', mail: mail.sender, batchSize: 4, concurrency: 1 });
    await eventually(async () => started === 1);
    const stopped = worker.stop();
    release();
    await stopped;
    const rows = (await jobsOf(test, 'email.send')).filter((r) => r.dedupe_key?.startsWith('graceful-'));
    expect(rows.map((r) => [r.status, r.attempts, r.locked_by]).sort()).toEqual([
      ['done', 1, 'graceful'],
      ['pending', 0, null],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    expect(mail.sent).toHaveLength(1);
    // The released jobs are picked up by the next worker.
    const next = test.start({ workerId: 'graceful-2', mail: mail.sender });
    await drained(test, 'email.send');
    await next.stop();
    expect(mail.sent.map((m) => m.to).sort()).toEqual([0, 1, 2, 3].map((i) => `graceful-${i}@example.com`));
  });

  it('claims the next batch while the last job of a full batch runs, and gives it back on stop', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mail = recordingMail(() => gate);
    await enqueueMessages(test.database.db, emails('ahead', 3));
    const mine = async () =>
      (await jobsOf(test, 'email.send')).filter((r) => r.dedupe_key?.startsWith('ahead-'));
    const leaseMs = 1_200;
    const worker = test.start({
      workerId: 'ahead',
      mail: mail.sender,
      batchSize: 1,
      concurrency: 1,
      leaseMs,
    });
    // The first job hangs in its send; the second is claimed meanwhile but does not start.
    await eventually(async () => (await mine()).filter((r) => r.status === 'processing').length === 2);
    expect(mail.sent).toHaveLength(0);
    // Both leases are renewed while the send hangs for longer than a lease: the clock moves two
    // leases on, the heartbeat stamps both jobs with the moved time, and nothing is reclaimable.
    test.clock.advance(2 * leaseMs);
    const moved = test.clock.now().getTime();
    await eventually(
      async () =>
        (await mine()).filter((r) => r.status === 'processing' && (r.locked_at?.getTime() ?? 0) >= moved)
          .length === 2,
    );
    expect(await reclaimExpiredLeases(test.database.db, { now: test.clock.now(), leaseMs })).toEqual({
      requeued: 0,
      failed: 0,
    });
    const stopped = worker.stop();
    release();
    await stopped;
    expect((await mine()).map((r) => [r.status, r.attempts, r.locked_by]).sort()).toEqual([
      ['done', 1, 'ahead'],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    expect(mail.sent).toHaveLength(1);
    test.clock.offsetMs = 0;
  });

  it('wakes promptly when a job is enqueued (LISTEN/NOTIFY on PostgreSQL, polling on PGlite)', async () => {
    const mail = recordingMail();
    // On PostgreSQL the poll fallback is set far beyond the test timeout: only NOTIFY can wake it.
    const pollIntervalMs = testEngine === 'postgres' ? 600_000 : 50;
    // The production listener with the notifications it hears counted, so the test knows when
    // LISTEN is live rather than guessing how long connecting takes.
    let heard = 0;
    const databaseUrl = test.database.url;
    const worker = startWorker({
      services: test.services,
      listenForNewJobs: databaseUrl
        ? (events) =>
            listenForOutboxJobs(databaseUrl, {
              ...events,
              notified: () => {
                heard++;
                events.notified();
              },
            })
        : undefined,
      config: test.config,
      logger: createLogger('silent'),
      metrics: test.metrics,
      workerId: 'sleeper',
      options: {
        now: test.clock.now,
        mail: mail.sender,
        pollIntervalMs,
        maintenanceIntervalMs: 0,
        schedulePeriodicJobs: false,
        kinds: ['email.send'],
      },
    });
    if (databaseUrl) {
      await eventually(async () => {
        await sql.raw(`notify ${outboxChannel}`).execute(test.database.db);
        return heard > 0;
      });
    }
    await enqueueMessages(test.database.db, emails('wake', 1));
    await eventually(async () => mail.sent.some((m) => m.to === 'wake-0@example.com'));
    await worker.stop();
    expect(mail.sent.filter((m) => m.to === 'wake-0@example.com')).toHaveLength(1);
  });

  it('reports queue depth by kind and status, durations, failures and retries on the registry', async () => {
    const worker = test.start({ workerId: 'metrics', mail: recordingMail().sender, kinds: ['noop'] });
    await enqueueMessages(test.database.db, [{ kind: 'noop', payload: {}, dedupeKey: 'noop-metrics' }]);
    await drained(test, 'noop');
    const text = await eventually(async () => {
      const t = await test.metrics.registry.metrics();
      return t.includes('televent_worker_queue_jobs{kind="noop",status="done"} 1') ? t : undefined;
    });
    await worker.stop();
    expect(text).toContain('televent_worker_queue_jobs{kind="email.send",status="failed"}');
    expect(text).toMatch(/televent_worker_job_duration_seconds_count\{kind="noop",outcome="done"\} 1/);
    expect(text).toMatch(/televent_worker_job_failures_total\{kind="email.send",reason="exhausted"\} 1/);
    expect(text).toMatch(/televent_worker_job_retries_total\{kind="email.send"\} 2/);
  });
});
