import { Composer } from 'grammy';
import { escapeHtml } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';

export const subscribeFeature = new Composer<BotContext>();

/**
 * /subscribe <url>: a read-only calendar that follows an external ICS feed (issue 13 item 5),
 * named after the URL's host until the first fetch names it with the feed's X-WR-CALNAME.
 * /subscribe alone explains. A refused address is answered by the bot's error mapping.
 */
subscribeFeature.command('subscribe', async (ctx) => {
  const url = ctx.match.trim();
  if (url === '') {
    await ctx.reply(ctx.t('subscribe-usage'), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    return;
  }
  const calendar = await ctx.deps.services.calendarSubscriptions.subscribe(
    userIdOf(ctx),
    { url },
    { allowPrivateAddresses: ctx.deps.config.FEED_FETCH_ALLOW_PRIVATE },
  );
  await ctx.reply(ctx.t('subscribe-done', { name: escapeHtml(calendar.name) }), {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  });
});
