import { Composer } from 'grammy';
import { userText } from '../../telegram/html.ts';
import { answerButtons, invitationWhen } from '../../telegram/invitation-message.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';

/**
 * [✅ Accept] [🤔 Maybe] [Decline] under an invitation (the worker's 'invitation.notice'): the
 * answer goes into the organizer's event and puts the event in (or out of) the attendee's own
 * calendar (InvitationService.answer). The buttons stay, so an answer can be changed later.
 */
export const invitationsFeature = new Composer<BotContext>();

const answered = { ACCEPTED: 'accepted', TENTATIVE: 'tentative', DECLINED: 'declined' } as const;

onCallback(invitationsFeature, 'invitation-answer', async (ctx, data) => {
  const invitation = await ctx.deps.services.invitations.answer(
    userIdOf(ctx),
    data.invitationId,
    data.answer,
  );
  await ctx.answerCallbackQuery();
  const event = `<b>${userText(invitation.summary ?? ctx.t('no-title'), 80)}</b>`;
  const when = invitationWhen(
    { startAt: invitation.start, allDay: invitation.allDay },
    zoneOf(ctx),
    ctx.language,
  );
  await ctx.editMessageText(
    `${ctx.t(`invitation-you-${answered[data.answer]}`, { event })}${when ? `\n${when}` : ''}`,
    {
      parse_mode: 'HTML',
      reply_markup: answerButtons(ctx.language, invitation.id),
    },
  );
});
