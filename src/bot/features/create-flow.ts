import { Composer, InlineKeyboard } from 'grammy';
import { InvalidDateText } from '../../domain/errors.ts';
import type { RepeatFrequency } from '../../domain/recurrence/repeat-phrase.ts';
import { parseRepeatingQuickAdd } from '../../domain/recurrence/repeating-event.ts';
import { parseDuration } from '../../domain/time/duration.ts';
import { parseNaturalDate } from '../../domain/time/natural-date.ts';
import { encodeCallback, type RepeatChoice } from '../../telegram/callback-data.ts';
import { escapeHtml, userText } from '../../telegram/html.ts';
import { formatMinutes, formatSpan } from '../../telegram/when.ts';
import {
  calendarButtonName,
  calendarName,
  type EventCalendarChoice,
  eventCalendarChoice,
  offersChoice,
} from '../calendar-choice.ts';
import { answerExpiredButton, onCallback } from '../callback-route.ts';
import { type BotContext, type CreateStep, type DraftEvent, userIdOf, zoneOf } from '../context.ts';
import { rruleOfDraft, savedText } from '../event-text.ts';

const maxTitle = 200;
const maxDescription = 2000;
const maxLocation = 200;
const defaultMinutes = 60;

const skipData = encodeCallback({ kind: 'create-skip' });
const durationButton = (minutes: number) => encodeCallback({ kind: 'create-duration', minutes });
const repeatChoices: readonly RepeatChoice[] = ['none', 'daily', 'weekly', 'monthly', 'yearly'];
/** The reminder lead times offered as buttons, in minutes (the same as /settings offers). */
export const reminderChoices = [5, 10, 15, 30, 60, 1440] as const;

function prompt(
  ctx: BotContext,
  step: CreateStep,
  draft: DraftEvent,
  choice: EventCalendarChoice | null,
): { text: string; keyboard?: InlineKeyboard } {
  const skipButton = () => new InlineKeyboard().text(ctx.t('button-skip'), skipData);
  switch (step) {
    case 'title':
      return draft.title
        ? { text: ctx.t('create-ask-title-again', { title: userText(draft.title) }), keyboard: skipButton() }
        : { text: ctx.t('create-ask-title') };
    case 'when': {
      const now =
        draft.start && draft.end
          ? ctx.t('create-when-now', {
              when: escapeHtml(
                formatSpan(
                  new Date(draft.start),
                  new Date(draft.end),
                  draft.allDay ?? false,
                  zoneOf(ctx),
                  ctx.language,
                ),
              ),
            })
          : '';
      return {
        text: ctx.t('create-ask-when', { now: now ? ` ${now}` : '' }),
        ...(now ? { keyboard: skipButton() } : {}),
      };
    }
    case 'duration':
      return {
        text: ctx.t('create-ask-duration'),
        keyboard: new InlineKeyboard()
          .text(formatMinutes(30, ctx.language), durationButton(30))
          .text(formatMinutes(60, ctx.language), durationButton(60))
          .text(formatMinutes(120, ctx.language), durationButton(120))
          .row()
          .text(ctx.t('button-skip'), skipData),
      };
    case 'repeat': {
      const keyboard = new InlineKeyboard();
      repeatChoices.forEach((repeat, index) => {
        keyboard.text(ctx.t(`repeat-choice-${repeat}`), encodeCallback({ kind: 'create-repeat', repeat }));
        if (index === 0) keyboard.row();
      });
      return { text: ctx.t('create-ask-repeat'), keyboard };
    }
    case 'reminders': {
      const keyboard = new InlineKeyboard();
      reminderChoices.forEach((minutes, index) => {
        keyboard.text(
          formatMinutes(minutes, ctx.language),
          encodeCallback({ kind: 'create-reminder', minutes }),
        );
        if (index % 3 === 2) keyboard.row();
      });
      keyboard.text(ctx.t('button-default-reminder'), skipData);
      return { text: ctx.t('create-ask-reminders'), keyboard };
    }
    case 'description':
      return { text: ctx.t('create-ask-description'), keyboard: skipButton() };
    case 'location':
      return { text: ctx.t('create-ask-location'), keyboard: skipButton() };
    case 'calendar': {
      // One button per calendar, the default marked; /skip keeps the default.
      const keyboard = new InlineKeyboard();
      for (const [index, calendar] of (choice?.calendars ?? []).entries()) {
        const mark = calendar.id === choice?.defaultId ? ' ✓' : '';
        if (index > 0) keyboard.row();
        keyboard.text(
          `📅 ${calendarButtonName(calendar)}${mark}`,
          encodeCallback({ kind: 'create-calendar', calendarId: calendar.id }),
        );
      }
      const fallback = choice?.calendars.find((c) => c.id === choice.defaultId);
      return {
        text: ctx.t('create-ask-calendar', { calendar: fallback ? calendarName(fallback) : '' }),
        keyboard,
      };
    }
  }
}

