import { Composer, InlineKeyboard } from 'grammy';
import { agendaPageSize } from '../../telegram/agenda.ts';
import type { EditScope } from '../../telegram/callback-data.ts';
import { userText } from '../../telegram/html.ts';
import { formatDay } from '../../telegram/when.ts';
import { answerExpiredButton, type CallbackContext, onCallback } from '../callback-route.ts';
import { type BotContext, type EditFlow, type PendingEdit, zoneOf } from '../context.ts';
import { agendaOccurrences } from './agenda.ts';
import { upcomingEvents } from './cancel-event.ts';
import { lengthAnswer, repeatAnswer, repeatOfChoice, typedAnswer } from './edit-event-answers.ts';
import {
  fieldScreen,
  listScreen,
  menuScreen,
  pickButtons,
  type Screen,
  savedScreen,
  scopeScreen,
} from './edit-event-screens.ts';
import { applyEdit, type EditTarget, flowFor, loadTarget } from './edit-event-target.ts';

/**
 * `/edit` (and [Edit] under agenda pages, reminders and event cards): pick an event, pick what to
 * change, answer, and for a repeating event say which dates: this one, this and following, or all
 * (the REST scopes). Button presses edit the message in place; the flow waits in the session.
 */
export const editEventFeature = new Composer<BotContext>();

type Show = 'edit' | 'reply';

async function show(ctx: BotContext, screen: Screen, how: Show): Promise<void> {
  const options = {
    parse_mode: 'HTML' as const,
    ...(screen.keyboard ? { reply_markup: screen.keyboard } : {}),
  };
  if (how === 'edit') await ctx.editMessageText(screen.text, options);
  else await ctx.reply(screen.text, options);
}

async function startEditing(ctx: BotContext, eventId: string, occurrenceStart: Date | null, how: Show) {
  const flow = await flowFor(ctx, eventId, occurrenceStart);
  ctx.session.editFlow = flow;
  await show(ctx, menuScreen(ctx, await loadTarget(ctx, flow)), how);
}

/** A repeating event asks how far the change reaches; a single event changes right away. */
async function proceed(ctx: BotContext, flow: EditFlow, target: EditTarget, pending: PendingEdit, how: Show) {
  if (target.recurrenceId) {
    ctx.session.editFlow = { eventId: flow.eventId, occurrence: flow.occurrence, pending };
    await show(ctx, scopeScreen(ctx, target, pending), how);
    return;
  }
  await save(ctx, target, pending, null, how);
}

async function save(
  ctx: BotContext,
  target: EditTarget,
  pending: PendingEdit,
  scope: EditScope | null,
  how: Show,
) {
  const day = formatDay(target.recurrenceId ?? target.shown.start, zoneOf(ctx), ctx.language);
  const next = await applyEdit(ctx, target, pending, scope);
  ctx.session.editFlow = next;
  await show(ctx, savedScreen(ctx, await loadTarget(ctx, next), scope, day), how);
}

/** The flow a value button belongs to, or null when the button is older than the question. */
function flowAsking(ctx: BotContext, ...fields: EditFlow['field'][]): EditFlow | null {
  const flow = ctx.session.editFlow;
  return flow?.field && fields.includes(flow.field) ? flow : null;
}

async function answerButton(
  ctx: CallbackContext,
  flow: EditFlow | null,
  pendingOf: (target: EditTarget, flow: EditFlow) => PendingEdit,
): Promise<void> {
  if (!flow) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  const target = await loadTarget(ctx, flow);
  await proceed(ctx, flow, target, pendingOf(target, flow), 'edit');
}

editEventFeature.command('edit', async (ctx) => {
  const words = ctx.match.trim().slice(0, 100);
  if (words) ctx.session.editSearch = words;
  else delete ctx.session.editSearch;
  // Typed answers now belong to /edit, not to a /create left half-way.
  delete ctx.session.createFlow;
  delete ctx.session.editFlow;
  await show(
    ctx,
    listScreen(ctx, await upcomingEvents(ctx, words || undefined), 0, words || undefined),
    'reply',
  );
});

editEventFeature.command('cancel', async (ctx, next) => {
  const flow = ctx.session.editFlow;
  if (!flow?.field && !flow?.pending) return next();
  delete ctx.session.editFlow;
  await ctx.reply(ctx.t('edit-stopped'));
});

