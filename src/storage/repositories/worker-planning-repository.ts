import type { CalendarObjectRow } from '../schema.ts';
import type { Executor } from '../transaction.ts';

/** Owner, zone and reminder default of one user, as the planners need them. */
export interface PlanningUser {
  userId: number;
  timeZone: string | null;
  locale: string | null;
  /** The bot language chosen in /settings (null: follow `locale`). */
  language: string | null;
  defaultReminderMinutes: number | null;
  /** False when the user turned the default reminder off (null: no preferences row). */
  defaultReminderEnabled: boolean | null;
  digestEnabled: boolean;
  digestTime: string | null;
  /** Set while the user has blocked the bot: nothing new is planned for them. */
  botBlockedAt: Date | null;
}

export async function findPlanningUser(db: Executor, userId: number): Promise<PlanningUser | undefined> {
  const row = await planningUserQuery(db, userId).executeTakeFirst();
  return row ? planningUserOf(row) : undefined;
}

/**
 * The planning user and one of their objects by id, in one round trip: undefined when the user
 * is gone, `object` undefined when only the object is.
 */
export async function findPlanningUserAndObject(
  db: Executor,
  userId: number,
  objectId: string,
): Promise<{ user: PlanningUser; object: CalendarObjectRow | undefined } | undefined> {
  const row = await planningUserQuery(db, userId)
    .leftJoin('calendar_objects', (join) =>
      join
        .onRef('calendar_objects.owner_id', '=', 'users.telegram_id')
        .on('calendar_objects.id', '=', objectId),
    )
    .selectAll('calendar_objects')
    .executeTakeFirst();
  if (!row) return undefined;
  // The user's columns by their names here, the object's by its own (no two the same).
  const user: Record<string, unknown> = {};
  const object: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) (planningUserNames.has(key) ? user : object)[key] = value;
  return {
    user: planningUserOf(user as PlanningUserColumns),
    // Every column of a row that is there is set; a missing one comes back all null.
    object: object.id === null ? undefined : (object as CalendarObjectRow),
  };
}

/** The user's columns, each under its PlanningUser name (camelCase: no column of calendar_objects has one). */
const planningUserColumns = [
  'users.telegram_id as userId',
  'users.time_zone as timeZone',
  'users.locale as locale',
  'users.language as language',
  'preferences.default_reminder_minutes as defaultReminderMinutes',
  'preferences.default_reminder_enabled as defaultReminderEnabled',
  'preferences.digest_enabled as digestEnabled',
  'preferences.digest_time as digestTime',
  'users.bot_blocked_at as botBlockedAt',
] as const;

const planningUserNames = new Set<string>(
  planningUserColumns.map((column) => column.slice(column.indexOf(' as ') + ' as '.length)),
);

function planningUserQuery(db: Executor, userId: number) {
  return db
    .selectFrom('users')
    .leftJoin('preferences', 'preferences.user_id', 'users.telegram_id')
    .select(planningUserColumns)
    .where('users.telegram_id', '=', userId);
}

type PlanningUserColumns = Omit<PlanningUser, 'digestEnabled'> & { digestEnabled: boolean | null };

/** A PlanningUser from its columns (a user without preferences has no digest). */
function planningUserOf(columns: PlanningUserColumns): PlanningUser {
  return { ...columns, digestEnabled: columns.digestEnabled ?? false };
}

/** Users who want a morning digest and have not blocked the bot, in id order, one page at a time. */
export async function listDigestUsers(
  db: Executor,
  page: { afterUserId: number; limit: number },
): Promise<Array<{ userId: number; timeZone: string | null; digestTime: string }>> {
  return db
    .selectFrom('users')
    .innerJoin('preferences', 'preferences.user_id', 'users.telegram_id')
    .select([
      'users.telegram_id as userId',
      'users.time_zone as timeZone',
      'preferences.digest_time as digestTime',
    ])
    .where('preferences.digest_enabled', '=', true)
    .where('users.bot_blocked_at', 'is', null)
    .where('users.telegram_id', '>', page.afterUserId)
    .orderBy('users.telegram_id')
    .limit(page.limit)
    .execute();
}

/**
 * Every event (any owner) whose series may touch [start, end), by id, one page at a time: the
 * rolling reminder horizon walks them all. The derived bounds are a prefilter, as for listings.
 */
export async function listObjectsTouching(
  db: Executor,
  range: { start: Date; end: Date; afterId: string | null; limit: number },
): Promise<Array<{ id: string; ownerId: number }>> {
  let query = db
    .selectFrom('calendar_objects')
    .select(['id', 'owner_id as ownerId'])
    .where((eb) => eb.or([eb('series_first_start', 'is', null), eb('series_first_start', '<', range.end)]))
    .where((eb) => eb.or([eb('series_last_end', 'is', null), eb('series_last_end', '>=', range.start)]));
  if (range.afterId) query = query.where('id', '>', range.afterId);
  return query.orderBy('id').limit(range.limit).execute();
}
