import { Composer, InlineKeyboard } from 'grammy';
import { InvalidDateText } from '../../domain/errors.ts';
import { parseQuickAdd } from '../../domain/time/natural-date.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { userText } from '../../telegram/html.ts';
import { onCallback } from '../callback-route.ts';
import { type BotContext, type DraftEvent, userIdOf, zoneOf } from '../context.ts';
import { eventLines, savedText, startCreateFlow } from './create-flow.ts';

const confirmKeyboard = new InlineKeyboard()
  .text('Save', encodeCallback({ kind: 'quick-add', choice: 'save' }))
  .text('Edit', encodeCallback({ kind: 'quick-add', choice: 'edit' }))
  .text('Cancel', encodeCallback({ kind: 'quick-add', choice: 'cancel' }));

function preview(
  draft: Required<Pick<DraftEvent, 'title' | 'start' | 'end'>> & DraftEvent,
  zone: string,
): string {
  const { title, start, end, allDay, location } = draft;
  const event = eventLines(title, new Date(start), new Date(end), allDay ?? false, location ?? null, zone);
  return [...event, '', 'Save this event?'].join('\n');
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

onCallback(quickAddFeature, 'quick-add', async (ctx, { choice }) => {
  const draft = ctx.session.quickAdd;
  await ctx.answerCallbackQuery();
  if (!draft?.title || !draft.start || !draft.end) {
    await ctx.editMessageText('This suggestion has expired. Type the event again.');
    return;
  }
  delete ctx.session.quickAdd;
  const zone = zoneOf(ctx);
  if (choice === 'cancel') {
    await ctx.editMessageText('Discarded — nothing was saved.');
    return;
  }
  if (choice === 'edit') {
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
