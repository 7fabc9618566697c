import { Composer, InlineKeyboard } from 'grammy';
import { InvalidDateText } from '../../domain/errors.ts';
import { parseRepeatingQuickAdd } from '../../domain/recurrence/repeating-event.ts';
import { parseQuickAdd, type QuickAdd } from '../../domain/time/natural-date.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { userText } from '../../telegram/html.ts';
import {
  calendarButtonName,
  calendarName,
  chosenCalendar,
  type EventCalendarChoice,
  eventCalendarChoice,
  offersChoice,
} from '../calendar-choice.ts';
import { answerExpiredButton, onCallback } from '../callback-route.ts';
import { type BotContext, type DraftEvent, userIdOf, zoneOf } from '../context.ts';
import { eventLines, rruleOfDraft, savedText, summaryOfDraft } from '../event-text.ts';
import { calendarNote, startCreateFlow } from './create-flow.ts';

/**
 * [Save] [Edit] [Cancel]; with more than one calendar also [📅 Work ▾], which moves the event to
 * the next calendar in the list (round and round), so every calendar is one or a few taps away.
 */
function confirmKeyboard(ctx: BotContext, choice: EventCalendarChoice, draft: DraftEvent): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(ctx.t('button-save'), encodeCallback({ kind: 'quick-add', choice: 'save' }))
    .text(ctx.t('button-edit'), encodeCallback({ kind: 'quick-add', choice: 'edit' }))
    .text(ctx.t('button-cancel'), encodeCallback({ kind: 'quick-add', choice: 'cancel' }));
  const current = chosenCalendar(choice, draft.calendarId);
  if (!offersChoice(choice) || !current) return keyboard;
  const index = choice.calendars.indexOf(current);
  const next = choice.calendars[(index + 1) % choice.calendars.length] ?? current;
  return keyboard
    .row()
    .text(
      `📅 ${calendarButtonName(current)} ▾`,
      encodeCallback({ kind: 'quick-add-calendar', calendarId: next.id }),
    );
}

/** The preview of a quick-add draft: the event, its calendar when there is a choice, "Save this event?". */
function preview(
  ctx: BotContext,
  choice: EventCalendarChoice,
  draft: DraftEvent & Required<Pick<DraftEvent, 'title' | 'start' | 'end'>>,
) {
  const lines = eventLines(ctx, summaryOfDraft(draft));
  const calendar = chosenCalendar(choice, draft.calendarId);
  if (offersChoice(choice) && calendar)
    lines.push(ctx.t('calendar-line', { calendar: calendarName(calendar) }));
  const text = [...lines, '', ctx.t('quick-add-confirm')].join('\n');
  return {
    text,
    options: { parse_mode: 'HTML' as const, reply_markup: confirmKeyboard(ctx, choice, draft) },
  };
}

/** The event in a line of text, repeating ("Gym every monday at 7am") or once; throws InvalidDateText. */
function readEvent(ctx: BotContext, text: string): QuickAdd & Pick<DraftEvent, 'repeat'> {
  const context = { timeZone: zoneOf(ctx), now: ctx.deps.now(), language: ctx.language };
  const repeating = parseRepeatingQuickAdd(text, context);
  if (repeating) {
    const { rule, rrule: _rrule, ...event } = repeating;
    return { ...event, repeat: rule };
  }
  try {
    return parseQuickAdd(text, context);
  } catch (error) {
    // A Russian speaker may still type English ("Lunch tomorrow at 1pm").
    if (ctx.language === 'en' || !(error instanceof InvalidDateText)) throw error;
    return parseQuickAdd(text, { ...context, language: 'en' });
  }
}

export const quickAddFeature = new Composer<BotContext>();

/** Plain text that reads as an event ("Lunch with Anna on Friday at 1pm for 1h at Cafe Central"). */
quickAddFeature.on('message:text', async (ctx, next) => {
  const text = ctx.msg.text.trim();
  if (text.startsWith('/')) return next();
  let parsed: ReturnType<typeof readEvent>;
  try {
    parsed = readEvent(ctx, text);
  } catch (error) {
    if (!(error instanceof InvalidDateText)) throw error;
    return next();
  }
  if (parsed.title === '') {
    await ctx.reply(ctx.t('quick-add-no-title'), { parse_mode: 'HTML' });
    return;
  }
  const draft = {
    title: parsed.title,
    start: parsed.start.toISOString(),
    end: parsed.end.toISOString(),
    allDay: parsed.allDay,
    location: parsed.location,
    ...(parsed.repeat ? { repeat: parsed.repeat } : {}),
  };
  ctx.session.quickAdd = draft;
  const { text: shown, options } = preview(ctx, await eventCalendarChoice(ctx), draft);
  await ctx.reply(shown, options);
});

onCallback(quickAddFeature, 'quick-add-calendar', async (ctx, { calendarId }) => {
  const draft = ctx.session.quickAdd;
  if (!draft?.title || !draft.start || !draft.end) return answerExpiredButton(ctx);
  const choice = await eventCalendarChoice(ctx);
  // A calendar deleted (or made read-only) since the preview is not offered any more.
  if (!choice.calendars.some((c) => c.id === calendarId)) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  const moved = { ...draft, title: draft.title, start: draft.start, end: draft.end, calendarId };
  ctx.session.quickAdd = moved;
  const { text, options } = preview(ctx, choice, moved);
  await ctx.editMessageText(text, options);
});

onCallback(quickAddFeature, 'quick-add', async (ctx, { choice }) => {
  const draft = ctx.session.quickAdd;
  await ctx.answerCallbackQuery();
  if (!draft?.title || !draft.start || !draft.end) {
    await ctx.editMessageText(ctx.t('quick-add-expired'));
    return;
  }
  delete ctx.session.quickAdd;
  const zone = zoneOf(ctx);
  if (choice === 'cancel') {
    await ctx.editMessageText(ctx.t('quick-add-discarded'));
    return;
  }
  if (choice === 'edit') {
    await ctx.editMessageText(ctx.t('quick-add-editing', { title: userText(draft.title) }), {
      parse_mode: 'HTML',
    });
    await startCreateFlow(ctx, draft);
    return;
  }
  const event = summaryOfDraft({ ...draft, title: draft.title, start: draft.start, end: draft.end });
  const calendars = await eventCalendarChoice(ctx);
  const saved = await ctx.deps.services.calendars.createEvent(
    userIdOf(ctx),
    {
      summary: event.title,
      start: event.start,
      end: event.end,
      allDay: event.allDay,
      timeZone: zone,
      location: event.location,
      rrule: rruleOfDraft(draft.repeat, event.start, event.allDay, zone),
    },
    draft.calendarId ?? calendars.defaultId ?? undefined,
  );
  await ctx.editMessageText(`${savedText(ctx, event)}${calendarNote(ctx, calendars, saved.calendarId)}`, {
    parse_mode: 'HTML',
  });
});
