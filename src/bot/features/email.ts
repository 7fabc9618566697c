import { Composer } from 'grammy';
import { escapeHtml } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';

// `/email you@example.com` sets the optional address the data export and the deletion notice
// are mailed to; `/email off` removes it; `/email` alone shows it. Never required.

export const emailFeature = new Composer<BotContext>();

emailFeature.command('email', async (ctx) => {
  const argument = ctx.match.trim();
  const userId = userIdOf(ctx);
  const preferences = ctx.deps.services.preferences;
  if (argument === '') {
    const { email } = await preferences.getPreferences(userId);
    const current = email ? ctx.t('email-current', { email: escapeHtml(email) }) : ctx.t('email-unset');
    await ctx.reply(`${current}\n${ctx.t('email-usage')}`, { parse_mode: 'HTML' });
    return;
  }
  if (/^(off|none|remove|delete)$/i.test(argument)) {
    await preferences.updatePreferences(userId, { email: null });
    await ctx.reply(ctx.t('email-removed'));
    return;
  }
  // An invalid address raises AppError('invalid-field'), answered with its sentence; nothing stored.
  const { email } = await preferences.updatePreferences(userId, { email: argument });
  const mailOn = Boolean(ctx.deps.config.SMTP_URL);
  await ctx.reply(
    `${ctx.t('email-saved', { email: escapeHtml(email ?? '') })} ${ctx.t(mailOn ? 'email-mail-on' : 'email-mail-off')}`,
    { parse_mode: 'HTML' },
  );
});
