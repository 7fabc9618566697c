import { Composer } from 'grammy';
import { type BotContext, userIdOf, zoneOf } from '../context.ts';
import { escapeHtml, userText } from '../format/html.ts';
import { formatSpan, formatTime } from '../format/when.ts';

const uuid = '[0-9a-f-]{36}';

/** The buttons under a reminder (sent by the worker): [Snooze 10 min] and [Open]. */
export const reminderActionsFeature = new Composer<BotContext>();

reminderActionsFeature.callbackQuery(new RegExp(`^snooze:(${uuid}):(\\d{1,12})$`), async (ctx) => {
  const eventId = ctx.match[1] ?? '';
  const occurrenceStart = new Date(Number(ctx.match[2]) * 1000);
  const fireAt = await ctx.deps.services.reminders.snooze(userIdOf(ctx), eventId, occurrenceStart);
  const at = formatTime(fireAt, zoneOf(ctx));
  await ctx.answerCallbackQuery({ text: `Snoozed until ${at}` });
  await ctx.reply(`⏰ Snoozed: I will remind you again at ${escapeHtml(at)}.`, { parse_mode: 'HTML' });
});

reminderActionsFeature.callbackQuery(new RegExp(`^open:(${uuid})$`), async (ctx) => {
  await ctx.answerCallbackQuery();
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), ctx.match[1] ?? '');
  const zone = zoneOf(ctx);
  const lines = [`<b>${userText(event.summary ?? '(no title)')}</b>`];
  if (event.start && event.end)
    lines.push(escapeHtml(formatSpan(event.start, event.end, event.allDay, zone)));
  if (event.rrule) lines.push('Repeats');
  if (event.location) lines.push(`📍 ${userText(event.location)}`);
  if (event.description) lines.push('', userText(event.description, 1000));
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
});
