import { Composer, InlineKeyboard } from 'grammy';
import type { OccurrenceView } from '../../app/calendar-service.ts';
import { type AgendaPage, renderAgenda } from '../../telegram/agenda.ts';
import { type AgendaView, encodeCallback } from '../../telegram/callback-data.ts';
import { startOfDay } from '../../telegram/when.ts';
import { type CallbackContext, onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf } from '../context.ts';

type View = AgendaView;
const views: readonly View[] = ['today', 'tomorrow', 'week', 'list'];

/** How far /list looks ahead. */
const listDays = 365;

/** Whose agenda: the person writing (a private chat), or a group's (group-calendar.ts). */
export interface AgendaSubject {
  userId: number;
  timeZone: string | null;
}

function personOf(ctx: BotContext): AgendaSubject {
  return { userId: userIdOf(ctx), timeZone: ctx.user ? ctx.user.timeZone : null };
}

/** The occurrences an agenda view lists (also what its [Edit] button offers, edit-event.ts). */
export async function agendaOccurrences(
  ctx: BotContext,
  view: View,
  subject: AgendaSubject = personOf(ctx),
): Promise<OccurrenceView[]> {
  const zone = subject.timeZone ?? 'UTC';
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
  const listed = await ctx.deps.services.calendars.listOccurrences(subject.userId, range, {
    userTimeZone: subject.timeZone,
  });
  return view === 'list' ? listed.occurrences.filter((o) => o.end > now) : listed.occurrences;
}

/** One page of an agenda view; a person's has [✏️ Edit] under it, a group's does not. */
export async function agendaPage(
  ctx: BotContext,
  view: View,
  page: number,
  subject: AgendaSubject = personOf(ctx),
): Promise<AgendaPage> {
  const [occurrences, calendarNames] = await Promise.all([
    agendaOccurrences(ctx, view, subject),
    ctx.deps.services.calendars.eventCalendarNames(subject.userId),
  ]);
  const heading = ctx.t(`agenda-${view}`);
  const empty = ctx.t(`agenda-${view}-empty`);
  const zoneNote = subject.timeZone ? '' : ` ${ctx.t('agenda-utc-note')}`;
  const zone = subject.timeZone ?? 'UTC';
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
  if (occurrences.length === 0 || subject.userId < 0) return rendered;
  const keyboard = rendered.keyboard ? rendered.keyboard.row() : new InlineKeyboard();
  keyboard.text(`✏️ ${ctx.t('button-edit')}`, encodeCallback({ kind: 'edit-agenda', view, page }));
  return { ...rendered, keyboard };
}

export const agendaFeature = new Composer<BotContext>();

/** Shows or turns a page of an agenda (its ‹ › buttons), editing the message in place. */
export async function showAgendaPage(
  ctx: CallbackContext,
  view: View,
  page: number,
  subject?: AgendaSubject,
): Promise<void> {
  const { text, keyboard } = await agendaPage(ctx, view, page, subject);
  const message = ctx.callbackQuery.message;
  const shown = message && 'text' in message ? message.text : undefined;
  // Telegram refuses an edit that changes nothing; skip it (e.g. a double tap).
  if (shown === undefined || !sameAsShown(shown, text, message?.reply_markup, keyboard)) {
    await ctx.editMessageText(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
  }
  await ctx.answerCallbackQuery();
}

for (const view of views) {
  agendaFeature.command(view, async (ctx) => {
    const { text, keyboard } = await agendaPage(ctx, view, 0);
    await ctx.reply(text, { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) });
  });
}

onCallback(agendaFeature, 'agenda', (ctx, { view, page }) => showAgendaPage(ctx, view, page));

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
