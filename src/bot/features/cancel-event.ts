import { Composer, InlineKeyboard } from 'grammy';
import { removeOccurrence } from '../../app/occurrence-removal.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { formatDay, formatSpan, formatTime, startOfDay } from '../../telegram/when.ts';
import { type BotContext, listingOptionsOf, userIdOf, zoneOf } from '../context.ts';

const listed = 8;
const lookAheadDays = 60;
const uuid = '[0-9a-f-]{36}';

/** `/cancel` outside a flow: pick an upcoming event, confirm, delete (one instance or the series). */
export const cancelEventFeature = new Composer<BotContext>();

cancelEventFeature.command('cancel', async (ctx) => {
  const zone = zoneOf(ctx);
  const now = ctx.deps.now();
  const { occurrences } = await ctx.deps.services.calendars.listOccurrences(
    userIdOf(ctx),
    { start: now, end: startOfDay(now, zone, lookAheadDays) },
    listingOptionsOf(ctx),
  );
  if (occurrences.length === 0) {
    await ctx.reply('You have no upcoming events to delete.');
    return;
  }
  const keyboard = new InlineKeyboard();
  for (const o of occurrences.slice(0, listed)) {
    const when = o.allDay
      ? formatDay(o.start, zone)
      : `${formatDay(o.start, zone).slice(0, 11)} ${formatTime(o.start, zone)}`;
    // Button labels are plain text (no parse mode), so they need no escaping; ≤ 64-byte data.
    const instant = o.recurrenceId ? Math.round(o.recurrenceId.getTime() / 1000) : 0;
    keyboard.text(truncate(`${when} · ${o.summary ?? '(no title)'}`, 48), `rm:${o.eventId}:${instant}`).row();
  }
  keyboard.text('Never mind', 'rm:keep');
  await ctx.reply('Which event should I delete?', { reply_markup: keyboard });
});

cancelEventFeature.callbackQuery('rm:keep', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText('OK, nothing was deleted.');
});

cancelEventFeature.callbackQuery(new RegExp(`^rm:(${uuid}):(\\d{1,12})$`), async (ctx) => {
  await ctx.answerCallbackQuery();
  const eventId = ctx.match[1] ?? '';
  const instant = Number(ctx.match[2]);
  const zone = zoneOf(ctx);
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  const title = `<b>${userText(event.summary ?? '(no title)')}</b>`;
  const keyboard = new InlineKeyboard();
  let text: string;
  if (event.rrule || instant > 0) {
    const when = instant > 0 ? escapeHtml(formatDay(new Date(instant * 1000), zone)) : '';
    text = `${title} repeats. Delete only the one on ${when}, or the whole series?`;
    keyboard.text('This one', `rmo:${eventId}:${instant}`).text('Whole series', `rms:${eventId}`).row();
  } else {
    const span =
      event.start && event.end
        ? ` (${escapeHtml(formatSpan(event.start, event.end, event.allDay, zone))})`
        : '';
    text = `Delete ${title}${span}?`;
    keyboard.text('Yes, delete', `rms:${eventId}`);
  }
  keyboard.text('Keep it', 'rm:keep');
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

cancelEventFeature.callbackQuery(new RegExp(`^rms:(${uuid})$`), async (ctx) => {
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), ctx.match[1] ?? '');
  await ctx.deps.services.calendars.deleteEvent(userIdOf(ctx), event.id);
  await ctx.editMessageText(`🗑 Deleted <b>${userText(event.summary ?? '(no title)')}</b>.`, {
    parse_mode: 'HTML',
  });
});

cancelEventFeature.callbackQuery(new RegExp(`^rmo:(${uuid}):(\\d{1,12})$`), async (ctx) => {
  await ctx.answerCallbackQuery();
  const eventId = ctx.match[1] ?? '';
  const recurrenceId = new Date(Number(ctx.match[2]) * 1000);
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  await removeOccurrence(ctx.deps.services.calendars, userIdOf(ctx), eventId, recurrenceId, zoneOf(ctx));
  await ctx.editMessageText(
    `🗑 Deleted <b>${userText(event.summary ?? '(no title)')}</b> on ${escapeHtml(formatDay(recurrenceId, zoneOf(ctx)))}; the rest of the series stays.`,
    { parse_mode: 'HTML' },
  );
});
