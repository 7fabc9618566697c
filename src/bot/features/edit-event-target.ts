import type { EventPatch, EventView, OccurrenceView } from '../../app/calendar-service.ts';
import type { EditScope } from '../../telegram/callback-data.ts';
import { type BotContext, type EditFlow, listingOptionsOf, type PendingEdit, userIdOf } from '../context.ts';

// Which event (and which occurrence of a repeating one) /edit is changing, what it looks like now,
// and writing a change with the scopes of the REST API (docs/architecture.md#one-transaction-per-change).

const dayMs = 86_400_000;
/** How far ahead [Edit] on a card looks for a series' next occurrence (as /cancel does). */
const lookAheadDays = 731;

/** The event or occurrence as the edit screens show it. */
export interface EditShown {
  title: string | null;
  start: Date;
  end: Date;
  allDay: boolean;
  location: string | null;
  description: string | null;
  reminders: number[];
}

export interface EditTarget {
  event: EventView;
  /** The occurrence's RECURRENCE-ID for a repeating event; null for a single event. */
  recurrenceId: Date | null;
  shown: EditShown;
}

/** The listed occurrence of `eventId` named by its RECURRENCE-ID or, failing that, by its start. */
async function occurrenceAt(
  ctx: BotContext,
  eventId: string,
  instant: Date,
): Promise<OccurrenceView | undefined> {
  const range = { start: new Date(instant.getTime() - dayMs), end: new Date(instant.getTime() + dayMs) };
  const { occurrences } = await ctx.deps.services.calendars.listOccurrences(
    userIdOf(ctx),
    range,
    listingOptionsOf(ctx),
  );
  const own = occurrences.filter((o) => o.eventId === eventId);
  return (
    own.find((o) => o.recurrenceId?.getTime() === instant.getTime()) ??
    own.find((o) => o.start.getTime() === instant.getTime())
  );
}

async function nextOccurrence(ctx: BotContext, eventId: string): Promise<OccurrenceView | undefined> {
  const now = ctx.deps.now();
  const { occurrences } = await ctx.deps.services.calendars.listOccurrences(
    userIdOf(ctx),
    { start: now, end: new Date(now.getTime() + lookAheadDays * dayMs) },
    listingOptionsOf(ctx),
  );
  return occurrences.find((o) => o.eventId === eventId);
}

/**
 * The flow for a picked event. A reminder names its occurrence by the start it fired for (an
 * override may have moved it from its RECURRENCE-ID), a card by none: then the next one is meant.
 * A series with no occurrence left is edited as a whole.
 */
export async function flowFor(
  ctx: BotContext,
  eventId: string,
  occurrenceStart: Date | null,
): Promise<EditFlow> {
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), eventId);
  if (!event.rrule) return { eventId: event.id, occurrence: null };
  const occurrence = occurrenceStart
    ? await occurrenceAt(ctx, event.id, occurrenceStart)
    : await nextOccurrence(ctx, event.id);
  const recurrenceId = occurrence?.recurrenceId ?? occurrenceStart;
  return { eventId: event.id, occurrence: recurrenceId ? recurrenceId.toISOString() : null };
}

export async function loadTarget(ctx: BotContext, flow: EditFlow): Promise<EditTarget> {
  const event = await ctx.deps.services.calendars.getEvent(userIdOf(ctx), flow.eventId);
  const fromEvent = {
    title: event.summary,
    allDay: event.allDay,
    location: event.location,
    description: event.description,
    reminders: event.reminders,
  };
  const start = event.start ?? ctx.deps.now();
  const end = event.end ?? start;
  if (!flow.occurrence) return { event, recurrenceId: null, shown: { ...fromEvent, start, end } };
  const recurrenceId = new Date(flow.occurrence);
  const found = await occurrenceAt(ctx, event.id, recurrenceId);
  const shown: EditShown = found
    ? {
        title: found.summary,
        start: found.start,
        end: found.end,
        allDay: found.allDay,
        location: found.location,
        description: found.description,
        reminders: found.reminders,
      }
    : // Not listed near its RECURRENCE-ID (an override moved far away): the series' own values.
      {
        ...fromEvent,
        start: recurrenceId,
        end: new Date(recurrenceId.getTime() + (end.getTime() - start.getTime())),
      };
  return { event, recurrenceId, shown };
}

function patchOf(pending: PendingEdit): EventPatch {
  const { start, end, ...rest } = pending;
  return {
    ...rest,
    ...(start === undefined ? {} : { start: new Date(start) }),
    ...(end === undefined ? {} : { end: new Date(end) }),
  };
}

/**
 * Writes the pending change: a single event in place, an occurrence with its scope (RECURRENCE-ID
 * override, series split with UNTIL, or the whole series; RFC 5545 §3.8.4.4). Answers the flow for
 * the changed occurrence, so [Change more] goes on with the same one.
 */
export async function applyEdit(
  ctx: BotContext,
  target: EditTarget,
  pending: PendingEdit,
  scope: EditScope | null,
): Promise<EditFlow> {
  const calendars = ctx.deps.services.calendars;
  const patch = patchOf(pending);
  if (!target.recurrenceId || !scope) {
    const changed = await calendars.updateEvent(userIdOf(ctx), target.event.id, patch, {
      ifMatch: target.event.etag,
    });
    // A single event that now repeats is edited on at its first occurrence.
    const first = changed.rrule && changed.start ? changed.start.toISOString() : null;
    return { eventId: changed.id, occurrence: first };
  }
  const changed = await calendars.changeOccurrence(
    userIdOf(ctx),
    target.event.id,
    { recurrenceId: target.recurrenceId, scope },
    patch,
    { ifMatch: target.event.etag },
  );
  if (!changed.rrule) return { eventId: changed.id, occurrence: null };
  // An override keeps its RECURRENCE-ID; a shifted series moves its instances by the same amount.
  const shift = scope === 'this' || !patch.start ? 0 : patch.start.getTime() - target.shown.start.getTime();
  return { eventId: changed.id, occurrence: new Date(target.recurrenceId.getTime() + shift).toISOString() };
}
