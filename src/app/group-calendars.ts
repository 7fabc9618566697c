import { randomUUID } from 'node:crypto';
import type { Db } from '../storage/db-types.ts';
import { insertCalendar, updateCalendar } from '../storage/repositories/calendar-repository.ts';
import {
  deleteShare,
  findShareOf,
  insertShare,
  updateShare,
} from '../storage/repositories/calendar-share-repository.ts';
import {
  type AnnouncementWithActor,
  deleteAnnouncements,
  deleteMemberShares,
  findGroup,
  findGroupByChat,
  findGroupChatId,
  type GroupWithFacts,
  insertGroup,
  listAnnouncements,
  lockGroupByChat,
  setMemberAccess,
  updateGroup,
} from '../storage/repositories/group-repository.ts';
import {
  findUser,
  insertDefaultPreferences,
  insertUserIfAbsent,
  updatePreferences,
  updateUser,
} from '../storage/repositories/user-repository.ts';
import type { TelegramGroupRow } from '../storage/schema.ts';
import { type Executor, transact } from '../storage/transaction.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import { shareSlug } from './calendar-sharing.ts';
import { AppError } from './errors.ts';

/** Most members one group calendar may have (README "Limits"). */
export const maxGroupMembers = 1000;

export type MemberAccess = 'read' | 'write';

/** A Telegram group (or supergroup) chat: its id is negative, as Telegram makes every group's. */
export interface GroupChat {
  chatId: number;
  title: string;
}

/** A member of the group as the bot sees them: their Telegram id and whether they administer the group. */
export interface GroupMember {
  telegramId: number;
  admin: boolean;
}

export interface GroupView {
  /** The group's own id in Televent (its first chat id): owns the calendar, receives reminders. */
  groupId: number;
  /** The chat the group lives in now. */
  chatId: number;
  calendarId: string;
  title: string;
  memberAccess: MemberAccess;
  /** Members who have the calendar. */
  members: number;
  timeZone: string | null;
  language: string | null;
  locale: string | null;
  /** False while the bot is not in the group: nobody has the calendar then. */
  active: boolean;
}

function toGroupView(row: GroupWithFacts): GroupView {
  return {
    groupId: row.user_id,
    chatId: row.chat_id,
    calendarId: row.calendar_id,
    title: row.calendar_name,
    memberAccess: row.member_access,
    members: row.members,
    timeZone: row.time_zone,
    language: row.language,
    locale: row.locale,
    active: row.bot_blocked_at === null,
  };
}

/**
 * Group calendars (issue 14 item 2). `/groupcalendar` in a Telegram group makes the group a
 * calendar owner of its own (a `users` row under its negative chat id, migration 2026-12-02T21-00);
 * each member who has started the bot gets it as an accepted share, to change (the default, and
 * always for the group's admins) or to read when an admin says so. From there every door treats
 * it as a shared calendar (calendar-repository.ts decides who sees what), reminders are planned
 * for the group and sent to its chat, and changes are told to the group by the worker
 * (group-announcements.ts). Leaving the group, or removing the bot, takes the calendar away.
 */
export class GroupCalendarService {
  readonly #db: Db;
  readonly #changes: CacheInvalidation | undefined;
  readonly #now: () => Date;

