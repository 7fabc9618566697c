import { Composer, InlineKeyboard } from 'grammy';
import { deletionGraceDays } from '../../app/account-service.ts';
import { decodeCallback, encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml } from '../../telegram/html.ts';
import { formatDay } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';

const undoKeyboard = new InlineKeyboard().text(
  'Undo — keep my account',
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
    `Your account is scheduled for deletion on <b>${escapeHtml(formatDay(scheduled, zoneOf(ctx)))}</b>. Send /undelete to keep it.`,
    { parse_mode: 'HTML', reply_markup: undoKeyboard },
  );
});

export const accountFeature = new Composer<BotContext>();

accountFeature.command('deleteaccount', async (ctx) => {
  await ctx.reply(
    `This deletes your account, calendar and device passwords. You have ${deletionGraceDays} days to change your mind. Continue?`,
    {
      reply_markup: new InlineKeyboard()
        .text('Yes, delete my account', encodeCallback({ kind: 'account', choice: 'delete' }))
        .text('No', encodeCallback({ kind: 'account', choice: 'keep' })),
    },
  );
});

async function scheduleDeletion(ctx: BotContext): Promise<void> {
  const user = await ctx.deps.services.accounts.requestDeletion(userIdOf(ctx));
  const when = user.deletionScheduledFor
    ? formatDay(user.deletionScheduledFor, zoneOf(ctx))
    : `${deletionGraceDays} days`;
  delete ctx.session.createFlow;
  delete ctx.session.quickAdd;
  await ctx.editMessageText(
    `Your account will be erased on <b>${escapeHtml(when)}</b>. Until then you can undo this with /undelete.`,
    { parse_mode: 'HTML', reply_markup: undoKeyboard },
  );
}

async function undelete(ctx: BotContext): Promise<string> {
  if (!ctx.user?.deletionRequestedAt) return 'Your account is not scheduled for deletion.';
  ctx.user = await ctx.deps.services.accounts.cancelDeletion(userIdOf(ctx));
  return 'Welcome back — your account will not be deleted.';
}

onCallback(accountFeature, 'account', async (ctx, { choice }) => {
  await ctx.answerCallbackQuery();
  if (choice === 'delete') await scheduleDeletion(ctx);
  else if (choice === 'undo') await ctx.editMessageText(await undelete(ctx));
  else await ctx.editMessageText('Good — nothing changes.');
});

accountFeature.command('undelete', async (ctx) => {
  await ctx.reply(await undelete(ctx));
});
