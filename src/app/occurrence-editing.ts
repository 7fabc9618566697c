import type { EventFields } from '../domain/ical/build-event.ts';
import { overrideInstance } from '../domain/ical/override-instance.ts';
import { removeInstance } from '../domain/ical/remove-instance.ts';
import { instanceTiming } from '../domain/ical/series-instance.ts';
import { shiftSeries } from '../domain/ical/shift-series.ts';
import { splitSeries } from '../domain/ical/split-series.ts';
import { withDomainErrors } from './calendar-data-error.ts';
import { AppError } from './errors.ts';

// Editing one occurrence of a recurring event, the way calendar apps offer it (RFC 5545 §3.8.4.4,
// §3.8.5): "this" touches the one instance, "following" splits the series at it, "all" changes the
// series. Pure planning: CalendarService writes the plan in one transaction.

export const occurrenceScopes = ['this', 'following', 'all'] as const;
export type OccurrenceScope = (typeof occurrenceScopes)[number];

/** Which occurrence (its RECURRENCE-ID as an instant) and how far an edit reaches. */
export interface OccurrenceSelector {
  recurrenceId: Date;
  scope: OccurrenceScope;
}

/** What an occurrence edit stores: the object's new text (null deletes it), and perhaps a new series. */
export interface OccurrenceEditPlan {
  text: string | null;
  newSeries?: { uid: string; text: string };
}

interface PlanContext {
  /** The zone floating times and all-day dates are read in: the user's, as in listings. */
  floatingTimeZone: string;
  now: Date;
  /** The UID a split-off series gets. */
  newUid: string;
}

interface StoredObject {
  ical: string;
  component_type: string;
}

function fieldError(field: string, message: string): AppError {
  return new AppError('invalid-field', message, { details: { field } });
}

/** The occurrence's times; a RECURRENCE-ID the object has no occurrence at is the client's error. */
function occurrenceOf(stored: StoredObject, selector: OccurrenceSelector, context: PlanContext) {
  const timing = withDomainErrors(() =>
    instanceTiming(stored.ical, selector.recurrenceId, context.floatingTimeZone),
  );
  if (!timing) {
    throw fieldError('recurrenceId', 'recurrenceId is not an occurrence of this event.');
  }
  return timing;
}

function seriesSplit(stored: StoredObject, selector: OccurrenceSelector, context: PlanContext) {
  return withDomainErrors(() =>
    splitSeries(stored.ical, selector.recurrenceId, context.floatingTimeZone, {
      newUid: context.newUid,
      now: context.now,
    }),
  );
}

function requireSeries(selector: OccurrenceSelector, occurrence: { series: boolean }): void {
  // An object of overrides only (RFC 4791 §4.1 allows it) has no series to split or shift.
  if (selector.scope !== 'this' && !occurrence.series) {
    throw fieldError('scope', `scope "${selector.scope}" needs a repeating event; use "this".`);
  }
}

export function planOccurrenceChange(
  stored: StoredObject,
  selector: OccurrenceSelector,
  patch: Partial<EventFields>,
  context: PlanContext,
): OccurrenceEditPlan {
  const occurrence = occurrenceOf(stored, selector, context);
  requireSeries(selector, occurrence);
  if (selector.scope === 'this' && patch.rrule !== undefined) {
    throw fieldError('rrule', 'One occurrence cannot repeat on its own; change "following" or "all".');
  }
  if (patch.end !== undefined && !(patch.end > (patch.start ?? occurrence.start))) {
    throw fieldError('end', 'end must be after start.');
  }
  const { floatingTimeZone, now } = context;
  const { recurrenceId } = selector;
  if (selector.scope === 'this') {
    return {
      text: withDomainErrors(() => overrideInstance(stored.ical, recurrenceId, patch, floatingTimeZone, now)),
    };
  }
  const split = selector.scope === 'following' ? seriesSplit(stored, selector, context) : null;
  if (!split?.head) {
    // "all", or "following" from the first occurrence: the whole series changes.
    return {
      text: withDomainErrors(() => shiftSeries(stored.ical, recurrenceId, patch, floatingTimeZone, now)),
    };
  }
  const tail = withDomainErrors(() => shiftSeries(split.tail, recurrenceId, patch, floatingTimeZone, now));
  return { text: split.head, newSeries: { uid: context.newUid, text: tail } };
}

export function planOccurrenceRemoval(
  stored: StoredObject,
  selector: OccurrenceSelector,
  context: PlanContext,
): OccurrenceEditPlan {
  const occurrence = occurrenceOf(stored, selector, context);
  requireSeries(selector, occurrence);
  if (selector.scope === 'all') return { text: null };
  if (selector.scope === 'following') return { text: seriesSplit(stored, selector, context).head };
  return {
    text: withDomainErrors(() =>
      removeInstance(stored.ical, stored.component_type, selector.recurrenceId, context.floatingTimeZone),
    ),
  };
}