  constructor(deps: { db: Db; changes?: CacheInvalidation; now?: () => Date }) {
    this.#db = deps.db;
    this.#changes = deps.changes;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The calendar of the group in this chat, if it has one. */
  async find(chatId: number): Promise<GroupView | undefined> {
    const row = await findGroupByChat(this.#db, chatId);
    return row ? toGroupView(row) : undefined;
  }

  /**
   * Makes the group's calendar (named after the group, in the zone and language of whoever asked)
   * and adds its maker as the first member; for a group that has one already, it is brought back
   * if the bot had left, and its maker added if they are not a member yet.
   */
  async create(chat: GroupChat, maker: GroupMember | null): Promise<{ group: GroupView; created: boolean }> {
    checkChat(chat.chatId);
    const title = groupTitle(chat.title);
    const created = await transact(this.#db, async (trx) => {
      const existing = await lockGroupByChat(trx, chat.chatId);
      if (existing) {
        await updateUser(trx, existing.user_id, { bot_blocked_at: null });
        return false;
      }
      const person = maker ? await findUser(trx, maker.telegramId) : undefined;
      const groupId = chat.chatId;
      await insertUserIfAbsent(trx, {
        telegram_id: groupId,
        first_name: title,
        time_zone: person?.time_zone ?? null,
        language: person?.language ?? null,
        locale: person?.locale ?? null,
      });
      await updateUser(trx, groupId, { first_name: title, bot_blocked_at: null });
      await insertDefaultPreferences(trx, groupId);
      // A group gets its events' reminders, not a morning digest of them.
      await updatePreferences(trx, groupId, { digest_enabled: false });
      const calendar = await insertCalendar(trx, {
        owner_id: groupId,
        slug: 'group',
        name: title,
        time_zone: person?.time_zone ?? null,
        supported_components: ['VEVENT'],
      });
      await insertGroup(trx, {
        user_id: groupId,
        chat_id: chat.chatId,
        calendar_id: calendar.id,
        created_by: person ? person.telegram_id : null,
      });
      return true;
    });
    if (maker && (await findUser(this.#db, maker.telegramId))) await this.join(chat.chatId, maker);
    return { group: await this.#view(chat.chatId), created };
  }

  /**
   * Gives a member of the group its calendar, to change (an admin, or every member unless the
   * admins made it read-only) or to read; `joined` is false when they had it already (their access
   * is brought up to date). Only someone who has started the bot can have it.
   */
  async join(chatId: number, member: GroupMember): Promise<{ group: GroupView; joined: boolean }> {
    let calendarId: string | undefined;
    const joined = await transact(this.#db, async (trx) => {
      const group = await this.#activeGroup(trx, chatId);
      calendarId = group.calendar_id;
      if (!(await findUser(trx, member.telegramId))) throw new AppError('user-not-found');
      const access = member.admin ? 'write' : group.member_access;
      const existing = await findShareOf(trx, group.calendar_id, member.telegramId);
      if (existing) {
        if (existing.access !== access || existing.status !== 'accepted') {
          await updateShare(trx, existing.id, { access, status: 'accepted', accepted_at: this.#now() });
        }
        return false;
      }
      const found = await findGroup(trx, group.user_id);
      if ((found?.members ?? 0) >= maxGroupMembers) throw new AppError('group-member-limit-reached');
      const id = randomUUID();
      await insertShare(trx, {
        id,
        calendar_id: group.calendar_id,
        owner_id: group.user_id,
        sharee_id: member.telegramId,
        access,
        status: 'accepted',
        slug: shareSlug(id),
        invite_token_hash: null,
        accepted_at: this.#now(),
      });
      return true;
    }).finally(() => {
      if (calendarId) this.#changes?.calendarChanged(calendarId);
    });
    return { group: await this.#view(chatId), joined };
  }

  /** Takes the group's calendar away from someone who left the group; false when they did not have it. */
  async leave(chatId: number, userId: number): Promise<boolean> {
    const group = await findGroupByChat(this.#db, chatId);
    if (!group) return false;
    try {
      const share = await findShareOf(this.#db, group.calendar_id, userId);
      if (!share) return false;
      return await deleteShare(this.#db, share.id);
    } finally {
      this.#changes?.calendarChanged(group.calendar_id);
    }
  }

  /** An admin's choice: members may change events, or only read them (`admins` keep changing them). */
  async setMemberAccess(chatId: number, access: MemberAccess, admins: readonly number[]): Promise<GroupView> {
    const group = await findGroupByChat(this.#db, chatId);
    if (!group || group.bot_blocked_at !== null) throw new AppError('group-not-found');
    try {
      await transact(this.#db, async (trx) => {
        await lockGroupByChat(trx, chatId);
        await updateGroup(trx, group.user_id, { member_access: access });
        await setMemberAccess(trx, group.calendar_id, access, admins);
      });
    } finally {
      this.#changes?.calendarChanged(group.calendar_id);
    }
    return this.#view(chatId);
  }

  /**
   * The bot was removed from the group: nobody has its calendar any more, and nothing is planned
   * for the group until the bot is back. The calendar and its events are kept for that day.
   */
  async botLeft(chatId: number): Promise<number> {
    const group = await findGroupByChat(this.#db, chatId);
    if (!group) return 0;
    try {
      return await transact(this.#db, async (trx) => {
        await updateUser(trx, group.user_id, { bot_blocked_at: this.#now() });
        return deleteMemberShares(trx, group.calendar_id);
      });
    } finally {
      this.#changes?.calendarChanged(group.calendar_id);
    }
  }

  /** The bot is in the group again: its calendar is back (members add it again, group-calendar.ts). */
  async botReturned(chatId: number): Promise<GroupView | undefined> {
    const group = await findGroupByChat(this.#db, chatId);
    if (!group) return undefined;
    await updateUser(this.#db, group.user_id, { bot_blocked_at: null });
    return this.#view(chatId);
  }

  /** The group was renamed: its calendar follows (CalDAV displayname, agendas). */
  async retitle(chatId: number, title: string): Promise<void> {
    const group = await findGroupByChat(this.#db, chatId);
    if (!group) return;
    const name = groupTitle(title);
    await transact(this.#db, async (trx) => {
      await updateUser(trx, group.user_id, { first_name: name });
      await updateCalendar(trx, group.user_id, group.calendar_id, { name });
    });
    this.#changes?.calendarChanged(group.calendar_id);
  }

  /** Telegram made the group a supergroup with a new chat id: the group and its calendar move with it. */
  async moveChat(fromChatId: number, toChatId: number): Promise<void> {
    checkChat(toChatId);
    const group = await findGroupByChat(this.#db, fromChatId);
    if (!group || (await findGroupByChat(this.#db, toChatId))) return;
    await updateGroup(this.#db, group.user_id, { chat_id: toChatId });
  }

  /** The chat to send to for a group's id (reminders and announcements are addressed to the group). */
  async chatOf(groupId: number): Promise<number> {
    return (await findGroupChatId(this.#db, groupId)) ?? groupId;
  }

  /** The group's changes not yet told to it, oldest first, at most `limit`; undefined without a group. */
  async untoldChanges(
    groupId: number,
    limit: number,
  ): Promise<{ group: GroupView; changes: AnnouncementWithActor[] } | undefined> {
    const group = await findGroup(this.#db, groupId);
    if (!group) return undefined;
    return { group: toGroupView(group), changes: await listAnnouncements(this.#db, groupId, limit) };
  }

  /** Forgets changes once they are told (or can no longer be). */
  async forgetChanges(groupId: number, ids: readonly number[]): Promise<void> {
    await deleteAnnouncements(this.#db, groupId, ids);
  }

  async #activeGroup(db: Executor, chatId: number): Promise<TelegramGroupRow> {
    const group = await lockGroupByChat(db, chatId);
    const owner = group ? await findUser(db, group.user_id) : undefined;
    if (!group || !owner || owner.bot_blocked_at !== null) throw new AppError('group-not-found');
    return group;
  }

  async #view(chatId: number): Promise<GroupView> {
    const row = await findGroupByChat(this.#db, chatId);
    if (!row) throw new AppError('group-not-found');
    return toGroupView(row);
  }
}

function checkChat(chatId: number): void {
  if (!Number.isSafeInteger(chatId) || chatId >= 0) {
    throw new AppError('invalid-field', 'A Telegram group id is a negative whole number.');
  }
}

/** A group's title as its calendar's name: Telegram allows 128 characters; blank ones are named for what they are. */
function groupTitle(title: string): string {
  const trimmed = title.replace(/\s+/g, ' ').trim().slice(0, 128);
  return trimmed === '' ? 'Group' : trimmed;
}
