import { FeedFailure } from '../../app/calendar-subscriptions.ts';
import { escapeHtml } from '../../telegram/html.ts';
import { languageFor, translate } from '../../telegram/i18n.ts';
import { fetchFeed } from '../feed-fetcher.ts';
import type { JobHandler } from '../job-context.ts';

/**
 * 'calendar.fetch-subscription': fetches one followed feed (bounded by the worker's feed limits)
 * and applies it to its calendar. A failure is recorded with a backoff, never thrown (a throw
 * would retry hot); the user gets one message when a feed starts failing.
 */
export const fetchSubscription: JobHandler<'calendar.fetch-subscription'> = async (payload, context) => {
  const subscriptions = context.services.calendarSubscriptions;
  const { calendarId } = payload;
  const log = context.logger.child({ calendarId });
  const request = await subscriptions.startFetch(calendarId, context.now());
  if (!request) {
    log.debug('feed fetch skipped: not due or gone');
    return;
  }
  try {
    const response = await fetchFeed(request, context.settings.feedFetch);
    if (response.status === 'not-modified') {
      await subscriptions.recordNotModified(calendarId, context.now());
      log.info('feed not modified');
      return;
    }
    const report = await subscriptions.applyFeed(calendarId, response, context.now());
    log.info(report, 'feed applied');
  } catch (error) {
    if (!(error instanceof FeedFailure)) throw error;
    log.warn({ reason: error.reason, message: error.message }, 'feed fetch failed');
    const notice = await subscriptions.recordFailure(calendarId, error, context.now());
    if (!notice) return;
    const language = languageFor(notice.language, notice.locale);
    await context.telegram.send(notice.userId, {
      text: translate(language, 'subscription-failing', {
        calendar: escapeHtml(notice.calendarName),
        url: escapeHtml(notice.url),
        reason: escapeHtml(translate(language, `subscription-reason-${notice.reason}`)),
      }),
      parseMode: 'HTML',
    });
  }
};
