import type { InlineKeyboard } from 'grammy';
import type { BotContext } from './context.ts';

/** ‹ Earlier / Later › on their own row when there is more than one page. */
export function pageButtons(
  ctx: BotContext,
  keyboard: InlineKeyboard,
  page: number,
  pages: number,
  dataFor: (page: number) => string,
): void {
  if (pages <= 1) return;
  if (page > 0) keyboard.text(ctx.t('button-earlier'), dataFor(page - 1));
  if (page < pages - 1) keyboard.text(ctx.t('button-later'), dataFor(page + 1));
  keyboard.row();
}
