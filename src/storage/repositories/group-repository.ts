import { type Insertable, sql, type Updateable } from 'kysely';
import type {
  GroupAnnouncementRow,
  GroupAnnouncementsTable,
  TelegramGroupRow,
  TelegramGroupsTable,
} from '../schema.ts';
import type { Executor } from '../transaction.ts';

/** A group with a calendar, with what its `users` row says: its title, language and zone, and whether the bot is in it. */
export type GroupWithFacts = TelegramGroupRow & {
  title: string | null;
  time_zone: string | null;
  language: string | null;
  locale: string | null;
  bot_blocked_at: Date | null;
  calendar_name: string;
  /** Members who have the calendar (accepted shares). */
  members: number;
};

function groupsWithFacts(db: Executor) {
  return db
    .selectFrom('telegram_groups as g')
    .innerJoin('users as u', 'u.telegram_id', 'g.user_id')
    .innerJoin('calendars as c', 'c.id', 'g.calendar_id')
    .selectAll('g')
    .select([
      'u.first_name as title',
      'u.time_zone',
      'u.language',
      'u.locale',
      'u.bot_blocked_at',
      'c.name as calendar_name',
      sql<number>`(select count(*) from calendar_shares s where s.calendar_id = g.calendar_id and s.status = 'accepted')::int`.as(
        'members',
      ),
    ]);
}

export async function findGroupByChat(db: Executor, chatId: number): Promise<GroupWithFacts | undefined> {
  return groupsWithFacts(db).where('g.chat_id', '=', chatId).executeTakeFirst();
}

export async function findGroup(db: Executor, groupId: number): Promise<GroupWithFacts | undefined> {
  return groupsWithFacts(db).where('g.user_id', '=', groupId).executeTakeFirst();
}

/** The group's row locked for a change to it or to its members (one change at a time per group). */
export async function lockGroupByChat(db: Executor, chatId: number): Promise<TelegramGroupRow | undefined> {
  return db
    .selectFrom('telegram_groups')
    .selectAll()
    .where('chat_id', '=', chatId)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertGroup(db: Executor, group: Insertable<TelegramGroupsTable>): Promise<void> {
  await db.insertInto('telegram_groups').values(group).execute();
}

export async function updateGroup(
  db: Executor,
  groupId: number,
  changes: Updateable<TelegramGroupsTable>,
): Promise<void> {
  await db.updateTable('telegram_groups').set(changes).where('user_id', '=', groupId).execute();
}

/** The chat a group lives in now (reminders and announcements are addressed to the group's id). */
export async function findGroupChatId(db: Executor, groupId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('telegram_groups')
    .select('chat_id')
    .where('user_id', '=', groupId)
    .executeTakeFirst();
  return row?.chat_id;
}

export async function insertAnnouncement(
  db: Executor,
  announcement: Insertable<GroupAnnouncementsTable>,
): Promise<void> {
  await db.insertInto('group_announcements').values(announcement).execute();
}

/** A change not yet told, with the name of who made it. */
export type AnnouncementWithActor = GroupAnnouncementRow & {
  actor_first_name: string | null;
  actor_username: string | null;
};

/** The group's oldest untold changes, at most `limit`. */
export async function listAnnouncements(
  db: Executor,
  groupId: number,
  limit: number,
): Promise<AnnouncementWithActor[]> {
  return db
    .selectFrom('group_announcements as a')
    .leftJoin('users as actor', 'actor.telegram_id', 'a.actor_id')
    .selectAll('a')
    .select(['actor.first_name as actor_first_name', 'actor.username as actor_username'])
    .where('a.group_id', '=', groupId)
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

export async function deleteAnnouncements(
  db: Executor,
  groupId: number,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('group_announcements')
    .where('group_id', '=', groupId)
    .where('id', 'in', [...ids])
    .execute();
}

/** Takes the calendar away from every member (the bot left the group). */
export async function deleteMemberShares(db: Executor, calendarId: string): Promise<number> {
  const result = await db
    .deleteFrom('calendar_shares')
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sets what members may do, except for `writers` (the group's admins), who may always change events. */
export async function setMemberAccess(
  db: Executor,
  calendarId: string,
  access: 'read' | 'write',
  writers: readonly number[],
): Promise<void> {
  let query = db.updateTable('calendar_shares').set({ access }).where('calendar_id', '=', calendarId);
  if (writers.length > 0) query = query.where('sharee_id', 'not in', [...writers]);
  await query.execute();
  if (writers.length > 0) {
    await db
      .updateTable('calendar_shares')
      .set({ access: 'write' })
      .where('calendar_id', '=', calendarId)
      .where('sharee_id', 'in', [...writers])
      .execute();
  }
}
