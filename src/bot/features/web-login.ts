import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';
import { serverBaseUrl } from './devices.ts';

export const webLoginFeature = new Composer<BotContext>();

/**
 * /web: the Mini App as a Web App button when PUBLIC_URL is https (it signs in from Telegram's
 * launch data), and always a one-time login link for a browser outside Telegram.
 */
webLoginFeature.command('web', async (ctx) => {
  const { url } = await ctx.deps.services.logins.createLoginLink(userIdOf(ctx), serverBaseUrl(ctx));
  const text = `${ctx.t('web-login-link')}\n${escapeHtml(url)}`;
  const keyboard = new InlineKeyboard();
  const appUrl = ctx.deps.miniAppUrl;
  if (appUrl) keyboard.webApp(ctx.t('web-app-button'), appUrl).row();
  // Telegram accepts URL buttons only for http(s) hosts it can reach; plain text always works.
  if (url.startsWith('https://')) keyboard.url(ctx.t(appUrl ? 'web-browser-button' : 'web-open-button'), url);
  const buttons = keyboard.inline_keyboard.flat().length > 0;
  await ctx.reply(text, {
    parse_mode: 'HTML',
    ...(buttons ? { reply_markup: keyboard } : {}),
    link_preview_options: { is_disabled: true },
  });
});
