import { Composer, InlineKeyboard } from 'grammy';
import { InvalidDateText } from '../../domain/errors.ts';
import { parseQuickAdd } from '../../domain/time/natural-date.ts';
import { escapeHtml, userText } from '../../telegram/html.ts';
import { formatSpan } from '../../telegram/when.ts';
import { type BotContext, type DraftEvent, userIdOf, zoneOf } from '../context.ts';
import { savedText, startCreateFlow } from './create-flow.ts';

const confirmKeyboard = new InlineKeyboard()
  .text('Save', 'qa:save')
  .text('Edit', 'qa:edit')
  .text('Cancel', 'qa:cancel');

function preview(
  draft: Required<Pick<DraftEvent, 'title' | 'start' | 'end'>> & DraftEvent,
  zone: string,
): string {
  const lines = [
    `<b>${userText(draft.title)}</b>`,
    `🕒 ${escapeHtml(formatSpan(new Date(draft.start), new Date(draft.end), draft.allDay ?? false, zone))}`,
  ];
  if (draft.location) lines.push(`📍 ${userText(draft.location)}`);
  lines.push('', 'Save this event?');
  return lines.join('\n');
}

export const quickAddFeature = new Composer<BotContext>();

/** Plain text that reads as an event ("Lunch with Anna on Friday at 1pm for 1h at Cafe Central"). */
quickAddFeature.on('message:text', async (ctx, next) => {
  const text = ctx.msg.text.trim();
  if (text.startsWith('/')) return next();
  const zone = zoneOf(ctx);
  let parsed: ReturnType<typeof parseQuickAdd>;
  try {
    parsed = parseQuickAdd(text, { timeZone: zone, now: ctx.deps.now() });
  } catch (error) {
    if (!(error instanceof InvalidDateText)) throw error;
    return next();
  }
  if (parsed.title === '') {
    await ctx.reply('That has a time but no title. Try e.g. <i>Dentist tomorrow at 9am</i>.', {
      parse_mode: 'HTML',
    });
    return;
  }
  const draft = {
    title: parsed.title,
    start: parsed.start.toISOString(),
    end: parsed.end.toISOString(),
    allDay: parsed.allDay,
    location: parsed.location,
  };
  ctx.session.quickAdd = draft;
  await ctx.reply(preview(draft, zone), { parse_mode: 'HTML', reply_markup: confirmKeyboard });
});

quickAddFeature.callbackQuery(/^qa:(save|edit|cancel)$/, async (ctx) => {
  const draft = ctx.session.quickAdd;
  await ctx.answerCallbackQuery();
  if (!draft?.title || !draft.start || !draft.end) {
    await ctx.editMessageText('This suggestion has expired. Type the event again.');
    return;
  }
  delete ctx.session.quickAdd;
  const zone = zoneOf(ctx);
  if (ctx.match[1] === 'cancel') {
    await ctx.editMessageText('Discarded — nothing was saved.');
    return;
  }
  if (ctx.match[1] === 'edit') {
    await ctx.editMessageText(`Editing <b>${userText(draft.title)}</b>…`, { parse_mode: 'HTML' });
    await startCreateFlow(ctx, draft);
    return;
  }
  const start = new Date(draft.start);
  const end = new Date(draft.end);
  await ctx.deps.services.calendars.createEvent(userIdOf(ctx), {
    summary: draft.title,
    start,
    end,
    allDay: draft.allDay ?? false,
    timeZone: zone,
    location: draft.location ?? null,
  });
  await ctx.editMessageText(
    savedText(draft.title, start, end, draft.allDay ?? false, draft.location ?? null, zone),
    {
      parse_mode: 'HTML',
    },
  );
});
