import { Composer, InlineKeyboard } from 'grammy';
import type { OccurrenceView } from '../../app/calendar-service.ts';
import { type AgendaPage, renderAgenda } from '../../telegram/agenda.ts';
import { type AgendaView, encodeCallback } from '../../telegram/callback-data.ts';
import { startOfDay } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, listingOptionsOf, userIdOf, zoneOf } from '../context.ts';

type View = AgendaView;
const views: readonly View[] = ['today', 'tomorrow', 'week', 'list'];

/** How far /list looks ahead. */
const listDays = 365;

/** The occurrences an agenda view lists (also what its [Edit] button offers, edit-event.ts). */
export async function agendaOccurrences(ctx: BotContext, view: View): Promise<OccurrenceView[]> {
  const zone = zoneOf(ctx);
  const now = ctx.deps.now();
  const today = startOfDay(now, zone);
  const range =
    view === 'today'
      ? { start: today, end: startOfDay(now, zone, 1) }
      : view === 'tomorrow'
        ? { start: startOfDay(now, zone, 1), end: startOfDay(now, zone, 2) }
        : view === 'week'
          ? { start: today, end: startOfDay(now, zone, 7) }
          : // From the start of today, so every page of /list today asks for the same range (its
            // expansions are cached); what has ended already is dropped below.
            { start: today, end: startOfDay(now, zone, listDays) };
  const listed = await ctx.deps.services.calendars.listOccurrences(
    userIdOf(ctx),
    range,
    listingOptionsOf(ctx),
  );
  return view === 'list' ? listed.occurrences.filter((o) => o.end > now) : listed.occurrences;
}

async function agendaPage(ctx: BotContext, view: View, page: number): Promise<AgendaPage> {
  const [occurrences, calendarNames] = await Promise.all([
    agendaOccurrences(ctx, view),
    ctx.deps.services.calendars.eventCalendarNames(userIdOf(ctx)),
  ]);
  const heading = ctx.t(`agenda-${view}`);
  const empty = ctx.t(`agenda-${view}-empty`);
  const zoneNote = ctx.user?.timeZone ? '' : ` ${ctx.t('agenda-utc-note')}`;
  const zone = zoneOf(ctx);
  const rendered = renderAgenda(
    `${heading}${zoneNote}`,
    view,
    occurrences,
    page,
    zone,
    empty,
    ctx.language,
    calendarNames,
  );
  if (occurrences.length === 0) return rendered;
  const keyboard = rendered.keyboard ? rendered.keyboard.row() : new InlineKeyboard();
  keyboard.text(`✏️ ${ctx.t('button-edit')}`, encodeCallback({ kind: 'edit-agenda', view, page }));
  return { ...rendered, keyboard };
}

export const agendaFeature = new Composer<BotContext>();

for (const view of views) {
  agendaFeature.command(view, async (ctx) => {
    const { text, keyboard } = await agendaPage(ctx, view, 0);
    await ctx.reply(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
  });
}

onCallback(agendaFeature, 'agenda', async (ctx, { view, page }) => {
  const { text, keyboard } = await agendaPage(ctx, view, page);
  const message = ctx.callbackQuery.message;
  const shown = message && 'text' in message ? message.text : undefined;
  // Telegram refuses an edit that changes nothing; skip it (e.g. a double tap).
  if (shown === undefined || !sameAsShown(shown, text, message?.reply_markup, keyboard)) {
    await ctx.editMessageText(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
  }
  await ctx.answerCallbackQuery();
});

function sameAsShown(shown: string, html: string, shownMarkup: unknown, markup: unknown): boolean {
  const plain = html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const markupOf = (m: unknown) =>
    JSON.stringify((m as { inline_keyboard?: unknown } | undefined)?.inline_keyboard ?? null);
  return shown === plain && markupOf(shownMarkup) === markupOf(markup);
}
