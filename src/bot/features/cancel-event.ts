import { Composer, InlineKeyboard } from 'grammy';
import type { OccurrenceView } from '../../app/calendar-service.ts';
import { removeOccurrence } from '../../app/occurrence-removal.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { formatDay, formatSpan, formatTime, startOfDay } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, listingOptionsOf, userIdOf, zoneOf } from '../context.ts';
import { pageButtons } from '../page-buttons.ts';

/** Events per page of the /cancel list. */
export const cancelPageSize = 8;
/** How far /cancel looks ahead: two years (a listing is bounded; see docs/architecture.md#bounded-reading). */
const lookAheadDays = 731;
const keepData = encodeCallback({ kind: 'cancel-keep' });

/**
 * Every upcoming event once, at its next occurrence (a daily series does not crowd out the rest),
 * optionally only those whose title contains `words`.
 */
export async function upcomingEvents(ctx: BotContext, words: string | undefined): Promise<OccurrenceView[]> {
  const zone = zoneOf(ctx);
  const now = ctx.deps.now();
  const { occurrences } = await ctx.deps.services.calendars.listOccurrences(
    userIdOf(ctx),
    { start: now, end: startOfDay(now, zone, lookAheadDays) },
    listingOptionsOf(ctx),
  );
  const seen = new Set<string>();
  const needle = words?.toLowerCase();
  return occurrences.filter((o) => {
    if (seen.has(o.eventId)) return false;
    seen.add(o.eventId);
    return !needle || (o.summary ?? '').toLowerCase().includes(needle);
  });
}

async function cancelPage(
  ctx: BotContext,
  page: number,
): Promise<{ text: string; keyboard?: InlineKeyboard }> {
  const words = ctx.session.cancelSearch;
  const events = await upcomingEvents(ctx, words);
  if (events.length === 0) {
    return {
      text: words ? ctx.t('cancel-none-matching', { words: escapeHtml(words) }) : ctx.t('cancel-none'),
    };
  }
  const zone = zoneOf(ctx);
  const pages = Math.ceil(events.length / cancelPageSize);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const keyboard = new InlineKeyboard();
  for (const o of events.slice(current * cancelPageSize, (current + 1) * cancelPageSize)) {
    const day = formatDay(o.start, zone, ctx.language);
    const when = o.allDay ? day : `${day} ${formatTime(o.start, zone, ctx.language)}`;
    const repeat = o.isRecurring ? ' 🔁' : '';
    // Button labels are plain text (no parse mode), so they need no escaping.
    const pick = encodeCallback({ kind: 'cancel-pick', eventId: o.eventId, occurrenceStart: o.recurrenceId });
    keyboard.text(truncate(`${when} · ${o.summary ?? ctx.t('no-title')}${repeat}`, 56), pick).row();
  }
  pageButtons(ctx, keyboard, current, pages, (p) => encodeCallback({ kind: 'cancel-page', page: p }));
  keyboard.text(ctx.t('button-never-mind'), keepData);
  const heading = words ? ctx.t('cancel-ask-matching', { words: escapeHtml(words) }) : ctx.t('cancel-ask');
  const pageNote = pages > 1 ? `\n<i>${ctx.t('page-of', { page: current + 1, pages })}</i>` : '';
  return { text: `${heading}\n${ctx.t('cancel-search-hint')}${pageNote}`, keyboard };
}

/** `/cancel` outside a flow: pick an upcoming event (paged, or `/cancel words`), confirm, delete. */
export const cancelEventFeature = new Composer<BotContext>();

cancelEventFeature.command('cancel', async (ctx) => {
  const words = ctx.match.trim().slice(0, 100);
  if (words) ctx.session.cancelSearch = words;
  else delete ctx.session.cancelSearch;
  const { text, keyboard } = await cancelPage(ctx, 0);
  await ctx.reply(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
});

onCallback(cancelEventFeature, 'cancel-page', async (ctx, { page }) => {
  await ctx.answerCallbackQuery();
  const { text, keyboard } = await cancelPage(ctx, page);
  await ctx.editMessageText(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
});

onCallback(cancelEventFeature, 'cancel-keep', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t('cancel-kept'));
});

onCallback(cancelEventFeature, 'cancel-pick', async (ctx, { eventId, occurrenceStart }) => {
  await ctx.answerCallbackQuery();
  const zone = zoneOf(ctx);
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  const title = `<b>${userText(event.summary ?? ctx.t('no-title'))}</b>`;
  const keyboard = new InlineKeyboard();
  let text: string;
  if (event.rrule || occurrenceStart) {
    const day = occurrenceStart ? escapeHtml(formatDay(occurrenceStart, zone, ctx.language)) : '';
    text = ctx.t('cancel-ask-series', { title, day });
    // A series listed without an instance start names none (0 seconds), as before the codec.
    const one = {
      kind: 'cancel-occurrence',
      eventId,
      occurrenceStart: occurrenceStart ?? new Date(0),
    } as const;
    keyboard
      .text(ctx.t('button-this-one'), encodeCallback(one))
      .text(ctx.t('button-whole-series'), encodeCallback({ kind: 'cancel-series', eventId }))
      .row();
  } else {
    const span =
      event.start && event.end
        ? ` (${escapeHtml(formatSpan(event.start, event.end, event.allDay, zone, ctx.language))})`
        : '';
    text = ctx.t('cancel-ask-one', { title, span });
    keyboard.text(ctx.t('button-yes-delete'), encodeCallback({ kind: 'cancel-series', eventId }));
  }
  keyboard.text(ctx.t('button-keep-it'), keepData);
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

onCallback(cancelEventFeature, 'cancel-series', async (ctx, { eventId }) => {
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  await ctx.deps.services.calendars.deleteEvent(userIdOf(ctx), event.id);
  await ctx.editMessageText(
    ctx.t('cancel-deleted', { title: userText(event.summary ?? ctx.t('no-title')) }),
    {
      parse_mode: 'HTML',
    },
  );
});

onCallback(cancelEventFeature, 'cancel-occurrence', async (ctx, data) => {
  const { eventId, occurrenceStart: recurrenceId } = data;
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  await removeOccurrence(ctx.deps.services.calendars, userIdOf(ctx), eventId, recurrenceId, zoneOf(ctx));
  await ctx.editMessageText(
    ctx.t('cancel-deleted-one', {
      title: userText(event.summary ?? ctx.t('no-title')),
      day: escapeHtml(formatDay(recurrenceId, zoneOf(ctx), ctx.language)),
    }),
    { parse_mode: 'HTML' },
  );
});
