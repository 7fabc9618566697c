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
    await ctx.reply(`I don't know the command ${escapeHtml(command)}. Send /help to see what I can do.`, {
      parse_mode: 'HTML',
    });
    return;
  }
  await ctx.reply(
    'I could not find a date or time in that. To add an event, write something like <i>Lunch with Anna on Friday at 1pm</i>, or use /create. /help lists everything.',
    { parse_mode: 'HTML' },
  );
});

fallbackFeature.on('callback_query', answerExpiredButton);

fallbackFeature.on('message', async (ctx) => {
  await ctx.reply('I can read text messages and .ics calendar files. Send /help to see what I can do.');
});
