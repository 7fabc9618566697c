import { type ErrorKind, isAppError } from '../app/errors.ts';
import { escapeHtml } from '../telegram/html.ts';
import { classifyTelegramError } from '../telegram/telegram-errors.ts';

const kindSentences: Record<ErrorKind, string> = {
  'not-found': 'I could not find that — it may have been deleted in the meantime.',
  conflict: 'That clashes with something you already have.',
  'precondition-failed': 'That changed elsewhere a moment ago; please try again.',
  'invalid-input': 'That did not look right.',
  unauthorized: 'You are not signed in for that.',
  forbidden: 'That is not allowed right now.',
  'too-large': 'That is too large for me.',
  'rate-limited': 'That was a lot at once — please wait a moment and try again.',
};

/**
 * The bot's one mapping of failures to a sentence (HTML, escaped). AppErrors carry a message
 * written for people; anything else gets a polite apology and is logged by the caller.
 */
export function replyToError(error: unknown): string {
  if (isAppError(error)) {
    if (error.reason === 'account-deletion-pending') {
      return 'Your account is scheduled for deletion. Send /undelete to keep it.';
    }
    const message = error.message.trim();
    return escapeHtml(message === '' ? kindSentences[error.kind] : message);
  }
  if (classifyTelegramError(error) !== null) {
    return 'Telegram did not accept my answer just now. Please try again in a moment.';
  }
  return 'Sorry, something went wrong on my side. It has been logged; please try again.';
}
