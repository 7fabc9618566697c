import type { InlineKeyboardMarkup } from 'grammy/types';
import { encodeCallback } from './callback-data.ts';
import { userText } from './html.ts';
import { type Language, translate } from './i18n.ts';
import { formatDay, formatTime } from './when.ts';

export type InvitationNotice = 'invited' | 'changed' | 'cancelled' | 'answered';
export type InvitationAnswer = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';

/** What a message about an invitation names: the event, when it is, and the other person. */
export interface InvitationFacts {
  invitationId: string;
  personName: string;
  summary: string | null;
  startAt: Date | null;
  allDay: boolean;
  answer?: InvitationAnswer | undefined;
}

const answerKeys = { ACCEPTED: 'accepted', TENTATIVE: 'tentative', DECLINED: 'declined' } as const;

/** "Fri, 4 Dec 2026, 19:00" in the zone (the day alone for an all-day event). */
export function invitationWhen(
  facts: Pick<InvitationFacts, 'startAt' | 'allDay'>,
  timeZone: string,
  language: Language,
): string {
  if (!facts.startAt) return '';
  return facts.allDay
    ? formatDay(facts.startAt, 'UTC', language)
    : `${formatDay(facts.startAt, timeZone, language)}, ${formatTime(facts.startAt, timeZone, language)}`;
}

/** The three answers as buttons (an invitation, and again after a change). */
export function answerButtons(language: Language, invitationId: string): InlineKeyboardMarkup {
  const button = (answer: InvitationAnswer) => ({
    text: translate(language, `invitation-button-${answerKeys[answer]}`),
    callback_data: encodeCallback({ kind: 'invitation-answer', invitationId, answer }),
  });
  return { inline_keyboard: [[button('ACCEPTED'), button('TENTATIVE'), button('DECLINED')]] };
}

/**
 * The chat message about an invitation, in the recipient's language and zone: to an attendee
 * that they are invited (with [Accept] [Maybe] [Decline]), that the event changed (answer again)
 * or that it is off; to the organizer what an attendee answered.
 */
export function invitationNoticeMessage(
  language: Language,
  timeZone: string,
  notice: InvitationNotice,
  facts: InvitationFacts,
): { text: string; replyMarkup?: InlineKeyboardMarkup } {
  const event = `<b>${userText(facts.summary ?? translate(language, 'no-title'), 80)}</b>`;
  const when = invitationWhen(facts, timeZone, language);
  const key =
    notice === 'answered'
      ? `invitation-answered-${answerKeys[facts.answer ?? 'ACCEPTED']}`
      : `invitation-${notice}`;
  const text = `${translate(language, key, { person: userText(facts.personName, 60), event })}${when ? `\n${when}` : ''}`;
  if (notice !== 'invited' && notice !== 'changed') return { text };
  return { text, replyMarkup: answerButtons(language, facts.invitationId) };
}
