import type { InlineKeyboardMarkup } from 'grammy/types';
import { encodeCallback } from './callback-data.ts';
import { escapeHtml } from './html.ts';
import { type Language, translate } from './i18n.ts';

/** What a message about a share names: the calendar, the other person and the access. */
export interface ShareNoticeFacts {
  shareId: string;
  calendarName: string;
  personName: string;
  access: 'read' | 'write';
}

export type ShareNoticeKind = 'offered' | 'accepted' | 'declined' | 'left' | 'revoked';

/**
 * The chat message about a share, in the recipient's language: an offer carries [Accept]
 * [Decline] (the bot after an invite link, the worker after a share by contact or @username).
 */
export function shareNoticeMessage(
  language: Language,
  notice: ShareNoticeKind,
  facts: ShareNoticeFacts,
): { text: string; replyMarkup?: InlineKeyboardMarkup } {
  const text = translate(language, `share-notice-${notice}`, {
    calendar: escapeHtml(facts.calendarName),
    person: escapeHtml(facts.personName),
    access: translate(language, `share-access-${facts.access}`),
  });
  if (notice !== 'offered') return { text };
  return {
    text,
    replyMarkup: {
      inline_keyboard: [
        [
          {
            text: translate(language, 'share-button-accept'),
            callback_data: encodeCallback({ kind: 'share-answer', shareId: facts.shareId, answer: 'accept' }),
          },
          {
            text: translate(language, 'share-button-decline'),
            callback_data: encodeCallback({
              kind: 'share-answer',
              shareId: facts.shareId,
              answer: 'decline',
            }),
          },
        ],
      ],
    },
  };
}
