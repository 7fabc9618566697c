import { Composer, InlineKeyboard } from 'grammy';
import { InvalidDateText } from '../../domain/errors.ts';
import { parseDuration } from '../../domain/time/duration.ts';
import { parseNaturalDate } from '../../domain/time/natural-date.ts';
import { encodeCallback } from '../../telegram/callback-data.ts';
import { escapeHtml, userText } from '../../telegram/html.ts';
import { formatSpan } from '../../telegram/when.ts';
import { answerExpiredButton, onCallback } from '../callback-route.ts';
import { type BotContext, type CreateStep, type DraftEvent, userIdOf, zoneOf } from '../context.ts';

const maxTitle = 200;
const maxDescription = 2000;
const maxLocation = 200;
const defaultMinutes = 60;

const skipData = encodeCallback({ kind: 'create-skip' });
const skipButton = () => new InlineKeyboard().text('Skip', skipData);
const durationButton = (minutes: number) => encodeCallback({ kind: 'create-duration', minutes });

function prompt(
  step: CreateStep,
  draft: DraftEvent,
  zone: string,
): { text: string; keyboard?: InlineKeyboard } {
  switch (step) {
    case 'title':
      return draft.title
        ? {
            text: `What is the event called? (now: <b>${userText(draft.title)}</b> — /skip to keep it)`,
            keyboard: skipButton(),
          }
        : { text: 'What is the event called? (/cancel to stop)' };
    case 'when': {
      const now =
        draft.start && draft.end
          ? ` (now: ${escapeHtml(formatSpan(new Date(draft.start), new Date(draft.end), draft.allDay ?? false, zone))} — /skip to keep it)`
          : '';
      return {
        text: `When is it?${now}\nFor example <i>tomorrow 10am</i>, <i>friday 14:30</i> or <i>2026-12-01 09:00</i>. A date alone makes an all-day event.`,
        ...(now ? { keyboard: skipButton() } : {}),
      };
    }
    case 'duration':
      return {
        text: 'How long is it? For example <i>30m</i>, <i>1h30</i> or <i>2 hours</i>. /skip for 1 hour.',
        keyboard: new InlineKeyboard()
          .text('30 min', durationButton(30))
          .text('1 h', durationButton(60))
          .text('2 h', durationButton(120))
          .row()
          .text('Skip', skipData),
      };
    case 'description':
      return { text: 'Any notes to add? Send them, or /skip.', keyboard: skipButton() };
    case 'location':
      return { text: 'Where is it? Send a place, or /skip.', keyboard: skipButton() };
  }
}

async function ask(ctx: BotContext, step: CreateStep, draft: DraftEvent, problem?: string): Promise<void> {
  ctx.session.createFlow = { step, draft };
  const { text, keyboard } = prompt(step, draft, zoneOf(ctx));
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
  duration: 'description',
  description: 'location',
  location: 'save',
};

async function advance(ctx: BotContext, from: CreateStep, draft: DraftEvent): Promise<void> {
  let step = nextStep[from];
  // A date alone or a range ("2pm-4pm") already says how long it is.
  if (step === 'duration' && draft.end && (draft.allDay || from === 'when')) step = nextStep.duration;
  if (step === 'save') {
    await save(ctx, draft);
    return;
  }
  await ask(ctx, step, draft);
}

async function save(ctx: BotContext, draft: DraftEvent): Promise<void> {
  if (!draft.title || !draft.start) {
    await ask(ctx, draft.title ? 'when' : 'title', draft, 'Something is missing.');
    return;
  }
  const start = new Date(draft.start);
  const end = draft.end ? new Date(draft.end) : new Date(start.getTime() + defaultMinutes * 60_000);
  const zone = zoneOf(ctx);
  const event = await ctx.deps.services.calendars.createEvent(userIdOf(ctx), {
    summary: draft.title,
    start,
    end,
    allDay: draft.allDay ?? false,
    timeZone: zone,
    description: draft.description ?? null,
    location: draft.location ?? null,
  });
  delete ctx.session.createFlow;
  await ctx.reply(
    savedText(event.summary ?? draft.title, start, end, draft.allDay ?? false, draft.location ?? null, zone),
    {
      parse_mode: 'HTML',
    },
  );
}

/** An event as the bot shows it before and after saving: the title, then 🕒 when and 📍 where. */
export function eventLines(
  title: string,
  start: Date,
  end: Date,
  allDay: boolean,
  location: string | null,
  zone: string,
): string[] {
  const lines = [`<b>${userText(title)}</b>`, `🕒 ${escapeHtml(formatSpan(start, end, allDay, zone))}`];
  if (location) lines.push(`📍 ${userText(location)}`);
  return lines;
}

export function savedText(
  title: string,
  start: Date,
  end: Date,
  allDay: boolean,
  location: string | null,
  zone: string,
): string {
  const [heading, ...rest] = eventLines(title, start, end, allDay, location, zone);
  return [`✅ Saved ${heading}`, ...rest].join('\n');
}

async function answer(ctx: BotContext, input: string): Promise<void> {
  const flow = ctx.session.createFlow;
  if (!flow) return;
  const draft = { ...flow.draft };
  const text = input.trim();
  switch (flow.step) {
    case 'title':
      if (text === '' || [...text].length > maxTitle) {
        await ask(
          ctx,
          'title',
          draft,
          `A title has 1 to ${maxTitle} characters. For example <i>Team meeting</i>.`,
        );
        return;
      }
      draft.title = text;
      break;
    case 'when':
      try {
        const when = parseNaturalDate(text, { timeZone: zoneOf(ctx), now: ctx.deps.now() });
        draft.start = when.start.toISOString();
        draft.allDay = !when.hasTime;
        if (!when.hasTime) draft.end = new Date(when.start.getTime() + 86_400_000).toISOString();
        else if (when.end) draft.end = when.end.toISOString();
        else delete draft.end;
      } catch (error) {
        if (!(error instanceof InvalidDateText)) throw error;
        await ask(ctx, 'when', draft, "I couldn't read that as a date or time.");
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
        await ask(ctx, 'duration', draft, 'That is not a length I understand (up to 7 days).');
        return;
      }
      break;
    case 'description':
      if ([...text].length > maxDescription) {
        await ask(ctx, 'description', draft, `Notes can have up to ${maxDescription} characters.`);
        return;
      }
      draft.description = text;
      break;
    case 'location':
      if ([...text].length > maxLocation) {
        await ask(ctx, 'location', draft, `A place can have up to ${maxLocation} characters.`);
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
    await ask(ctx, 'title', draft, 'The title cannot be skipped.');
    return;
  }
  if (flow.step === 'when' && !draft.start) {
    await ask(ctx, 'when', draft, 'The time cannot be skipped.');
    return;
  }
  if (flow.step === 'duration' && !draft.end && draft.start) {
    draft.end = new Date(new Date(draft.start).getTime() + defaultMinutes * 60_000).toISOString();
  }
  await advance(ctx, flow.step, draft);
}

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
  await ctx.reply('Cancelled — nothing was saved.');
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

createFlowFeature.on('message:text', async (ctx, next) => {
  if (!ctx.session.createFlow || ctx.msg.text.startsWith('/')) return next();
  await answer(ctx, ctx.msg.text);
});
