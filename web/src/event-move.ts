import type { EventInput } from './api.ts';
import { addDays, addMinutesLocal, instantOf } from './zoned-time.ts';

// Where a dragged or resized event landed, as PATCH fields. The calendar runs in the user's zone,
// so its strings hold that zone's wall clock; sending instants keeps an event written in another
// zone in its own zone.

/** What FullCalendar's EventApi says after a drop or resize. */
export interface DroppedEvent {
  startStr: string;
  endStr: string;
  allDay: boolean;
}

export function movedTimes(event: DroppedEvent, userTimeZone: string): Partial<EventInput> {
  if (event.allDay) {
    const start = event.startStr.slice(0, 10);
    // A timed event dropped on the all-day row has no end yet: one day, as calendar apps do.
    const end = event.endStr ? event.endStr.slice(0, 10) : addDays(start, 1);
    return { allDay: true, start, end };
  }
  const startLocal = event.startStr.slice(0, 16);
  const endLocal = event.endStr ? event.endStr.slice(0, 16) : addMinutesLocal(startLocal, 60, userTimeZone);
  return {
    allDay: false,
    start: instantOf(startLocal, userTimeZone).toISOString(),
    end: instantOf(endLocal, userTimeZone).toISOString(),
  };
}
