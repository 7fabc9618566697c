import { Composer, InlineKeyboard } from 'grammy';
import { removeOccurrence } from '../../app/occurrence-removal.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { formatDay, formatSpan, formatTime, startOfDay } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, listingOptionsOf, userIdOf, zoneOf } from '../context.ts';

const listed = 8;
const lookAheadDays = 60;
const keepData = encodeCallback({ kind: 'cancel-keep' });

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
    // Button labels are plain text (no parse mode), so they need no escaping.
    const pick = encodeCallback({ kind: 'cancel-pick', eventId: o.eventId, occurrenceStart: o.recurrenceId });
    keyboard.text(truncate(`${when} · ${o.summary ?? '(no title)'}`, 48), pick).row();
  }
  keyboard.text('Never mind', keepData);
  await ctx.reply('Which event should I delete?', { reply_markup: keyboard });
});

onCallback(cancelEventFeature, 'cancel-keep', async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText('OK, nothing was deleted.');
});

onCallback(cancelEventFeature, 'cancel-pick', async (ctx, { eventId, occurrenceStart }) => {
  await ctx.answerCallbackQuery();
  const zone = zoneOf(ctx);
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  const title = `<b>${userText(event.summary ?? '(no title)')}</b>`;
  const keyboard = new InlineKeyboard();
  let text: string;
  if (event.rrule || occurrenceStart) {
    const when = occurrenceStart ? escapeHtml(formatDay(occurrenceStart, zone)) : '';
    text = `${title} repeats. Delete only the one on ${when}, or the whole series?`;
    // A series listed without an instance start names none (0 seconds), as before the codec.
    const one = {
      kind: 'cancel-occurrence',
      eventId,
      occurrenceStart: occurrenceStart ?? new Date(0),
    } as const;
    keyboard
      .text('This one', encodeCallback(one))
      .text('Whole series', encodeCallback({ kind: 'cancel-series', eventId }))
      .row();
  } else {
    const span =
      event.start && event.end
        ? ` (${escapeHtml(formatSpan(event.start, event.end, event.allDay, zone))})`
        : '';
    text = `Delete ${title}${span}?`;
    keyboard.text('Yes, delete', encodeCallback({ kind: 'cancel-series', eventId }));
  }
  keyboard.text('Keep it', keepData);
  await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

onCallback(cancelEventFeature, 'cancel-series', async (ctx, { eventId }) => {
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  await ctx.deps.services.calendars.deleteEvent(userIdOf(ctx), event.id);
  await ctx.editMessageText(`🗑 Deleted <b>${userText(event.summary ?? '(no title)')}</b>.`, {
    parse_mode: 'HTML',
  });
});

onCallback(cancelEventFeature, 'cancel-occurrence', async (ctx, data) => {
  const { eventId, occurrenceStart: recurrenceId } = data;
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  await removeOccurrence(ctx.deps.services.calendars, userIdOf(ctx), eventId, recurrenceId, zoneOf(ctx));
  await ctx.editMessageText(
    `🗑 Deleted <b>${userText(event.summary ?? '(no title)')}</b> on ${escapeHtml(formatDay(recurrenceId, zoneOf(ctx)))}; the rest of the series stays.`,
    { parse_mode: 'HTML' },
  );
});
