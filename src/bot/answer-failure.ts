import { BotError } from 'grammy';
import type { Logger } from '../observability/logger.ts';
import { classifyTelegramError } from '../telegram/telegram-errors.ts';
import type { BotContext } from './context.ts';
import { replyToError } from './reply-to-error.ts';

/** The bot's error boundary: logs a failed update and tells the user in a sentence. Never throws. */
export async function answerFailure(ctx: BotContext, error: unknown, logger: Logger): Promise<void> {
  const cause = error instanceof BotError ? error.error : error;
  const failure = classifyTelegramError(cause);
  // A double tap can ask for an edit that changes nothing; Telegram refuses it and the chat is already right.
  if (failure?.kind === 'not-modified') {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    return;
  }
  const blocked = failure?.kind === 'blocked';
  logger[blocked ? 'info' : 'error'](
    { err: cause, updateId: ctx.update.update_id },
    'update handling failed',
  );
  if (blocked || !ctx.chat) return;
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.reply(replyToError(cause, ctx.language), { parse_mode: 'HTML' });
  } catch (replyError) {
    logger.warn({ err: replyError, updateId: ctx.update.update_id }, 'could not answer a failed update');
  }
}
