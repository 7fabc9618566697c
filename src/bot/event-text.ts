import type { RepeatRule } from '../domain/recurrence/repeat-phrase.ts';
import { repeatRuleFromRrule } from '../domain/recurrence/repeat-rule-from-rrule.ts';
import { rruleOf } from '../domain/recurrence/repeating-event.ts';
import { utcToZoned } from '../domain/time/time-zone.ts';
import { escapeHtml, userText } from '../telegram/html.ts';
import { describeRepeat } from '../telegram/repeat-text.ts';
import { formatDay, formatMinutes, formatSpan, formatTime } from '../telegram/when.ts';
import type { BotContext, DraftEvent } from './context.ts';

/** What the bot shows of an event before and after saving. */
export interface EventSummary {
  title: string;
  start: Date;
  end: Date;
  allDay: boolean;
  location: string | null;
  repeat?: RepeatRule | null | undefined;
  reminders?: number[] | undefined;
}

/** The RRULE for a draft's repeat in the user's zone (see rruleOf), or null for a one-off. */
export function rruleOfDraft(
  repeat: RepeatRule | null | undefined,
  start: Date,
  allDay: boolean,
  zone: string,
) {
  if (!repeat) return null;
  const local = utcToZoned(start, zone);
  return rruleOf(repeat, { year: local.year, month: local.month, day: local.day }, allDay, zone);
}

/** "every Monday at 07:00 until 31 Mar 2031" in the user's language. */
export function repeatText(ctx: BotContext, event: EventSummary): string | null {
  if (!event.repeat) return null;
  const zone = ctx.user?.timeZone ?? 'UTC';
  const time = event.allDay ? null : formatTime(event.start, zone, ctx.language);
  let until: string | null = null;
  const rule = rruleOfDraft(event.repeat, event.start, event.allDay, zone);
  const match = rule ? /UNTIL=(\d{4})(\d{2})(\d{2})/.exec(rule) : null;
  if (match) {
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
    until = formatDay(day, 'UTC', ctx.language);
  }
  return describeRepeat(event.repeat, { time, until }, ctx.language);
}

/**
 * A stored RRULE spelled out like a new one ("every Monday at 07:00, 4 times"), or "custom rule"
 * when the words cannot say it (repeatRuleFromRrule). UNTIL is read in the event's own zone.
 */
export function storedRepeatText(
  ctx: BotContext,
  rrule: string,
  event: { start: Date; allDay: boolean; timeZone: string | null },
): string {
  const zone = ctx.user?.timeZone ?? 'UTC';
  const stored = repeatRuleFromRrule(rrule, event.timeZone ?? zone, event.start);
  if (!stored) return ctx.t('repeat-custom');
  const time = event.allDay ? null : formatTime(event.start, zone, ctx.language);
  const last = stored.lastDay;
  const until = last
    ? formatDay(new Date(Date.UTC(last.year, last.month - 1, last.day, 12)), 'UTC', ctx.language)
    : null;
  return describeRepeat(stored.rule, { time, until, count: stored.count }, ctx.language);
}

/** The title, then 🕒 when, 🔁 how it repeats, 🔔 reminders and 📍 where (HTML). */
export function eventLines(ctx: BotContext, event: EventSummary): string[] {
  const zone = ctx.user?.timeZone ?? 'UTC';
  const lines = [
    `<b>${userText(event.title)}</b>`,
    `🕒 ${escapeHtml(formatSpan(event.start, event.end, event.allDay, zone, ctx.language))}`,
  ];
  const repeat = repeatText(ctx, event);
  if (repeat) lines.push(`🔁 ${escapeHtml(repeat)}`);
  if (event.reminders && event.reminders.length > 0) {
    const leads = event.reminders.map((m) => formatMinutes(m, ctx.language)).join(', ');
    lines.push(`🔔 ${escapeHtml(ctx.t('reminder-before', { lead: leads }))}`);
  }
  if (event.location) lines.push(`📍 ${userText(event.location)}`);
  return lines;
}

export function savedText(ctx: BotContext, event: EventSummary): string {
  const [heading, ...rest] = eventLines(ctx, event);
  return [ctx.t('saved', { title: heading ?? '' }), ...rest].join('\n');
}

/** A draft with its times read back, for eventLines. */
export function summaryOfDraft(
  draft: DraftEvent & { title: string; start: string; end: string },
): EventSummary {
  return {
    title: draft.title,
    start: new Date(draft.start),
    end: new Date(draft.end),
    allDay: draft.allDay ?? false,
    location: draft.location ?? null,
    repeat: draft.repeat ?? null,
    reminders: draft.reminders,
  };
}
