import { isAppError } from '../../app/errors.ts';
import { languageFor } from '../../telegram/i18n.ts';
import { invitationNoticeMessage } from '../../telegram/invitation-message.ts';
import type { JobHandler } from '../job-context.ts';

/**
 * 'invitation.notice': one chat message about an invitation (issue 14 item 3), in the recipient's
 * language and zone. An invitation answered or cancelled before it went out is still sent as it
 * was meant; its buttons answer with what is true then (a cancelled one says so).
 */
export const sendInvitationNotice: JobHandler<'invitation.notice'> = async (payload, context) => {
  const user = await context.services.accounts
    .getUser(payload.recipientId)
    .catch((error: unknown) => (isAppError(error) ? undefined : Promise.reject(error)));
  if (!user) return;
  const message = invitationNoticeMessage(
    languageFor(user.language, user.locale),
    user.timeZone ?? 'UTC',
    payload.notice,
    { ...payload, startAt: payload.startAt ? new Date(payload.startAt) : null },
  );
  const sent = await context.telegram.send(payload.recipientId, { ...message, parseMode: 'HTML' });
  context.logger.info({ messageId: sent.messageId, notice: payload.notice }, 'invitation notice sent');
};

/** 'invitations.object-changed': an event with attendees was written or deleted; schedule accordingly. */
export const processInvitations: JobHandler<'invitations.object-changed'> = async (payload, context) => {
  await context.services.invitations.process(payload);
};
