import { Composer, InlineKeyboard } from 'grammy';
import type { BotCommand, Chat, ChatMember } from 'grammy/types';
import { isAppError } from '../../app/errors.ts';
import type { GroupView } from '../../app/group-calendars.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { userText } from '../../telegram/html.ts';
import { type Language, languageFor, translate, translator } from '../../telegram/i18n.ts';
import { type CallbackContext, onCallback } from '../callback-route.ts';
import type { BotContext } from '../context.ts';
import { agendaPage, showAgendaPage } from './agenda.ts';

/**
 * Group calendars in the chat (issue 14 item 2). In a group or supergroup the bot answers only
 * this: /groupcalendar makes (or shows) the group's calendar, /today /tomorrow /week show the
 * group's agenda, [➕ Add to my calendars] gives it to a member, an admin's buttons make it
 * read-only for members or not; members joining or leaving the group (service messages, and
 * chat_member updates when the bot is an admin) gain or lose it, and the bot leaving takes it
 * from everyone. Nothing else said in a group reaches the private-chat features.
 * `/start group_<chat id>` in a private chat (the join button's link for someone who had not
 * started the bot) adds the calendar once Telegram confirms they are in the group.
 */
export const groupCalendarFeature = new Composer<BotContext>();

/** The /start parameter of the join link: `group_` and the group's chat id (`-100…`; Telegram allows `-`). */
export const groupStartPrefix = 'group_';

/** The command menu in groups (setMyCommands with the all_group_chats scope), one per language. */
export function groupCommandsIn(language: Language): BotCommand[] {
  return (['groupcalendar', 'today', 'tomorrow', 'week', 'help'] as const).map((command) => ({
    command,
    description: translate(language, command === 'help' ? 'command-group-help' : `command-${command}`),
  }));
}

const groupChats = new Composer<BotContext>();

type GroupChat = Chat.GroupChat | Chat.SupergroupChat;

function groupChatOf(ctx: BotContext): GroupChat | undefined {
  const chat = ctx.chat;
  return chat?.type === 'group' || chat?.type === 'supergroup' ? chat : undefined;
}

/** Everything in a group (and a channel) stays here; private chats go on to the other features. */
groupCalendarFeature.use(async (ctx, next) => {
  if (!ctx.chat || ctx.chat.type === 'private') return next();
  if (!groupChatOf(ctx)) return; // channels: the bot has nothing to say there
  await groupChats.middleware()(ctx, async () => undefined);
});

/**
 * What the whole group reads is in the group's language (its maker's), not the sender's; a
 * button's toast, which only the presser sees, stays in theirs.
 */
function speakToGroup(ctx: BotContext, group: GroupView | undefined): void {
  if (!group?.language && !group?.locale) return;
  ctx.language = languageFor(group.language, group.locale);
  ctx.t = translator(ctx.language);
}

function groupT(ctx: BotContext, group: GroupView | undefined): BotContext['t'] {
  return group?.language || group?.locale ? translator(languageFor(group.language, group.locale)) : ctx.t;
}

function isMember(member: ChatMember): boolean {
  return (
    member.status === 'creator' ||
    member.status === 'administrator' ||
    member.status === 'member' ||
    (member.status === 'restricted' && member.is_member)
  );
}

function isAdmin(member: ChatMember): boolean {
  return member.status === 'creator' || member.status === 'administrator';
}

/** The group's card: what the calendar is, who has it, and the buttons to add it or (admins) to make it read-only. */
function groupCard(
  ctx: BotContext,
  group: GroupView,
  opening: 'made' | 'shown' | 'back',
): { text: string; keyboard: InlineKeyboard } {
  const t = groupT(ctx, group);
  const calendar = userText(group.title, 80);
  const lines = [
    t(`group-card-${opening}`, { calendar }),
    '',
    t('group-card-how'),
    t(`group-card-access-${group.memberAccess}`),
    t('group-card-tells'),
    '',
    t('group-card-members', { count: String(group.members) }),
  ];
  const toggle = group.memberAccess === 'write' ? 'read' : 'write';
  const keyboard = new InlineKeyboard()
    .text(t('group-button-join'), encodeCallback({ kind: 'group-join' }))
    .row()
    .text(t(`group-button-${toggle}`), encodeCallback({ kind: 'group-access', access: toggle }));
  return { text: lines.join('\n'), keyboard };
}