onCallback(editEventFeature, 'edit-page', async (ctx, { page }) => {
  await ctx.answerCallbackQuery();
  const words = ctx.session.editSearch;
  await show(ctx, listScreen(ctx, await upcomingEvents(ctx, words), page, words), 'edit');
});

onCallback(editEventFeature, 'edit-agenda', async (ctx, { view, page }) => {
  await ctx.answerCallbackQuery();
  const occurrences = await agendaOccurrences(ctx, view);
  const pages = Math.max(1, Math.ceil(occurrences.length / agendaPageSize));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const slice = occurrences.slice(current * agendaPageSize, (current + 1) * agendaPageSize);
  if (slice.length === 0) {
    await ctx.reply(ctx.t('edit-none'));
    return;
  }
  const keyboard = new InlineKeyboard();
  pickButtons(ctx, keyboard, slice);
  await show(ctx, { text: ctx.t('edit-ask-agenda'), keyboard }, 'reply');
});

onCallback(editEventFeature, 'edit-pick', async (ctx, { eventId, occurrenceStart }) => {
  await ctx.answerCallbackQuery();
  await startEditing(ctx, eventId, occurrenceStart, 'edit');
});

// Under a reminder or a card the message stays as it is; the menu comes as a new message.
onCallback(editEventFeature, 'edit-open', async (ctx, { eventId, occurrenceStart }) => {
  await ctx.answerCallbackQuery();
  await startEditing(ctx, eventId, occurrenceStart, 'reply');
});

onCallback(editEventFeature, 'edit-field', async (ctx, { field }) => {
  const flow = ctx.session.editFlow;
  if (!flow) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  const target = await loadTarget(ctx, flow);
  const { eventId, occurrence } = flow;
  if (field === 'menu') {
    ctx.session.editFlow = { eventId, occurrence };
    await show(ctx, menuScreen(ctx, target), 'edit');
    return;
  }
  ctx.session.editFlow = { eventId, occurrence, field };
  await show(ctx, fieldScreen(ctx, field, target), 'edit');
});

onCallback(editEventFeature, 'edit-duration', (ctx, { minutes }) =>
  answerButton(ctx, flowAsking(ctx, 'duration'), (target) => lengthAnswer(ctx, minutes, target.shown)),
);

onCallback(editEventFeature, 'edit-reminder', (ctx, { minutes }) =>
  answerButton(ctx, flowAsking(ctx, 'reminders'), () => ({ reminders: minutes > 0 ? [minutes] : [] })),
);

onCallback(editEventFeature, 'edit-repeat', (ctx, { repeat }) =>
  answerButton(ctx, flowAsking(ctx, 'repeat'), (target) =>
    repeatAnswer(ctx, repeatOfChoice(repeat), target.shown),
  ),
);

onCallback(editEventFeature, 'edit-clear', (ctx) =>
  answerButton(ctx, flowAsking(ctx, 'location', 'description'), (_, flow) =>
    flow.field === 'location' ? { location: null } : { description: null },
  ),
);

onCallback(editEventFeature, 'edit-scope', async (ctx, { scope }) => {
  const flow = ctx.session.editFlow;
  const pending = flow?.pending;
  if (!flow || !pending || (scope === 'this' && pending.rrule !== undefined)) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  const target = await loadTarget(ctx, flow);
  await save(ctx, target, pending, scope, 'edit');
});

onCallback(editEventFeature, 'edit-done', async (ctx) => {
  const flow = ctx.session.editFlow;
  if (!flow) return answerExpiredButton(ctx);
  await ctx.answerCallbackQuery();
  delete ctx.session.editFlow;
  const target = await loadTarget(ctx, flow);
  const title = `<b>${userText(target.shown.title ?? ctx.t('no-title'))}</b>`;
  await show(ctx, { text: ctx.t('edit-finished', { title }) }, 'edit');
});

editEventFeature.on('message:text', async (ctx, next) => {
  const flow = ctx.session.editFlow;
  if (!flow?.field || ctx.msg.text.startsWith('/')) return next();
  const target = await loadTarget(ctx, flow);
  const answer = typedAnswer(ctx, flow.field, ctx.msg.text, target.shown);
  if ('problem' in answer) {
    const question = fieldScreen(ctx, flow.field, target);
    await show(ctx, { ...question, text: `${answer.problem}\n\n${question.text}` }, 'reply');
    return;
  }
  await proceed(ctx, flow, target, answer.pending, 'reply');
});
