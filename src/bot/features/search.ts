import { Composer, InlineKeyboard } from 'grammy';
import type { FoundEvent } from '../../app/event-search.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml, userText } from '../../telegram/html.ts';
import { formatDay, formatTime } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';
import { pageButtons } from '../page-buttons.ts';

/** Events per /search page: with titles and places capped, far below Telegram's 4096 characters. */
export const searchPageSize = 10;

function foundLine(ctx: BotContext, event: FoundEvent): string {
  const zone = zoneOf(ctx);
  const when = event.start
    ? event.allDay
      ? formatDay(event.start, zone, ctx.language)
      : `${formatDay(event.start, zone, ctx.language)} ${formatTime(event.start, zone, ctx.language)}`
    : '';
  const place = event.location ? ` · 📍 ${userText(event.location, 60)}` : '';
  const repeat = event.isRecurring ? ' 🔁' : '';
  return `• ${escapeHtml(when)}  <b>${userText(event.summary ?? ctx.t('no-title'), 120)}</b>${place}${repeat}`;
}

async function searchPage(ctx: BotContext, words: string, page: number) {
  const found = await ctx.deps.services.eventSearch.searchEvents(userIdOf(ctx), words, {
    page,
    pageSize: searchPageSize,
  });
  if (found.events.length === 0) {
    return { text: ctx.t('search-none', { words: escapeHtml(words) }), keyboard: undefined };
  }
  const lines = [`<b>${ctx.t('search-heading', { words: escapeHtml(words) })}</b>`, ''];
  lines.push(...found.events.map((e) => foundLine(ctx, e)));
  if (found.pages > 1)
    lines.push('', `<i>${ctx.t('page-of', { page: found.page + 1, pages: found.pages })}</i>`);
  if (found.truncated) lines.push(`<i>${ctx.t('search-truncated')}</i>`);
  const keyboard = new InlineKeyboard();
  pageButtons(ctx, keyboard, found.page, found.pages, (p) =>
    encodeCallback({ kind: 'search-page', page: p }),
  );
  return { text: lines.join('\n'), keyboard: found.pages > 1 ? keyboard : undefined };
}

/** `/search words`: events past and future whose title, place or notes contain the words, paged. */
export const searchFeature = new Composer<BotContext>();

searchFeature.command('search', async (ctx) => {
  const words = ctx.match.replace(/\s+/g, ' ').trim().slice(0, 100);
  if (words === '') {
    await ctx.reply(ctx.t('search-usage'), { parse_mode: 'HTML' });
    return;
  }
  ctx.session.search = words;
  const { text, keyboard } = await searchPage(ctx, words, 0);
  await ctx.reply(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
});

onCallback(searchFeature, 'search-page', async (ctx, { page }) => {
  const words = ctx.session.search;
  await ctx.answerCallbackQuery();
  if (!words) return;
  const { text, keyboard } = await searchPage(ctx, words, page);
  await ctx.editMessageText(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
});
