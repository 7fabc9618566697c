import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

const alice = 2001;
const bob = 2002;
const carol = 2003;
const dayMs = 86_400_000;

describe(`account erasure and retention [${testEngine}]`, () => {
  let test: WorkerTest;

  beforeAll(async () => {
    test = await openWorkerTest();
    for (const id of [alice, bob, carol]) {
      await test.services.accounts.ensureUser({
        telegramId: id,
        username: `user${id}`,
        timeZone: 'Europe/Berlin',
      });
      const start = new Date(Date.now() + 5 * dayMs);
      await test.services.calendars.createEvent(id, {
        summary: `Event of ${id}`,
        start,
        end: new Date(start.getTime() + 3_600_000),
        reminders: [10],
      });
    }
    await test.services.devices.createDevice(alice, 'phone');
    for (const id of [alice, carol]) {
      await test.database.db
        .insertInto('bot_sessions')
        .values({ key: String(id), value: JSON.stringify({ draft: 'lunch' }) })
        .execute();
    }
  });
  afterAll(async () => {
    await test.close();
  });

  it('erases an account 30 days after the request: every row it owns, its jobs, and personal data in the audit log', async () => {
    await test.services.accounts.requestDeletion(alice);
    await test.services.accounts.requestDeletion(bob);
    await test.services.accounts.cancelDeletion(bob);
    const worker = test.start({ workerId: 'eraser' });
    await drained(test, 'calendar.object-changed');
    const aliceJobsBefore = await test.database.db
      .selectFrom('outbox_messages')
      .select('id')
      .where('user_id', '=', alice)
      .where('kind', '<>', 'account.erase')
      .execute();
    expect(aliceJobsBefore.length).toBeGreaterThan(0);

    test.clock.advance(30 * dayMs + 60_000);
    const [erasure, cancelled] = await drained(test, 'account.erase');
    await worker.stop();

    expect(erasure?.status).toBe('done');
    expect(erasure?.user_id).toBeNull();
    expect(erasure?.dedupe_key).toBeNull();
    expect(erasure?.payload).toEqual({ erased: true });
    expect(cancelled?.status).toBe('cancelled');
    const db = test.database.db;
    expect(await db.selectFrom('users').select('telegram_id').orderBy('telegram_id').execute()).toEqual([
      { telegram_id: bob },
      { telegram_id: carol },
    ]);
    for (const table of ['preferences', 'device_passwords', 'login_tokens', 'web_sessions'] as const) {
      const rows = await db.selectFrom(table).select('user_id').where('user_id', '=', alice).execute();
      expect(rows, table).toEqual([]);
    }
    for (const table of ['calendars', 'calendar_objects'] as const) {
      const rows = await db.selectFrom(table).select('owner_id').where('owner_id', '=', alice).execute();
      expect(rows, table).toEqual([]);
    }
    expect(
      await db.selectFrom('outbox_messages').select('id').where('user_id', '=', alice).execute(),
    ).toEqual([]);
    expect(await db.selectFrom('audit_log').select('id').where('user_id', '=', alice).execute()).toEqual([]);
    const stripped = await db
      .selectFrom('audit_log')
      .select(['table_name', 'operation'])
      .where('row_key', '=', 'erased')
      .where('table_name', '=', 'users')
      .execute();
    expect(stripped).toEqual(
      expect.arrayContaining([
        { table_name: 'users', operation: 'insert' },
        { table_name: 'users', operation: 'delete' },
      ]),
    );
    // Bob undid his request and Carol never asked: their data is untouched.
    expect((await test.services.calendars.listCalendars(bob)).length).toBe(1);
    expect(
      (await db.selectFrom('audit_log').select('id').where('user_id', '=', carol).execute()).length,
    ).toBeGreaterThan(0);
    test.clock.offsetMs = 0;
  });

  it('does not erase when the request was withdrawn after the job was written', async () => {
    await test.services.accounts.requestDeletion(carol);
    // An undo that raced the job: the request is gone but the job is still pending.
    await test.database.db
      .updateTable('users')
      .set({ deletion_requested_at: null })
      .where('telegram_id', '=', carol)
      .execute();
    const worker = test.start({ workerId: 'eraser-2' });
    test.clock.advance(31 * dayMs);
    await drained(test, 'account.erase');
    await worker.stop();
    test.clock.offsetMs = 0;
    const job = (await jobsOf(test, 'account.erase')).find((j) => j.user_id === carol);
    expect(job?.status).toBe('done');
    expect((await test.services.accounts.getUser(carol)).telegramId).toBe(carol);
  });

  it('purges audit rows older than two years and keeps younger ones', async () => {
    const db = test.database.db;
    const now = test.clock.now();
    const old = new Date(now.getTime() - 2 * 366 * dayMs);
    const young = new Date(now.getTime() - 700 * dayMs);
    await sql`insert into audit_log (table_name, operation, row_key, changed_at)
      values ('users', 'update', 'retention-old', ${old}), ('users', 'update', 'retention-young', ${young})`.execute(
      db,
    );
    await enqueueMessages(db, [{ kind: 'retention.purge', payload: {}, dedupeKey: 'retention-test' }]);
    const worker = test.start({ workerId: 'purger' });
    const [job] = await drained(test, 'retention.purge');
    await worker.stop();
    expect(job?.status).toBe('done');
    const left = await db
      .selectFrom('audit_log')
      .select('row_key')
      .where('row_key', 'like', 'retention-%')
      .execute();
    expect(left).toEqual([{ row_key: 'retention-young' }]);
  });
});
