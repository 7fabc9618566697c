import { isAppError } from '../app/errors.ts';
import { escapeHtml } from '../telegram/html.ts';
import { catalogueKeys, type Language, translate } from '../telegram/i18n.ts';
import { classifyTelegramError } from '../telegram/telegram-errors.ts';

let russianReasons: Set<string> | undefined;

/**
 * The bot's one mapping of failures to a sentence (HTML, escaped). AppErrors carry a message
 * written for people in English, shown as is to English speakers; other languages get the
 * catalogue's sentence for the reason (`error-reason-…`) or else for its kind (`error-kind-…`).
 * Anything else gets a polite apology and is logged by the caller.
 */
export function replyToError(error: unknown, language: Language = 'en'): string {
  if (isAppError(error)) {
    if (error.reason === 'account-deletion-pending') return translate(language, 'error-deletion-pending');
    const message = error.message.trim();
    if (language === 'en') {
      return escapeHtml(message === '' ? translate('en', `error-kind-${error.kind}`) : message);
    }
    russianReasons ??= new Set(catalogueKeys('ru'));
    const reasonKey = `error-reason-${error.reason}`;
    return translate(language, russianReasons.has(reasonKey) ? reasonKey : `error-kind-${error.kind}`);
  }
  if (classifyTelegramError(error) !== null) return translate(language, 'error-telegram');
  return translate(language, 'error-unexpected');
}
