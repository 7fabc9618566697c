import { InvalidDateText } from '../../domain/errors.ts';
import { type RepeatRule, takeRepeatPhrase } from '../../domain/recurrence/repeat-phrase.ts';
import { firstRuleDay, rruleOf } from '../../domain/recurrence/repeating-event.ts';
import { parseDuration } from '../../domain/time/duration.ts';
import { parseNaturalDate } from '../../domain/time/natural-date.ts';
import { type LocalDateTime, utcToZoned, zonedToUtc } from '../../domain/time/time-zone.ts';
import type { EditField, RepeatChoice } from '../../telegram/callback-data.ts';
import { type BotContext, type PendingEdit, zoneOf } from '../context.ts';
import type { EditShown } from './edit-event-target.ts';

// What a typed answer or a button in /edit changes, as a PendingEdit in the user's zone. The limits
// are /create's (create-flow.ts), so an edit accepts what creating accepts.

const maxTitle = 200;
const maxDescription = 2000;
const maxLocation = 200;
const dayMs = 86_400_000;
const defaultMinutes = 60;

export type Answer = { pending: PendingEdit } | { problem: string };

const iso = (date: Date) => date.toISOString();

function localDay(instant: Date, zone: string): LocalDateTime {
  const { year, month, day } = utcToZoned(instant, zone);
  return { year, month, day };
}

function plusDays(day: LocalDateTime, days: number): LocalDateTime {
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** Whole days an all-day event spans (its end is exclusive), at least one. */
function daysOf(shown: EditShown): number {
  return Math.max(1, Math.round((shown.end.getTime() - shown.start.getTime()) / dayMs));
}

/** An all-day event on `first` for `days` days: midnights in the zone, which goes into the patch. */
function allDaySpan(first: LocalDateTime, days: number, zone: string): PendingEdit {
  return {
    start: iso(zonedToUtc(first, zone)),
    end: iso(zonedToUtc(plusDays(first, days), zone)),
    timeZone: zone,
  };
}

/** "11:00", "at 3pm", "15:00-16:30", "в 15:00": a time of day alone, meant on the event's own day. */
const timeOfDayOnly =
  /^(?:at\s+|в\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?(?:\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)?$/i;

/**
 * A new time in plain words. A time moves the event there, keeping its length (an all-day event
 * becomes an hour long); a time alone stays on the event's day; a date alone keeps the time of day,
 * or for an all-day event its days.
 */
function readWhen(ctx: BotContext, text: string, shown: EditShown): PendingEdit {
  const zone = zoneOf(ctx);
  // Read from the start of the event's day, a time alone lands on that day (not the next one to come).
  const now = timeOfDayOnly.test(text) ? zonedToUtc(localDay(shown.start, zone), zone) : ctx.deps.now();
  const when = parseNaturalDate(text, { timeZone: zone, now, language: ctx.language });
  if (when.hasTime) {
    const length = shown.allDay ? defaultMinutes * 60_000 : shown.end.getTime() - shown.start.getTime();
    const end = when.end ?? new Date(when.start.getTime() + length);
    return {
      start: iso(when.start),
      end: iso(end),
      ...(shown.allDay ? { allDay: false, timeZone: zone } : {}),
    };
  }
  const day = localDay(when.start, zone);
  if (shown.allDay) return allDaySpan(day, daysOf(shown), zone);
  const { hour, minute, second } = utcToZoned(shown.start, zone);
  const start = zonedToUtc({ ...day, hour, minute, second }, zone);
  return {
    start: iso(start),
    end: iso(new Date(start.getTime() + shown.end.getTime() - shown.start.getTime())),
  };
}

/** A new length from the start; an all-day event keeps whole days. */
export function lengthAnswer(ctx: BotContext, minutes: number, shown: EditShown): PendingEdit {
  if (shown.allDay) {
    return allDaySpan(localDay(shown.start, zoneOf(ctx)), Math.ceil(minutes / 1440), zoneOf(ctx));
  }
  return { end: iso(new Date(shown.start.getTime() + minutes * 60_000)) };
}

/**
 * A new repeat rule from this occurrence on, in the user's zone (rruleOf). When the rule names
 * other days ("every monday" for a Wednesday event) the start moves to the first day it names, as
 * /create does, so the series never begins with an instance its rule does not have.
 */
export function repeatAnswer(ctx: BotContext, rule: RepeatRule | null, shown: EditShown): PendingEdit {
  if (!rule) return { rrule: null };
  const zone = zoneOf(ctx);
  const from = localDay(shown.start, zone);
  const first = firstRuleDay(rule, from);
  const rrule = rruleOf(rule, first, shown.allDay, zone);
  if (first.year === from.year && first.month === from.month && first.day === from.day) return { rrule };
  if (shown.allDay) return { rrule, ...allDaySpan(first, daysOf(shown), zone) };
  const { hour, minute, second } = utcToZoned(shown.start, zone);
  const start = zonedToUtc({ ...first, hour, minute, second }, zone);
  return {
    rrule,
    start: iso(start),
    end: iso(new Date(start.getTime() + shown.end.getTime() - shown.start.getTime())),
  };
}

const frequencyOf = { daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', yearly: 'YEARLY' } as const;

/** The rule a repeat button names: every day, week, month or year from the event's own date. */
export function repeatOfChoice(choice: RepeatChoice): RepeatRule | null {
  if (choice === 'none') return null;
  return { freq: frequencyOf[choice], interval: 1, byDay: [], byMonthDay: null, byMonth: null, until: null };
}

function withinLength(text: string, max: number): boolean {
  return [...text].length <= max;
}

/** The change a typed answer asks for, or why it cannot be read. */
export function typedAnswer(
  ctx: BotContext,
  field: Exclude<EditField, 'menu'>,
  input: string,
  shown: EditShown,
): Answer {
  const text = input.trim();
  try {
    switch (field) {
      case 'title':
        return text === '' || !withinLength(text, maxTitle)
          ? { problem: ctx.t('create-bad-title', { max: String(maxTitle) }) }
          : { pending: { summary: text } };
      case 'when':
        return { pending: readWhen(ctx, text, shown) };
      case 'duration':
        return { pending: lengthAnswer(ctx, parseDuration(text), shown) };
      case 'location':
        return withinLength(text, maxLocation)
          ? { pending: { location: text } }
          : { problem: ctx.t('create-bad-location', { max: String(maxLocation) }) };
      case 'description':
        return withinLength(text, maxDescription)
          ? { pending: { description: text } }
          : { problem: ctx.t('create-bad-description', { max: String(maxDescription) }) };
      case 'reminders':
        return { pending: { reminders: [parseDuration(text)] } };
      case 'repeat': {
        const phrase = takeRepeatPhrase(text.slice(0, 500), ctx.language);
        return phrase
          ? { pending: repeatAnswer(ctx, phrase.rule, shown) }
          : { problem: ctx.t('edit-bad-repeat') };
      }
    }
  } catch (error) {
    if (!(error instanceof InvalidDateText)) throw error;
    const key =
      field === 'when'
        ? 'create-bad-when'
        : field === 'reminders'
          ? 'edit-bad-reminder'
          : 'create-bad-duration';
    return { problem: ctx.t(key) };
  }
}
