import { isAppError } from '../../app/errors.ts';
import { languageFor } from '../../telegram/i18n.ts';
import { shareNoticeMessage } from '../../telegram/share-message.ts';
import type { JobHandler } from '../job-context.ts';

/**
 * 'share.notice': one chat message about a calendar share (issue 14). An offer is sent only while
 * it is still pending for its sharee (accepted in the web app meanwhile, or revoked: nothing to say).
 */
export const sendShareNotice: JobHandler<'share.notice'> = async (payload, context) => {
  const { recipientId, notice } = payload;
  if (notice === 'offered') {
    const share = await context.services.sharing
      .shareForSharee(recipientId, payload.shareId)
      .catch((error: unknown) => (isAppError(error) ? undefined : Promise.reject(error)));
    if (share?.status !== 'pending') {
      context.logger.info({ shareId: payload.shareId }, 'share offer not sent: answered or revoked');
      return;
    }
  }
  const user = await context.services.accounts
    .getUser(recipientId)
    .catch((error: unknown) => (isAppError(error) ? undefined : Promise.reject(error)));
  if (!user) return;
  const message = shareNoticeMessage(languageFor(user.language, user.locale), notice, payload);
  const sent = await context.telegram.send(recipientId, { ...message, parseMode: 'HTML' });
  context.logger.info({ messageId: sent.messageId, notice }, 'share notice sent');
};
