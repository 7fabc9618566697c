import { Composer, InlineKeyboard } from 'grammy';
import type { ShareView } from '../../app/calendar-sharing.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { userText } from '../../telegram/html.ts';
import { inviteStartPrefix } from '../../telegram/share-invite.ts';
import { shareNoticeMessage } from '../../telegram/share-message.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf } from '../context.ts';

export const shareFeature = new Composer<BotContext>();

/** A Telegram @username as people type it. */
const usernamePattern = /^@?([A-Za-z0-9_]{5,32})$/;

function accessText(ctx: BotContext, access: 'read' | 'write'): string {
  return ctx.t(`share-access-${access}`);
}

/**
 * /share's screen for one calendar: how to share it, who has it, an invite link for each access,
 * and per person ✏️/👀 and ✖️. The calendar waits in the session for a contact or an @username.
 */
async function shareScreen(
  ctx: BotContext,
  calendarId: string,
): Promise<{ text: string; keyboard: InlineKeyboard }> {
  const userId = userIdOf(ctx);
  const shares = await ctx.deps.services.sharing.listShares(userId, calendarId);
  const calendar = (await ctx.deps.services.calendars.listCalendars(userId)).find((c) => c.id === calendarId);
  ctx.session.shareCalendarId = calendarId;
  const lines = [ctx.t('share-how', { calendar: userText(calendar?.name ?? '', 80) })];
  const keyboard = new InlineKeyboard()
    .text(
      ctx.t('share-button-link-read'),
      encodeCallback({ kind: 'share-invite', calendarId, access: 'read' }),
    )
    .text(
      ctx.t('share-button-link-write'),
      encodeCallback({ kind: 'share-invite', calendarId, access: 'write' }),
    )
    .row();
  if (shares.length > 0) lines.push('', `<b>${ctx.t('share-list-heading')}</b>`);
  for (const share of shares) {
    const person = share.sharee ? userText(share.sharee.name, 60) : ctx.t('share-link-unopened');
    const pending = share.status === 'pending' ? ctx.t('share-pending-mark') : '';
    lines.push(ctx.t('share-list-line', { person, access: accessText(ctx, share.access), pending }));
    manageButtons(ctx, keyboard, share);
  }
  return { text: lines.join('\n'), keyboard };
}

function manageButtons(ctx: BotContext, keyboard: InlineKeyboard, share: ShareView): void {
  const person = share.sharee?.name ?? '🔗';
  const toggle = share.access === 'read' ? 'write' : 'read';
  keyboard
    .text(
      ctx.t(toggle === 'write' ? 'share-button-allow-write' : 'share-button-read-only', { person }),
      encodeCallback({ kind: 'share-manage', shareId: share.id, action: toggle }),
    )
    .row()
    .text(
      ctx.t('share-button-stop', { person }),
      encodeCallback({ kind: 'share-manage', shareId: share.id, action: 'revoke' }),
    )
    .row();
}

shareFeature.command('share', async (ctx) => {
  const own = (await ctx.deps.services.calendars.listCalendars(userIdOf(ctx))).filter(
    (c) => c.access === 'owner',
  );
  if (own.length === 1 && own[0]) {
    const { text, keyboard } = await shareScreen(ctx, own[0].id);
    await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
    return;
  }
  const keyboard = new InlineKeyboard();
  for (const calendar of own) {
    keyboard
      .text(
        `📅 ${calendar.name.slice(0, 40)}`,
        encodeCallback({ kind: 'share-calendar', calendarId: calendar.id }),
      )
      .row();
  }
  await ctx.reply(ctx.t('share-pick-calendar'), { reply_markup: keyboard });
});