async function ask(ctx: BotContext, step: CreateStep, draft: DraftEvent, problem?: string): Promise<void> {
  ctx.session.createFlow = { step, draft };
  const choice = step === 'calendar' ? await eventCalendarChoice(ctx) : null;
  const { text, keyboard } = prompt(ctx, step, draft, choice);
  await ctx.reply(problem ? `${problem}\n\n${text}` : text, {
    parse_mode: 'HTML',
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
}

/** Starts /create, optionally from a quick-add draft the user chose to edit. */
export async function startCreateFlow(ctx: BotContext, draft: DraftEvent = {}): Promise<void> {
  await ask(ctx, 'title', draft);
}

const nextStep: Record<CreateStep, CreateStep | 'save'> = {
  title: 'when',
  when: 'duration',
  duration: 'repeat',
  repeat: 'reminders',
  reminders: 'description',
  description: 'location',
  location: 'calendar',
  calendar: 'save',
};

async function advance(ctx: BotContext, from: CreateStep, draft: DraftEvent): Promise<void> {
  let step = nextStep[from];
  // A date alone or a range ("2pm-4pm") already says how long it is.
  if (step === 'duration' && draft.end && (draft.allDay || from === 'when')) step = nextStep.duration;
  // "every monday at 7am" in the when answer already said how it repeats.
  if (step === 'repeat' && draft.repeat) step = nextStep.repeat;
  // "Which calendar?" only when there is a choice and none was made (quick add's [Edit] keeps its pick).
  if (step === 'calendar' && (draft.calendarId || !offersChoice(await eventCalendarChoice(ctx)))) {
    step = nextStep.calendar;
  }
  if (step === 'save') {
    await save(ctx, draft);
    return;
  }
  await ask(ctx, step, draft);
}

async function save(ctx: BotContext, draft: DraftEvent): Promise<void> {
  if (!draft.title || !draft.start) {
    await ask(ctx, draft.title ? 'when' : 'title', draft, ctx.t('create-missing'));
    return;
  }
  const start = new Date(draft.start);
  const end = draft.end ? new Date(draft.end) : new Date(start.getTime() + defaultMinutes * 60_000);
  const zone = zoneOf(ctx);
  const allDay = draft.allDay ?? false;
  const choice = await eventCalendarChoice(ctx);
  const calendarId = draft.calendarId ?? choice.defaultId ?? undefined;
  const event = await ctx.deps.services.calendars.createEvent(
    userIdOf(ctx),
    {
      summary: draft.title,
      start,
      end,
      allDay,
      timeZone: zone,
      description: draft.description ?? null,
      location: draft.location ?? null,
      rrule: rruleOfDraft(draft.repeat, start, allDay, zone),
      ...(draft.reminders ? { reminders: draft.reminders } : {}),
    },
    calendarId,
  );
  delete ctx.session.createFlow;
  const saved = savedText(ctx, {
    title: event.summary ?? draft.title,
    start,
    end,
    allDay,
    location: draft.location ?? null,
    repeat: draft.repeat,
    reminders: draft.reminders,
  });
  await ctx.reply(`${saved}${calendarNote(ctx, choice, event.calendarId)}`, { parse_mode: 'HTML' });
}

/** "📅 Work" under a saved event, for a user with more than one calendar; else nothing. */
export function calendarNote(ctx: BotContext, choice: EventCalendarChoice, calendarId: string): string {
  const calendar = choice.calendars.find((c) => c.id === calendarId);
  if (!offersChoice(choice) || !calendar) return '';
  return `\n${ctx.t('calendar-line', { calendar: calendarName(calendar) })}`;
}

function readWhen(ctx: BotContext, text: string, draft: DraftEvent): void {
  const context = { timeZone: zoneOf(ctx), now: ctx.deps.now(), language: ctx.language };
  const repeating = parseRepeatingQuickAdd(text, context);
  if (repeating) {
    draft.start = repeating.start.toISOString();
    draft.allDay = repeating.allDay;
    draft.repeat = repeating.rule;
    if (repeating.allDay) draft.end = repeating.end.toISOString();
    else delete draft.end;
    return;
  }
  const when = parseNaturalDate(text, context);
  draft.start = when.start.toISOString();
  draft.allDay = !when.hasTime;
  if (!when.hasTime) draft.end = new Date(when.start.getTime() + 86_400_000).toISOString();
  else if (when.end) draft.end = when.end.toISOString();
  else delete draft.end;
}

async function answer(ctx: BotContext, input: string): Promise<void> {
  const flow = ctx.session.createFlow;
  if (!flow) return;
  const draft = { ...flow.draft };
  const text = input.trim();
  switch (flow.step) {
    case 'title':
      if (text === '' || [...text].length > maxTitle) {
        await ask(ctx, 'title', draft, ctx.t('create-bad-title', { max: String(maxTitle) }));
        return;
      }
      draft.title = text;
      break;
    case 'when':
      try {
        readWhen(ctx, text, draft);
      } catch (error) {
        if (!(error instanceof InvalidDateText)) throw error;
        await ask(ctx, 'when', draft, ctx.t('create-bad-when'));
        return;
      }
      break;
    case 'duration':
      try {
        const minutes = parseDuration(text);
        draft.end = new Date(
          new Date(draft.start ?? ctx.deps.now()).getTime() + minutes * 60_000,
        ).toISOString();
      } catch (error) {
        if (!(error instanceof InvalidDateText)) throw error;
        await ask(ctx, 'duration', draft, ctx.t('create-bad-duration'));
        return;
      }
      break;
    case 'repeat':
    case 'reminders':
    case 'calendar':
      // Answered with the buttons; typed text asks again.
      await ask(ctx, flow.step, draft);
      return;
    case 'description':
      if ([...text].length > maxDescription) {
        await ask(
          ctx,
          'description',
          draft,
          ctx.t('create-bad-description', { max: String(maxDescription) }),
        );
        return;
      }
      draft.description = text;
      break;
    case 'location':
      if ([...text].length > maxLocation) {
        await ask(ctx, 'location', draft, ctx.t('create-bad-location', { max: String(maxLocation) }));
        return;
      }
      draft.location = text;
      break;
  }
  await advance(ctx, flow.step, draft);
}

async function skip(ctx: BotContext): Promise<void> {
  const flow = ctx.session.createFlow;
  if (!flow) return;
  const draft = { ...flow.draft };
  if (flow.step === 'title' && !draft.title) {
    await ask(ctx, 'title', draft, ctx.t('create-title-required'));
    return;
  }
  if (flow.step === 'when' && !draft.start) {
    await ask(ctx, 'when', draft, ctx.t('create-when-required'));
    return;
  }
  if (flow.step === 'duration' && !draft.end && draft.start) {
    draft.end = new Date(new Date(draft.start).getTime() + defaultMinutes * 60_000).toISOString();
  }
  await advance(ctx, flow.step, draft);
}

const frequencyOf: Record<Exclude<RepeatChoice, 'none'>, RepeatFrequency> = {
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  yearly: 'YEARLY',
};

export const createFlowFeature = new Composer<BotContext>();

createFlowFeature.command('create', async (ctx) => {
  await startCreateFlow(ctx);
});

createFlowFeature.command('skip', async (ctx, next) => {
  if (!ctx.session.createFlow) return next();
  await skip(ctx);
});

createFlowFeature.command('cancel', async (ctx, next) => {
  if (!ctx.session.createFlow) return next();
  delete ctx.session.createFlow;
  await ctx.reply(ctx.t('create-cancelled'));
});

// A button under a question the flow has moved past (or left) is an old button.
onCallback(createFlowFeature, 'create-skip', async (ctx) => {
  if (!ctx.session.createFlow) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  await skip(ctx);
});

onCallback(createFlowFeature, 'create-duration', async (ctx, { minutes }) => {
  if (ctx.session.createFlow?.step !== 'duration') return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  await answer(ctx, String(minutes));
});

onCallback(createFlowFeature, 'create-repeat', async (ctx, { repeat }) => {
  const flow = ctx.session.createFlow;
  if (flow?.step !== 'repeat') return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  const draft: DraftEvent = {
    ...flow.draft,
    repeat:
      repeat === 'none'
        ? null
        : { freq: frequencyOf[repeat], interval: 1, byDay: [], byMonthDay: null, byMonth: null, until: null },
  };
  await advance(ctx, 'repeat', draft);
});

onCallback(createFlowFeature, 'create-calendar', async (ctx, { calendarId }) => {
  const flow = ctx.session.createFlow;
  if (flow?.step !== 'calendar') return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  await advance(ctx, 'calendar', { ...flow.draft, calendarId });
});

onCallback(createFlowFeature, 'create-reminder', async (ctx, { minutes }) => {
  const flow = ctx.session.createFlow;
  if (flow?.step !== 'reminders') return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  await advance(ctx, 'reminders', { ...flow.draft, reminders: [minutes] });
});

createFlowFeature.on('message:text', async (ctx, next) => {
  if (!ctx.session.createFlow || ctx.msg.text.startsWith('/')) return next();
  await answer(ctx, ctx.msg.text);
});
