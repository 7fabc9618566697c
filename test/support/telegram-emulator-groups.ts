import type { ApiFailure } from './telegram-emulator-format.ts';
import type { Params } from './telegram-emulator-http.ts';

/** A member's status as getChatMember reports it (https://core.telegram.org/bots/api#chatmember). */
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

export interface EmulatedGroup {
  /** The chat id now: negative, and new (-100…) once the group becomes a supergroup. */
  id: number;
  title: string;
  type: 'group' | 'supergroup';
}

interface GroupState extends EmulatedGroup {
  members: Map<number, { user: Params; status: MemberStatus }>;
  /** Set once Telegram upgraded the group: sends to the old id fail, naming the new one. */
  migratedTo?: number;
}

/**
 * The groups the emulated Telegram knows: who is in each (the bot too), with what status, and
 * which old group ids now live on as supergroups. Sends to a group the bot is not in fail with
 * 403 and to an upgraded group with 400 and `migrate_to_chat_id`, as Telegram's do.
 */
export class GroupChats {
  private readonly groups = new Map<number, GroupState>();
  private nextGroup = 1;
  private readonly botId: number;

  constructor(botId: number) {
    this.botId = botId;
  }

  create(title: string, members: ReadonlyArray<{ user: Params; status: MemberStatus }>): EmulatedGroup {
    const id = -(4000 + this.nextGroup++);
    const state: GroupState = { id, title, type: 'group', members: new Map() };
    for (const member of members) state.members.set(Number(member.user.id), member);
    this.groups.set(id, state);
    return { id, title, type: 'group' };
  }

  has(chatId: number): boolean {
    return this.groups.has(chatId);
  }

  chatObject(chatId: number): Params | undefined {
    const group = this.groups.get(chatId);
    return group ? { id: group.id, type: group.type, title: group.title } : undefined;
  }

  setStatus(chatId: number, user: Params, status: MemberStatus): MemberStatus {
    const group = this.state(chatId);
    const before = group.members.get(Number(user.id))?.status ?? 'left';
    group.members.set(Number(user.id), { user, status });
    return before;
  }

  rename(chatId: number, title: string): void {
    this.state(chatId).title = title;
  }

  /** Upgrades the group to a supergroup under a new id; the old id keeps pointing at it for errors. */
  migrate(chatId: number): EmulatedGroup {
    const old = this.state(chatId);
    const id = -(1_000_000_000_000 + this.nextGroup++);
    const moved: GroupState = { ...old, id, type: 'supergroup', members: old.members };
    this.groups.set(id, moved);
    old.migratedTo = id;
    return { id, title: moved.title, type: 'supergroup' };
  }

  /** getChatMember's answer. */
  member(chatId: number, userId: number): Params | undefined {
    const group = this.groups.get(chatId);
    if (!group || group.migratedTo) return undefined;
    const found = group.members.get(userId);
    const user = found?.user ?? { id: userId, is_bot: false, first_name: `User${userId}` };
    const status = found?.status ?? 'left';
    return { user, status, ...(status === 'kicked' ? { until_date: 0 } : {}) };
  }

  /** getChatAdministrators' answer. */
  administrators(chatId: number): Params[] | undefined {
    const group = this.groups.get(chatId);
    if (!group || group.migratedTo) return undefined;
    return [...group.members.values()]
      .filter((m) => m.status === 'creator' || m.status === 'administrator')
      .map((m) => ({
        user: m.user,
        status: m.status,
        ...(m.status === 'administrator' ? { can_be_edited: false, is_anonymous: false } : {}),
      }));
  }

  /** Why Telegram would refuse a send to this chat, if it is a group and would. */
  refusal(chatId: number): ApiFailure | undefined {
    const group = this.groups.get(chatId);
    if (!group) return undefined;
    if (group.migratedTo) {
      return {
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: group.migratedTo } as ApiFailure['parameters'],
      };
    }
    const bot = group.members.get(this.botId)?.status;
    if (bot !== 'member' && bot !== 'administrator') {
      return { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' };
    }
    return undefined;
  }

  private state(chatId: number): GroupState {
    const group = this.groups.get(chatId);
    if (!group) throw new Error(`no emulated group ${chatId}`);
    return group;
  }
}
