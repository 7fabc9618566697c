import { Composer, InlineKeyboard } from 'grammy';
import { deletionGraceDays } from '../../app/account-service.ts';
import { decodeCallback, encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml } from '../../telegram/html.ts';
import { formatDay } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';

const undoKeyboard = (ctx: BotContext) =>
  new InlineKeyboard().text(
    ctx.t('account-undo-button'),
    encodeCallback({ kind: 'account', choice: 'undo' }),
  );

function isUndoButton(ctx: BotContext): boolean {
  const data = ctx.callbackQuery?.data;
  const decoded = data === undefined ? null : decodeCallback(data);
  return decoded?.kind === 'account' && decoded.choice === 'undo';
}

/** While a deletion is pending, only a few commands work; everything else points at /undelete. */
export const deletionGuard = new Composer<BotContext>();
const allowedWhilePending = /^\/(start|help|undelete|export)\b/;

deletionGuard.use(async (ctx, next) => {
  const scheduled = ctx.user?.deletionScheduledFor;
  if (!scheduled) return next();
  const text = ctx.message?.text ?? '';
  if (allowedWhilePending.test(text) || isUndoButton(ctx)) return next();
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply(
    ctx.t('account-pending', { day: escapeHtml(formatDay(scheduled, zoneOf(ctx), ctx.language)) }),
    { parse_mode: 'HTML', reply_markup: undoKeyboard(ctx) },
  );
});

export const accountFeature = new Composer<BotContext>();

accountFeature.command('deleteaccount', async (ctx) => {
  await ctx.reply(ctx.t('account-delete-ask', { days: deletionGraceDays }), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('account-delete-yes'), encodeCallback({ kind: 'account', choice: 'delete' }))
      .text(ctx.t('button-no'), encodeCallback({ kind: 'account', choice: 'keep' })),
  });
});

async function scheduleDeletion(ctx: BotContext): Promise<void> {
  const user = await ctx.deps.services.accounts.requestDeletion(userIdOf(ctx));
  const when = user.deletionScheduledFor
    ? formatDay(user.deletionScheduledFor, zoneOf(ctx), ctx.language)
    : ctx.t('account-in-days', { days: deletionGraceDays });
  delete ctx.session.createFlow;
  delete ctx.session.quickAdd;
  await ctx.editMessageText(ctx.t('account-scheduled', { day: escapeHtml(when) }), {
    parse_mode: 'HTML',
    reply_markup: undoKeyboard(ctx),
  });
}

async function undelete(ctx: BotContext): Promise<string> {
  if (!ctx.user?.deletionRequestedAt) return ctx.t('account-not-pending');
  ctx.user = await ctx.deps.services.accounts.cancelDeletion(userIdOf(ctx));
  return ctx.t('account-undeleted');
}

onCallback(accountFeature, 'account', async (ctx, { choice }) => {
  await ctx.answerCallbackQuery();
  if (choice === 'delete') await scheduleDeletion(ctx);
  else if (choice === 'undo') await ctx.editMessageText(await undelete(ctx));
  else await ctx.editMessageText(ctx.t('account-kept'));
});

accountFeature.command('undelete', async (ctx) => {
  await ctx.reply(await undelete(ctx));
});
