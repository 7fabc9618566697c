import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { type EventFields, serializeCalendar } from './build-event.ts';
import { readTiming } from './component-timing.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { icalTimeToDate } from './ical-time.ts';
import { applyEventPatch } from './patch-event.ts';
import { readVCalendar } from './read-vcalendar.ts';
import {
  instanceTimingIn,
  itemsOf,
  masterOf,
  recurrenceIdOf,
  seriesInstanceAt,
  timeLike,
} from './series-instance.ts';

/**
 * Changes a whole series from one of its occurrences (scope "all"). Text, rule and reminder fields
 * go to the master as they are. Times are the occurrence's new times: the series' DTSTART moves by as
 * much as the occurrence moved, on the wall clock (so a 09:00 series moved to 10:00 stays at 10:00
 * across a DST change), and its length becomes the occurrence's new length.
 *
 * RFC 5545 §3.8.4.4: a RECURRENCE-ID names an instance of the recurrence set. So when DTSTART moves,
 * the overrides' RECURRENCE-IDs and the EXDATEs move by the same wall-clock step and keep naming the
 * same instances; an override whose instance is then no longer in the set (the rule changed, or the
 * series switched between all-day and timed) is dropped rather than left pointing at nothing.
 */
export function shiftSeries(
  text: string,
  recurrenceId: Date,
  patch: Partial<EventFields>,
  floatingTimeZone: string,
  now: Date,
): string {
  return guardCalendarInput(() => {
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    const master = masterOf(root);
    const timing = master && readTiming(master, floatingTimeZone);
    const occurrence = instanceTimingIn(root, recurrenceId, floatingTimeZone);
    if (!master || !timing || !occurrence) {
      throw new InvalidCalendarData('invalid-value', 'the series has no occurrence at that RECURRENCE-ID');
    }
    const dtstart = timing.dtstart;
    const { start, end, ...rest } = patch;
    const masterPatch: Partial<EventFields> = rest;
    let shiftSeconds = 0;
    const allDay = patch.allDay ?? timing.allDay;
    // An all-day series has no zone of its own; a zone in the patch only says how its dates were read.
    const sameForm =
      (patch.allDay === undefined || patch.allDay === timing.allDay) &&
      (patch.timeZone === undefined || (allDay && timing.allDay));
    if (start !== undefined || end !== undefined) {
      const newStart = start ?? occurrence.start;
      const newEnd =
        end ?? new Date(newStart.getTime() + (occurrence.end.getTime() - occurrence.start.getTime()));
      let masterStart: Date;
      if (sameForm) {
        shiftSeconds =
          wallSeconds(timeLike(dtstart, newStart, floatingTimeZone)) -
          wallSeconds(timeLike(dtstart, occurrence.start, floatingTimeZone));
        const moved = dtstart.clone();
        moved.adjust(0, 0, 0, shiftSeconds);
        masterStart = icalTimeToDate(moved, floatingTimeZone);
      } else {
        masterStart = new Date(timing.start.getTime() + (newStart.getTime() - occurrence.start.getTime()));
      }
      masterPatch.start = masterStart;
      if (allDay) masterPatch.timeZone ??= floatingTimeZone;
      masterPatch.end = new Date(masterStart.getTime() + (newEnd.getTime() - newStart.getTime()));
    }
    applyEventPatch(root, master, masterPatch, now);

    if (shiftSeconds !== 0) shiftInstances(root, master, shiftSeconds);
    const patched = serializeCalendar(root);
    if (shiftSeconds === 0 && sameForm && patch.rrule === undefined) return patched;
    // Read back: a value written above carries its TZID only as a parameter until parsed again.
    const written = readVCalendar(patched, { unknownTimeZones: 'floating' });
    return dropOrphanOverrides(written, floatingTimeZone) ? serializeCalendar(written) : patched;
  });
}

/** Seconds of a wall-clock reading counted as if it were UTC: differences are wall-clock steps. */
function wallSeconds(time: ICAL.Time): number {
  return (
    Date.UTC(
      time.year,
      time.month - 1,
      time.day,
      time.isDate ? 0 : time.hour,
      time.isDate ? 0 : time.minute,
      time.isDate ? 0 : time.second,
    ) / 1000
  );
}

function shifted(time: ICAL.Time, seconds: number): ICAL.Time {
  const moved = time.clone();
  if (moved.isDate) moved.adjust(Math.round(seconds / 86_400), 0, 0, 0);
  else moved.adjust(0, 0, 0, seconds);
  return moved;
}

function shiftInstances(root: ICAL.Component, master: ICAL.Component, seconds: number): void {
  for (const property of master.getAllProperties('exdate')) {
    property.setValues(
      property.getValues().map((value) => (value instanceof ICAL.Time ? shifted(value, seconds) : value)),
    );
  }
  for (const item of itemsOf(root)) {
    const property = item.getFirstProperty('recurrence-id');
    const value = property?.getFirstValue();
    if (property && value instanceof ICAL.Time) property.setValue(shifted(value, seconds));
  }
}

/** Removes the overrides of instances the series no longer has; true when one was removed. */
function dropOrphanOverrides(root: ICAL.Component, floatingTimeZone: string): boolean {
  const master = masterOf(root);
  const dtstart = master?.getFirstPropertyValue('dtstart');
  let dropped = false;
  for (const item of itemsOf(root)) {
    const id = item.getFirstPropertyValue('recurrence-id');
    const instant = recurrenceIdOf(item, floatingTimeZone);
    if (!(id instanceof ICAL.Time) || !instant || !(dtstart instanceof ICAL.Time)) continue;
    const sameType = id.isDate === dtstart.isDate;
    if (master && (!sameType || !seriesInstanceAt(master, instant, floatingTimeZone))) {
      root.removeSubcomponent(item);
      dropped = true;
    }
  }
  return dropped;
}
