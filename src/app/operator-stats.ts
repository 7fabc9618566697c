import type { Db } from '../storage/db-types.ts';
import { listUsersForOperator, operatorCounts } from '../storage/repositories/operator-repository.ts';
import { AppError } from './errors.ts';
import { maxUserPage } from './operator-limits.ts';

/** One row of `televent user list`. */
export interface OperatorUserView {
  telegramId: number;
  username: string | null;
  timeZone: string | null;
  createdAt: Date;
  calendars: number;
  devices: number;
}

/** What `televent stats` prints: how big the installation is and whether the outbox keeps up. */
export interface OperatorStatsView {
  users: number;
  /** Telegram groups with a calendar. */
  groups: number;
  calendars: number;
  devices: number;
  objectsByComponent: ReadonlyArray<{ component: string; count: number }>;
  /** Jobs waiting or running, per kind. */
  pendingJobsByKind: ReadonlyArray<{ kind: string; count: number }>;
  /** How long the job most overdue (due, not yet done) has waited past its time; null: none. */
  oldestDueJobWaitSeconds: number | null;
  /** pg_database_size of the current database; null where the engine cannot say. */
  databaseBytes: number | null;
}

/**
 * Read-only figures for the operator's CLI (`televent user list`, `televent stats`): no door
 * but the CLI uses them, and they never include anything a user wrote (no titles, no notes).
 */
export class OperatorStats {
  readonly #db: Db;
  readonly #now: () => Date;

  constructor(deps: { db: Db; now?: () => Date }) {
    this.#db = deps.db;
    this.#now = deps.now ?? (() => new Date());
  }

  async listUsers(page: { limit: number; offset: number }): Promise<OperatorUserView[]> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > maxUserPage) {
      throw new AppError('invalid-field', `limit must be 1–${maxUserPage}`);
    }
    if (!Number.isSafeInteger(page.offset) || page.offset < 0) {
      throw new AppError('invalid-field', 'offset must be 0 or more');
    }
    const rows = await listUsersForOperator(this.#db, page);
    return rows.map((row) => ({
      telegramId: Number(row.telegram_id),
      username: row.username,
      timeZone: row.time_zone,
      createdAt: new Date(row.created_at),
      calendars: Number(row.calendars),
      devices: Number(row.devices),
    }));
  }

  async stats(): Promise<OperatorStatsView> {
    const now = this.#now();
    const counts = await operatorCounts(this.#db, now);
    const oldest = counts.oldestDueJobAt;
    return {
      users: counts.users,
      groups: counts.groups,
      calendars: counts.calendars,
      devices: counts.devices,
      objectsByComponent: counts.objectsByComponent,
      pendingJobsByKind: counts.pendingJobsByKind,
      oldestDueJobWaitSeconds:
        oldest === null ? null : Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)),
      databaseBytes: counts.databaseBytes,
    };
  }
}
