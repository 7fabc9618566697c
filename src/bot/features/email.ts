import { Composer } from 'grammy';
import { escapeHtml } from '../../telegram/html.ts';
import { type BotContext, userIdOf } from '../context.ts';

// `/email you@example.com` sets the optional address the data export and the deletion notice
// are mailed to; `/email off` removes it; `/email` alone shows it. Never required.

export const emailFeature = new Composer<BotContext>();

const usage =
  'Send <code>/email you@example.com</code> to get your /export and account notices by email too, or <code>/email off</code> to stop.';

emailFeature.command('email', async (ctx) => {
  const argument = ctx.match.trim();
  const userId = userIdOf(ctx);
  const preferences = ctx.deps.services.preferences;
  if (argument === '') {
    const { email } = await preferences.getPreferences(userId);
    const current = email
      ? `Your email address is <b>${escapeHtml(email)}</b>.`
      : 'You have not given me an email address (it is optional).';
    await ctx.reply(`${current}\n${usage}`, { parse_mode: 'HTML' });
    return;
  }
  if (/^(off|none|remove|delete)$/i.test(argument)) {
    await preferences.updatePreferences(userId, { email: null });
    await ctx.reply('Done: I forgot your email address and will not send you email.');
    return;
  }
  // An invalid address raises AppError('invalid-field'), answered with its sentence; nothing stored.
  const { email } = await preferences.updatePreferences(userId, { email: argument });
  const mailOn = Boolean(ctx.deps.config.SMTP_URL);
  await ctx.reply(
    `Saved: <b>${escapeHtml(email ?? '')}</b>. ${
      mailOn
        ? 'Your /export and account notices will be emailed there too.'
        : 'This server has no mail set up yet, so nothing is emailed for now.'
    }`,
    { parse_mode: 'HTML' },
  );
});
