import type { Composer, Filter } from 'grammy';
import { type CallbackKind, type CallbackOf, decodeCallback } from '../telegram/callback-data.ts';
import type { BotContext } from './context.ts';

export type CallbackContext = Filter<BotContext, 'callback_query:data'>;

/**
 * Routes the button presses of one callback kind to `handler` with the decoded data; anything
 * else (another kind, data this codec did not write) goes on to the next handler, and what no
 * handler takes ends at the fallback's answerExpiredButton.
 */
export function onCallback<K extends CallbackKind>(
  composer: Composer<BotContext>,
  kind: K,
  handler: (ctx: CallbackContext, data: CallbackOf<K>) => Promise<void>,
): void {
  composer.on('callback_query:data', async (ctx, next) => {
    const data = decodeCallback(ctx.callbackQuery.data);
    if (data?.kind !== kind) return next();
    await handler(ctx, data as CallbackOf<K>);
  });
}

/** The one answer to a button the bot no longer knows (old data) or whose moment has passed. */
export async function answerExpiredButton(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('button-expired') });
}
