import { InlineKeyboard } from 'grammy';
import type { OccurrenceView } from '../../app/calendar-service.ts';
import {
  type EditField,
  type EditScope,
  encodeCallback,
  type RepeatChoice,
} from '../../telegram/callback-data.ts';
import { escapeHtml, truncate, userText } from '../../telegram/html.ts';
import { formatDay, formatMinutes, formatSpan, formatTime } from '../../telegram/when.ts';
import { type BotContext, type PendingEdit, zoneOf } from '../context.ts';
import { storedRepeatText } from '../event-text.ts';
import { pageButtons } from '../page-buttons.ts';
import { reminderChoices } from './create-flow.ts';
import type { EditTarget } from './edit-event-target.ts';

// The messages of /edit: the list to pick from, the event with its fields as buttons, each field's
// question, the this-one/following/all question and the result.

export interface Screen {
  text: string;
  keyboard?: InlineKeyboard;
}

/** Events per page of the /edit list, as in /cancel. */
export const editPageSize = 8;

const fieldData = (field: EditField) => encodeCallback({ kind: 'edit-field', field });
const repeatChoices: readonly RepeatChoice[] = ['none', 'daily', 'weekly', 'monthly', 'yearly'];

/** One button per occurrence: "Mon, 9 Mar 09:00 · Standup 🔁". */
export function pickButtons(
  ctx: BotContext,
  keyboard: InlineKeyboard,
  occurrences: readonly OccurrenceView[],
) {
  const zone = zoneOf(ctx);
  occurrences.forEach((o, index) => {
    if (index > 0) keyboard.row();
    const day = formatDay(o.start, zone, ctx.language);
    const when = o.allDay ? day : `${day} ${formatTime(o.start, zone, ctx.language)}`;
    const repeat = o.isRecurring ? ' 🔁' : '';
    const data = encodeCallback({ kind: 'edit-pick', eventId: o.eventId, occurrenceStart: o.recurrenceId });
    // Button labels are plain text (no parse mode), so they need no escaping.
    keyboard.text(truncate(`${when} · ${o.summary ?? ctx.t('no-title')}${repeat}`, 56), data);
  });
}

/** One page of upcoming events to change, each once at its next occurrence. */
export function listScreen(
  ctx: BotContext,
  events: readonly OccurrenceView[],
  page: number,
  words: string | undefined,
): Screen {
  if (events.length === 0) {
    return { text: words ? ctx.t('edit-none-matching', { words: escapeHtml(words) }) : ctx.t('edit-none') };
  }
  const pages = Math.ceil(events.length / editPageSize);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const keyboard = new InlineKeyboard();
  pickButtons(ctx, keyboard, events.slice(current * editPageSize, (current + 1) * editPageSize));
  if (pages > 1) keyboard.row();
  pageButtons(ctx, keyboard, current, pages, (p) => encodeCallback({ kind: 'edit-page', page: p }));
  const heading = words ? ctx.t('edit-ask-matching', { words: escapeHtml(words) }) : ctx.t('edit-ask');
  const pageNote = pages > 1 ? `\n<i>${ctx.t('page-of', { page: current + 1, pages })}</i>` : '';
  return { text: `${heading}\n${ctx.t('edit-search-hint')}${pageNote}`, keyboard };
}

function occurrenceDay(ctx: BotContext, target: EditTarget): string {
  return escapeHtml(formatDay(target.recurrenceId ?? target.shown.start, zoneOf(ctx), ctx.language));
}

/** The event as it is now (HTML): title, when, repeat, reminders, place, notes. */
export function cardLines(ctx: BotContext, target: EditTarget): string[] {
  const { shown } = target;
  const lines = [
    `<b>${userText(shown.title ?? ctx.t('no-title'))}</b>`,
    `🕒 ${escapeHtml(formatSpan(shown.start, shown.end, shown.allDay, zoneOf(ctx), ctx.language))}`,
  ];
  if (target.event.rrule) {
    // The series' own time of day: a moved occurrence does not move the rule.
    const series = { ...shown, start: target.event.start ?? shown.start, timeZone: target.event.timeZone };
    lines.push(`🔁 ${escapeHtml(storedRepeatText(ctx, target.event.rrule, series))}`);
  }
  if (shown.reminders.length > 0) {
    const leads = shown.reminders.map((m) => formatMinutes(m, ctx.language)).join(', ');
    lines.push(`🔔 ${escapeHtml(ctx.t('reminder-before', { lead: leads }))}`);
  }
  if (shown.location) lines.push(`📍 ${userText(shown.location)}`);
  if (shown.description) lines.push(`📝 ${userText(shown.description, 300)}`);
  if (target.recurrenceId) lines.push(ctx.t('edit-occurrence-note', { day: occurrenceDay(ctx, target) }));
  return lines;
}

function menuKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('edit-button-title'), fieldData('title'))
    .text(ctx.t('edit-button-when'), fieldData('when'))
    .text(ctx.t('edit-button-duration'), fieldData('duration'))
    .row()
    .text(ctx.t('edit-button-location'), fieldData('location'))
    .text(ctx.t('edit-button-description'), fieldData('description'))
    .text(ctx.t('edit-button-reminders'), fieldData('reminders'))
    .row()
    .text(ctx.t('edit-button-repeat'), fieldData('repeat'))
    .text(ctx.t('edit-button-done'), encodeCallback({ kind: 'edit-done' }));
}

export function menuScreen(ctx: BotContext, target: EditTarget): Screen {
  return {
    text: [ctx.t('edit-menu'), '', ...cardLines(ctx, target)].join('\n'),
    keyboard: menuKeyboard(ctx)
      .row()
      .text(ctx.t('edit-button-invite'), encodeCallback({ kind: 'invite-event', eventId: target.event.id })),
  };
}

/** The question for one field, with its buttons and [‹ Back] to the menu. */
export function fieldScreen(ctx: BotContext, field: Exclude<EditField, 'menu'>, target: EditTarget): Screen {
  const { shown } = target;
  const keyboard = new InlineKeyboard();
  const now = (value: string | null) => (value ? `\n${ctx.t('edit-now', { value: userText(value) })}` : '');
  let text: string;
  switch (field) {
    case 'title':
      text = ctx.t('edit-ask-title', { title: userText(shown.title ?? ctx.t('no-title')) });
      break;
    case 'when':
      text = ctx.t('edit-ask-when', {
        when: escapeHtml(formatSpan(shown.start, shown.end, shown.allDay, zoneOf(ctx), ctx.language)),
      });
      break;
    case 'duration':
      text = ctx.t('edit-ask-duration');
      for (const minutes of [30, 60, 120]) {
        keyboard.text(
          formatMinutes(minutes, ctx.language),
          encodeCallback({ kind: 'edit-duration', minutes }),
        );
      }
      keyboard.row();
      break;
    case 'location':
      text = `${ctx.t('edit-ask-location')}${now(shown.location)}`;
      if (shown.location)
        keyboard.text(ctx.t('edit-button-remove-location'), encodeCallback({ kind: 'edit-clear' })).row();
      break;
    case 'description':
      text = `${ctx.t('edit-ask-description')}${now(shown.description && truncate(shown.description, 300))}`;
      if (shown.description) {
        keyboard.text(ctx.t('edit-button-remove-description'), encodeCallback({ kind: 'edit-clear' })).row();
      }
      break;
    case 'reminders':
      text = ctx.t('edit-ask-reminders');
      reminderChoices.forEach((minutes, index) => {
        keyboard.text(
          formatMinutes(minutes, ctx.language),
          encodeCallback({ kind: 'edit-reminder', minutes }),
        );
        if (index % 3 === 2) keyboard.row();
      });
      keyboard
        .text(ctx.t('edit-button-no-reminder'), encodeCallback({ kind: 'edit-reminder', minutes: 0 }))
        .row();
      break;
    case 'repeat':
      text = ctx.t('edit-ask-repeat');
      repeatChoices.forEach((repeat, index) => {
        keyboard.text(ctx.t(`repeat-choice-${repeat}`), encodeCallback({ kind: 'edit-repeat', repeat }));
        if (index === 0) keyboard.row();
      });
      keyboard.row();
      break;
  }
  keyboard.text(ctx.t('button-back'), fieldData('menu'));
  return { text, keyboard };
}

/**
 * This one / this and following / all, for a change to a repeating event. A new repeat rule
 * cannot belong to one occurrence alone (occurrence-editing.ts), so it is not offered then.
 */
export function scopeScreen(ctx: BotContext, target: EditTarget, pending: PendingEdit): Screen {
  const title = `<b>${userText(target.shown.title ?? ctx.t('no-title'))}</b>`;
  const day = occurrenceDay(ctx, target);
  const repeat = pending.rrule !== undefined;
  const scopes: EditScope[] = repeat ? ['following', 'all'] : ['this', 'following', 'all'];
  const keyboard = new InlineKeyboard();
  for (const scope of scopes)
    keyboard.text(ctx.t(`edit-scope-${scope}`), encodeCallback({ kind: 'edit-scope', scope }));
  keyboard.row().text(ctx.t('button-back'), fieldData('menu'));
  return { text: ctx.t(repeat ? 'edit-ask-scope-repeat' : 'edit-ask-scope', { title, day }), keyboard };
}

/** The result, with how far the change reached, and [Change more] [Done]. */
export function savedScreen(
  ctx: BotContext,
  target: EditTarget,
  scope: EditScope | null,
  day: string,
): Screen {
  const lines = [`${ctx.t('edit-saved')}`, '', ...cardLines(ctx, target)];
  if (scope) lines.push('', ctx.t(`edit-saved-${scope}`, { day: escapeHtml(day) }));
  const keyboard = new InlineKeyboard()
    .text(ctx.t('edit-button-more'), fieldData('menu'))
    .text(ctx.t('edit-button-done'), encodeCallback({ kind: 'edit-done' }));
  return { text: lines.join('\n'), keyboard };
}
