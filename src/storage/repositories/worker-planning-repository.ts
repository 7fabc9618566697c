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
  return row ? { ...row, digestEnabled: row.digestEnabled ?? false } : undefined;
}

/**
 * The planning user and one of their objects by id, in one round trip: undefined when the user
 * is gone, `object` undefined when only the object is. The user's columns are read under
 * camelCase names, which no column of calendar_objects has.
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
  const {
    userId: id,
    timeZone,
    locale,
    language,
    defaultReminderMinutes,
    defaultReminderEnabled,
    digestEnabled,
    digestTime,
    botBlockedAt,
    ...object
  } = row;
  const user: PlanningUser = {
    userId: id,
    timeZone,
    locale,
    language,
    defaultReminderMinutes,
    defaultReminderEnabled,
    digestEnabled: digestEnabled ?? false,
    digestTime,
    botBlockedAt,
  };
  // Every column of a row that is there is set; a missing one comes back all null.
  return { user, object: object.id === null ? undefined : (object as CalendarObjectRow) };
}

function planningUserQuery(db: Executor, userId: number) {
  return db
    .selectFrom('users')
    .leftJoin('preferences', 'preferences.user_id', 'users.telegram_id')
    .select([
      'users.telegram_id as userId',
      'users.time_zone as timeZone',
      'users.locale as locale',
      'users.language as language',
      'preferences.default_reminder_minutes as defaultReminderMinutes',
      'preferences.default_reminder_enabled as defaultReminderEnabled',
      'preferences.digest_enabled as digestEnabled',
      'preferences.digest_time as digestTime',
      'users.bot_blocked_at as botBlockedAt',
    ])
    .where('users.telegram_id', '=', userId);
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