/** A person writing in the group who has started the bot gets the calendar, if the group has one. */
async function addSender(ctx: BotContext, group: GroupView | undefined): Promise<void> {
  const chat = groupChatOf(ctx);
  if (!group?.active || !ctx.user || !ctx.from || !chat) return;
  const member = await ctx.getChatMember(ctx.from.id);
  await ctx.deps.services.groups
    .join(chat.id, { telegramId: ctx.from.id, admin: isAdmin(member) })
    .catch((error: unknown) => {
      if (!isAppError(error)) throw error;
    });
}

groupChats.command('groupcalendar', async (ctx) => {
  const chat = groupChatOf(ctx);
  if (!chat || !ctx.from) return;
  const maker = ctx.user
    ? { telegramId: ctx.from.id, admin: isAdmin(await ctx.getChatMember(ctx.from.id)) }
    : null;
  const { group, created } = await ctx.deps.services.groups.create(
    { chatId: chat.id, title: chat.title },
    maker,
  );
  speakToGroup(ctx, group);
  const { text, keyboard } = groupCard(ctx, group, created ? 'made' : 'shown');
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

for (const view of ['today', 'tomorrow', 'week'] as const) {
  groupChats.command(view, async (ctx) => {
    const chat = groupChatOf(ctx);
    if (!chat) return;
    const group = await ctx.deps.services.groups.find(chat.id);
    speakToGroup(ctx, group);
    if (!group?.active) {
      await ctx.reply(ctx.t('group-none'));
      return;
    }
    await addSender(ctx, group);
    const { text, keyboard } = await agendaPage(ctx, view, 0, {
      userId: group.groupId,
      timeZone: group.timeZone,
    });
    await ctx.reply(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
  });
}

groupChats.command(['help', 'start'], async (ctx) => {
  const chat = groupChatOf(ctx);
  const group = chat ? await ctx.deps.services.groups.find(chat.id) : undefined;
  await ctx.reply(groupT(ctx, group)('group-help'));
});

onCallback(groupChats, 'agenda', async (ctx, { view, page }) => {
  const chat = groupChatOf(ctx);
  const group = chat ? await ctx.deps.services.groups.find(chat.id) : undefined;
  if (!group?.active || view === 'list') {
    await ctx.answerCallbackQuery();
    return;
  }
  speakToGroup(ctx, group);
  await showAgendaPage(ctx, view, page, { userId: group.groupId, timeZone: group.timeZone });
});

onCallback(groupChats, 'group-join', async (ctx) => {
  const chat = groupChatOf(ctx);
  if (!chat) return;
  if (!ctx.user) {
    // Someone who has not started the bot: the button opens it, and /start group_… adds the calendar.
    await ctx.answerCallbackQuery({
      url: `https://t.me/${ctx.me.username}?start=${groupStartPrefix}${chat.id}`,
    });
    return;
  }
  const member = await ctx.getChatMember(ctx.from.id);
  if (!isMember(member)) {
    await ctx.answerCallbackQuery({ text: ctx.t('group-not-member-toast') });
    return;
  }
  const { group, joined } = await ctx.deps.services.groups.join(chat.id, {
    telegramId: ctx.from.id,
    admin: isAdmin(member),
  });
  await ctx.answerCallbackQuery({
    text: ctx.t(joined ? 'group-joined-toast' : 'group-already-toast', { calendar: group.title }),
  });
  if (joined) await refreshCard(ctx, group);
});

onCallback(groupChats, 'group-access', async (ctx, { access }) => {
  const chat = groupChatOf(ctx);
  if (!chat) return;
  if (!isAdmin(await ctx.getChatMember(ctx.from.id))) {
    await ctx.answerCallbackQuery({ text: ctx.t('group-not-admin-toast') });
    return;
  }
  const admins = (await ctx.getChatAdministrators()).filter((a) => !a.user.is_bot).map((a) => a.user.id);
  const group = await ctx.deps.services.groups.setMemberAccess(chat.id, access, admins);
  await ctx.answerCallbackQuery({ text: ctx.t(`group-access-toast-${access}`) });
  await refreshCard(ctx, group);
});

/** The card the button was pressed on, brought up to date (member count, access). */
async function refreshCard(ctx: CallbackContext, group: GroupView): Promise<void> {
  const { text, keyboard } = groupCard(ctx, group, 'shown');
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard }).catch((error: unknown) => {
    // Two taps at once: the second edit may change nothing, which Telegram refuses; the card is right anyway.
    ctx.deps.logger.info({ err: error }, 'group card not refreshed');
  });
}

// ---- people and the bot coming and going ------------------------------------------------------

groupChats.on('message:new_chat_members', async (ctx) => {
  const group = await ctx.deps.services.groups.find(ctx.chat.id);
  if (!group?.active) return;
  for (const person of ctx.msg.new_chat_members) {
    if (person.is_bot) continue;
    await ctx.deps.services.groups
      .join(ctx.chat.id, { telegramId: person.id, admin: false })
      .catch((error: unknown) => {
        // Someone who has not started the bot has no calendars to add it to.
        if (!isAppError(error)) throw error;
      });
  }
});

groupChats.on('message:left_chat_member', async (ctx) => {
  const person = ctx.msg.left_chat_member;
  if (person.id === ctx.me.id) return; // the bot itself: my_chat_member below
  await ctx.deps.services.groups.leave(ctx.chat.id, person.id);
});

groupChats.on('message:new_chat_title', async (ctx) => {
  await ctx.deps.services.groups.retitle(ctx.chat.id, ctx.msg.new_chat_title);
});

// A group becoming a supergroup gets a new chat id: the old chat says where it went, the new one where it came from.
groupChats.on('message:migrate_to_chat_id', async (ctx) => {
  await ctx.deps.services.groups.moveChat(ctx.chat.id, ctx.msg.migrate_to_chat_id);
});
groupChats.on('message:migrate_from_chat_id', async (ctx) => {
  await ctx.deps.services.groups.moveChat(ctx.msg.migrate_from_chat_id, ctx.chat.id);
});

// Sent only while the bot is an admin of the group (allowed_updates has chat_member).
groupChats.on('chat_member', async (ctx) => {
  const { new_chat_member: member } = ctx.chatMember;
  if (member.user.is_bot) return;
  if (!isMember(member)) {
    await ctx.deps.services.groups.leave(ctx.chat.id, member.user.id);
    return;
  }
  const group = await ctx.deps.services.groups.find(ctx.chat.id);
  if (!group?.active) return;
  await ctx.deps.services.groups
    .join(ctx.chat.id, { telegramId: member.user.id, admin: isAdmin(member) })
    .catch((error: unknown) => {
      if (!isAppError(error)) throw error;
    });
});

groupChats.on('my_chat_member', async (ctx) => {
  const chat = groupChatOf(ctx);
  if (!chat) return;
  const { groups } = ctx.deps.services;
  if (!isMember(ctx.myChatMember.new_chat_member)) {
    const removed = await groups.botLeft(chat.id);
    ctx.deps.logger.info({ chatId: chat.id, removed }, 'bot left a group: its calendar is nobody’s now');
    return;
  }
  if (isMember(ctx.myChatMember.old_chat_member)) return; // promoted or restricted, still in the group
  const group = await groups.botReturned(chat.id);
  if (!group) {
    await ctx.reply(ctx.t('group-hello'));
    return;
  }
  const { text, keyboard } = groupCard(ctx, group, 'back');
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

// ---- the join link, opened in a private chat ----------------------------------------------------

/** /start group_<chat id>: after the join button sent someone here; Telegram confirms they are in the group. */
export const groupStartFeature = new Composer<BotContext>();

groupStartFeature.command('start', async (ctx, next) => {
  const payload = ctx.match.trim();
  if (!payload.startsWith(groupStartPrefix) || !ctx.from || ctx.chat.type !== 'private') return next();
  const chatId = Number(payload.slice(groupStartPrefix.length));
  const group =
    Number.isSafeInteger(chatId) && chatId < 0 ? await ctx.deps.services.groups.find(chatId) : undefined;
  if (!group?.active) {
    await ctx.reply(ctx.t('group-link-unknown'));
    return next();
  }
  const member = await ctx.api.getChatMember(group.chatId, ctx.from.id).catch(() => undefined);
  if (!member || !isMember(member)) {
    await ctx.reply(ctx.t('group-link-not-member', { calendar: userText(group.title, 80) }), {
      parse_mode: 'HTML',
    });
    return;
  }
  await ctx.deps.services.groups.join(group.chatId, { telegramId: ctx.from.id, admin: isAdmin(member) });
  await ctx.reply(ctx.t('group-joined', { calendar: userText(group.title, 80) }), { parse_mode: 'HTML' });
  // Someone new to the bot still gets its welcome and the time zone question.
  if (!ctx.user?.timeZone) await next();
});
