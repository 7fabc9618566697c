import { sql } from 'kysely';
import type { Executor } from '../transaction.ts';

/** One user as the operator's `televent user list` shows it. */
export interface OperatorUserRow {
  telegram_id: number;
  username: string | null;
  time_zone: string | null;
  created_at: Date;
  calendars: number;
  devices: number;
}

/**
 * Users oldest first, `limit` of them after `offset`, each with how many calendars it owns and
 * how many device passwords it holds (counted by correlated subqueries on indexed owner columns).
 */
export async function listUsersForOperator(
  db: Executor,
  page: { limit: number; offset: number },
): Promise<OperatorUserRow[]> {
  return db
    .selectFrom('users as u')
    .select((eb) => [
      'u.telegram_id',
      'u.username',
      'u.time_zone',
      'u.created_at',
      eb
        .selectFrom('calendars')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('calendars.owner_id', '=', 'u.telegram_id')
        .as('calendars'),
      eb
        .selectFrom('device_passwords')
        .select((d) => d.fn.countAll<number>().as('n'))
        .whereRef('device_passwords.user_id', '=', 'u.telegram_id')
        .as('devices'),
    ])
    .where('u.telegram_id', '>', 0) // people only: a group with a calendar is a users row too (negative id)
    .orderBy('u.created_at')
    .orderBy('u.telegram_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute() as Promise<OperatorUserRow[]>;
}

/** Whole-database counts for `televent stats`; every figure is one aggregate query. */
export interface OperatorCountsRow {
  users: number;
  /** Telegram groups with a calendar (their users rows are not counted as users). */
  groups: number;
  calendars: number;
  devices: number;
  objectsByComponent: Array<{ component: string; count: number }>;
  pendingJobsByKind: Array<{ kind: string; count: number }>;
  /** run_at of the job that has waited longest past its time (due, not yet done); null: none. */
  oldestDueJobAt: Date | null;
  databaseBytes: number | null;
}

async function countRows(
  db: Executor,
  table: 'calendars' | 'device_passwords' | 'telegram_groups',
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countPeople(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('telegram_id', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function operatorCounts(db: Executor, now: Date): Promise<OperatorCountsRow> {
  const [users, groups, calendars, devices] = [
    await countPeople(db),
    await countRows(db, 'telegram_groups'),
    await countRows(db, 'calendars'),
    await countRows(db, 'device_passwords'),
  ];
  const objects = await db
    .selectFrom('calendar_objects')
    .select((eb) => ['component_type', eb.fn.countAll<number>().as('n')])
    .groupBy('component_type')
    .orderBy('component_type')
    .execute();
  const jobs = await db
    .selectFrom('outbox_messages')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'processing'])
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  // Reminders are queued days ahead: what says the worker lags is the oldest job already due.
  const due = await db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.min('run_at').as('oldest'))
    .where('status', 'in', ['pending', 'processing'])
    .where('run_at', '<=', now)
    .executeTakeFirst();
  const size = await sql<{
    bytes: number | string | null;
  }>`select pg_database_size(current_database()) as bytes`
    .execute(db)
    .then((result) => result.rows[0]?.bytes ?? null)
    .catch(() => null);
  return {
    users,
    groups,
    calendars,
    devices,
    objectsByComponent: objects.map((o) => ({ component: o.component_type, count: Number(o.n) })),
    pendingJobsByKind: jobs.map((j) => ({ kind: j.kind, count: Number(j.n) })),
    oldestDueJobAt: due?.oldest ? new Date(due.oldest) : null,
    databaseBytes: size === null ? null : Number(size),
  };
}