onCallback(shareFeature, 'share-calendar', async (ctx, data) => {
  const { text, keyboard } = await shareScreen(ctx, data.calendarId);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

onCallback(shareFeature, 'share-invite', async (ctx, data) => {
  const { share, secret } = await ctx.deps.services.sharing.createInvite(
    userIdOf(ctx),
    data.calendarId,
    data.access,
  );
  const link = `https://t.me/${ctx.me.username}?start=${inviteStartPrefix}${secret}`;
  await ctx.answerCallbackQuery();
  await ctx.reply(
    ctx.t('share-link-made', {
      calendar: userText(share.calendarName, 80),
      access: accessText(ctx, share.access),
      link,
    }),
    { parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
  );
});

/** A contact or an @username right after /share picked a calendar: that person is invited to read it. */
async function offerTo(
  ctx: BotContext,
  target: { telegramId: number } | { username: string },
): Promise<void> {
  const calendarId = ctx.session.shareCalendarId;
  if (!calendarId) return;
  ctx.session.shareCalendarId = undefined;
  const share = await ctx.deps.services.sharing.share(userIdOf(ctx), calendarId, target, 'read');
  const keyboard = new InlineKeyboard();
  manageButtons(ctx, keyboard, share);
  await ctx.reply(
    ctx.t('share-offered', {
      person: userText(share.sharee?.name ?? '', 60),
      calendar: userText(share.calendarName, 80),
      access: accessText(ctx, share.access),
    }),
    { parse_mode: 'HTML', reply_markup: keyboard },
  );
}

shareFeature.on('message:contact', async (ctx, next) => {
  if (!ctx.session.shareCalendarId) return next();
  const telegramId = ctx.msg.contact.user_id;
  if (telegramId === undefined) {
    await ctx.reply(ctx.t('share-not-a-user'));
    return;
  }
  await offerTo(ctx, { telegramId });
});

shareFeature.on('message:text', async (ctx, next) => {
  const username = usernamePattern.exec(ctx.msg.text.trim())?.[1];
  if (!ctx.session.shareCalendarId || !username || !ctx.msg.text.trim().startsWith('@')) {
    if (ctx.msg.text.startsWith('/')) ctx.session.shareCalendarId = undefined; // another command ends /share
    return next();
  }
  await offerTo(ctx, { username });
});

onCallback(shareFeature, 'share-manage', async (ctx, data) => {
  const { sharing } = ctx.deps.services;
  const ownerId = userIdOf(ctx);
  const share = await sharing.shareForOwner(ownerId, data.shareId);
  const person = userText(share.sharee?.name ?? ctx.t('share-link-unopened'), 60);
  const calendar = userText(share.calendarName, 80);
  await ctx.answerCallbackQuery();
  if (data.action === 'revoke') {
    await sharing.revoke(ownerId, share.calendarId, share.id);
    await ctx.editMessageText(ctx.t('share-revoked-owner', { calendar, person }), { parse_mode: 'HTML' });
    return;
  }
  const changed = await sharing.changeAccess(ownerId, share.calendarId, share.id, data.action);
  const keyboard = new InlineKeyboard();
  manageButtons(ctx, keyboard, changed);
  await ctx.editMessageText(
    ctx.t('share-access-changed', { person, calendar, access: accessText(ctx, changed.access) }),
    { parse_mode: 'HTML', reply_markup: keyboard },
  );
});

onCallback(shareFeature, 'share-answer', async (ctx, data) => {
  const { sharing } = ctx.deps.services;
  const userId = userIdOf(ctx);
  const share =
    data.answer === 'accept'
      ? await sharing.accept(userId, data.shareId)
      : await sharing.decline(userId, data.shareId);
  await ctx.answerCallbackQuery();
  const calendar = userText(share.calendarName, 80);
  await ctx.editMessageText(
    ctx.t(data.answer === 'accept' ? 'share-accepted' : 'share-declined', { calendar }),
    {
      parse_mode: 'HTML',
    },
  );
});

/** /start share_<secret>: an invite link opened; the invitation is now this user's to answer. */
shareFeature.command('start', async (ctx, next) => {
  const payload = ctx.match.trim();
  if (!payload.startsWith(inviteStartPrefix)) return next();
  const share = await ctx.deps.services.sharing.claimInvite(
    userIdOf(ctx),
    payload.slice(inviteStartPrefix.length),
  );
  const message = shareNoticeMessage(ctx.language, 'offered', {
    shareId: share.id,
    calendarName: share.calendarName,
    personName: share.owner.name,
    access: share.access,
  });
  await ctx.reply(message.text, {
    parse_mode: 'HTML',
    ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
  });
});
