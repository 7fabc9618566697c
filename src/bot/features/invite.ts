import { Composer } from 'grammy';
import type { InviteTarget } from '../../app/invitations.ts';
import { userText } from '../../telegram/html.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf } from '../context.ts';

/**
 * Inviting people to an event from the chat (issue 14 item 3): [👥 Invite] on /edit's event
 * screen, then a contact (📎 → Contact), the @username of someone who has started the bot, or an
 * e-mail address for anyone else. InvitationService writes them into the event as attendees; the
 * worker then sends each their invitation, with [Accept] [Maybe] [Decline] or as iMIP mail.
 */
export const inviteFeature = new Composer<BotContext>();

const usernamePattern = /^@([A-Za-z0-9_]{5,32})$/;
const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

onCallback(inviteFeature, 'invite-event', async (ctx, { eventId }) => {
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  ctx.session.inviteEventId = event.id;
  await ctx.answerCallbackQuery();
  await ctx.reply(
    ctx.t('invite-how', { event: `<b>${userText(event.summary ?? ctx.t('no-title'), 80)}</b>` }),
    {
      parse_mode: 'HTML',
    },
  );
});

async function inviteOne(ctx: BotContext, target: InviteTarget, person: string): Promise<void> {
  const eventId = ctx.session.inviteEventId;
  if (!eventId) return;
  const event = await ctx.deps.services.invitations.invite(userIdOf(ctx), eventId, [target]);
  await ctx.reply(
    ctx.t('invite-done', {
      person: userText(person, 60),
      event: `<b>${userText(event.summary ?? ctx.t('no-title'), 80)}</b>`,
    }),
    { parse_mode: 'HTML' },
  );
}

inviteFeature.on('message:contact', async (ctx, next) => {
  if (!ctx.session.inviteEventId) return next();
  const { user_id: telegramId, first_name: name } = ctx.msg.contact;
  if (telegramId === undefined) {
    await ctx.reply(ctx.t('invite-contact-not-on-telegram'));
    return;
  }
  await inviteOne(ctx, { telegramId }, name);
});

inviteFeature.on('message:text', async (ctx, next) => {
  if (!ctx.session.inviteEventId) return next();
  const text = ctx.msg.text.trim();
  if (text.startsWith('/')) {
    ctx.session.inviteEventId = undefined; // another command ends the invitation
    return next();
  }
  const username = usernamePattern.exec(text)?.[1];
  if (username) return inviteOne(ctx, { username }, `@${username}`);
  if (emailPattern.test(text)) return inviteOne(ctx, { email: text }, text);
  await ctx.reply(ctx.t('invite-not-understood'));
});
