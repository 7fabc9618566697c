import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';
import { serverBaseUrl } from './devices.ts';

export const webLoginFeature = new Composer<BotContext>();

webLoginFeature.command('web', async (ctx) => {
  const { url } = await ctx.deps.services.logins.createLoginLink(userIdOf(ctx), serverBaseUrl(ctx));
  const text = `${ctx.t('web-login-link')}\n${escapeHtml(url)}`;
  // Telegram accepts URL buttons only for http(s) hosts it can reach; plain text always works.
  const keyboard = url.startsWith('https://')
    ? new InlineKeyboard().url(ctx.t('web-open-button'), url)
    : undefined;
  await ctx.reply(text, {
    parse_mode: 'HTML',
    ...(keyboard ? { reply_markup: keyboard } : {}),
    link_preview_options: { is_disabled: true },
  });
});
