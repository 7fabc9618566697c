import { Composer } from 'grammy';
import { escapeHtml, truncate } from '../../telegram/html.ts';
import { answerExpiredButton } from '../callback-route.ts';
import type { BotContext } from '../context.ts';

/** Last in line: whatever no feature took gets a helpful answer, never silence. */
export const fallbackFeature = new Composer<BotContext>();

fallbackFeature.on('message:text', async (ctx) => {
  const text = ctx.msg.text.trim();
  if (text.startsWith('/')) {
    const command = truncate(text.split(/\s/)[0] ?? text, 40);
    await ctx.reply(ctx.t('fallback-unknown-command', { command: escapeHtml(command) }), {
      parse_mode: 'HTML',
    });
    return;
  }
  await ctx.reply(ctx.t('fallback-no-date'), { parse_mode: 'HTML' });
});

fallbackFeature.on('callback_query', answerExpiredButton);

fallbackFeature.on('message', async (ctx) => {
  await ctx.reply(ctx.t('fallback-other-message'));
});
