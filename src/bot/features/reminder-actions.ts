import { Composer, InlineKeyboard } from 'grammy';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml, userText } from '../../telegram/html.ts';
import { formatSpan, formatTime } from '../../telegram/when.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';
import { storedRepeatText } from '../event-text.ts';

/** The buttons under a reminder (sent by the worker): [Snooze 10 min] and [Open]. */
export const reminderActionsFeature = new Composer<BotContext>();

onCallback(reminderActionsFeature, 'snooze', async (ctx, { eventId, occurrenceStart }) => {
  const fireAt = await ctx.deps.services.reminders.snooze(userIdOf(ctx), eventId, occurrenceStart);
  const at = formatTime(fireAt, zoneOf(ctx), ctx.language);
  await ctx.answerCallbackQuery({ text: ctx.t('snooze-answer', { time: at }) });
  await ctx.reply(ctx.t('snooze-done', { time: escapeHtml(at) }), { parse_mode: 'HTML' });
});

onCallback(reminderActionsFeature, 'open', async (ctx, { eventId }) => {
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  const zone = zoneOf(ctx);
  const lines = [`<b>${userText(event.summary ?? ctx.t('no-title'))}</b>`];
  if (event.start && event.end)
    lines.push(escapeHtml(formatSpan(event.start, event.end, event.allDay, zone, ctx.language)));
  if (event.rrule && event.start)
    lines.push(`🔁 ${escapeHtml(storedRepeatText(ctx, event.rrule, { ...event, start: event.start }))}`);
  if (event.location) lines.push(`📍 ${userText(event.location)}`);
  if (event.description) lines.push('', userText(event.description, 1000));
  // [Edit] opens /edit on this event (edit-event.ts); a series at its next occurrence.
  const edit = encodeCallback({ kind: 'edit-open', eventId: event.id, occurrenceStart: null });
  await ctx.reply(lines.join('\n'), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard().text(ctx.t('button-edit'), edit),
  });
});
