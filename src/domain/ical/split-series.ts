import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { serializeCalendar } from './build-event.ts';
import { setUtcStamp } from './date-property.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { icalTimeToDate } from './ical-time.ts';
import { readVCalendar } from './read-vcalendar.ts';
import { itemsOf, masterOf, overrideAt, seriesInstanceAt } from './series-instance.ts';

/** The two halves of a series cut at one occurrence ("this and following"). */
export type SplitSeries = {
  /** The series before the occurrence (RRULE ending with UNTIL); null when nothing comes before it. */
  head: string | null;
  /** A new series under `newUid` that starts at the occurrence and runs as the old one would have. */
  tail: string;
};

// Walking COUNT rules to the cut is bounded like expansion (docs/architecture.md#bounded-reading).
const maxCountSteps = 100_000;

/**
 * Cuts a series at the occurrence `recurrenceId` (RFC 5545 §3.8.5.3, §3.8.4.4). The head keeps the
 * UID: its RRULEs end with UNTIL just before the occurrence (COUNT replaced; UNTIL is a DATE for a
 * DATE series, a floating time for a floating one, else UTC, as §3.3.10 requires), and its RDATEs,
 * EXDATEs and overrides from the occurrence on are dropped. The tail is the same object under a new
 * UID whose DTSTART is the occurrence (DTEND moved along), keeping only what lies from it on, with
 * COUNT reduced by the instances left behind. Both get DTSTAMP and the head's SEQUENCE goes up.
 */
export function splitSeries(
  text: string,
  recurrenceId: Date,
  floatingTimeZone: string,
  options: { newUid: string; now: Date },
): SplitSeries {
  return guardCalendarInput(() => {
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    const master = masterOf(root);
    const dtstart = master?.getFirstPropertyValue('dtstart');
    if (!master || !(dtstart instanceof ICAL.Time)) {
      throw new InvalidCalendarData('no-component', 'there is no series to split');
    }
    const cut =
      seriesInstanceAt(master, recurrenceId, floatingTimeZone) ??
      overrideAt(root, recurrenceId, floatingTimeZone)?.getFirstPropertyValue('recurrence-id');
    if (!(cut instanceof ICAL.Time)) {
      throw new InvalidCalendarData('invalid-value', 'the series has no occurrence at that RECURRENCE-ID');
    }
    const cutMs = recurrenceId.getTime();
    const before = (time: ICAL.Time) => icalTimeToDate(time, floatingTimeZone).getTime() < cutMs;

    const tailRoot = new ICAL.Component(structuredClone(root.toJSON()));
    const tailMaster = masterOf(tailRoot) as ICAL.Component;
    keepInstances(tailRoot, tailMaster, (time) => !before(time));
    for (const property of tailMaster.getAllProperties('rrule')) {
      const rule = property.getFirstValue();
      if (rule instanceof ICAL.Recur && rule.count) {
        rule.count = Math.max(1, rule.count - countBefore(rule, dtstart, cut));
        property.setValue(rule);
      }
    }
    moveStart(tailMaster, dtstart, cut);
    for (const item of itemsOf(tailRoot)) {
      item.updatePropertyWithValue('uid', options.newUid);
      setUtcStamp(item, 'dtstamp', options.now);
    }
    tailMaster.updatePropertyWithValue('sequence', 0);

    const headEmpty = !before(dtstart);
    if (!headEmpty) {
      keepInstances(root, master, before);
      const until = untilBefore(cut, dtstart);
      for (const property of master.getAllProperties('rrule')) {
        const rule = property.getFirstValue();
        if (!(rule instanceof ICAL.Recur)) continue;
        rule.count = null;
        if (!rule.until || rule.until.compare(until) > 0) rule.until = until;
        property.setValue(rule);
      }
      const sequence = Number(master.getFirstPropertyValue('sequence'));
      master.updatePropertyWithValue('sequence', Number.isSafeInteger(sequence) ? sequence + 1 : 1);
      setUtcStamp(master, 'dtstamp', options.now);
      setUtcStamp(master, 'last-modified', options.now);
    }
    return { head: headEmpty ? null : serializeCalendar(root), tail: serializeCalendar(tailRoot) };
  });
}

/** Drops the RDATE and EXDATE values and the overrides whose instant `keep` refuses. */
function keepInstances(
  root: ICAL.Component,
  master: ICAL.Component,
  keep: (time: ICAL.Time) => boolean,
): void {
  for (const name of ['rdate', 'exdate']) {
    for (const property of master.getAllProperties(name)) {
      const values = property.getValues().filter((value) => {
        const time = value instanceof ICAL.Period ? value.start : value;
        return !(time instanceof ICAL.Time) || keep(time);
      });
      if (values.length === 0) master.removeProperty(property);
      else property.setValues(values);
    }
  }
  for (const item of itemsOf(root)) {
    const id = item.getFirstPropertyValue('recurrence-id');
    if (id instanceof ICAL.Time && !keep(id)) root.removeSubcomponent(item);
  }
}

/** DTSTART becomes `start`, DTEND moves by as much (RFC 5545 §3.8.2.2 keeps the length). */
function moveStart(master: ICAL.Component, dtstart: ICAL.Time, start: ICAL.Time): void {
  const dtend = master.getFirstPropertyValue('dtend');
  if (dtend instanceof ICAL.Time) {
    const end = start.clone();
    end.addDuration(dtend.subtractDate(dtstart));
    master.getFirstProperty('dtend')?.setValue(end);
  }
  master.getFirstProperty('dtstart')?.setValue(start.clone());
}

/**
 * RFC 5545 §3.3.10: UNTIL is inclusive and has DTSTART's form, a DATE for a DATE series, a local time
 * for a floating one, otherwise UTC. Just before the cut: the day before, or one second before.
 */
function untilBefore(cut: ICAL.Time, dtstart: ICAL.Time): ICAL.Time {
  if (dtstart.isDate) {
    const day = ICAL.Time.fromData({ year: cut.year, month: cut.month, day: cut.day, isDate: true });
    day.adjust(-1, 0, 0, 0);
    return day;
  }
  if (!cut.zone || cut.zone.tzid === 'floating') {
    const local = cut.clone();
    local.adjust(0, 0, 0, -1);
    return local;
  }
  const utc = cut.convertToZone(ICAL.Timezone.utcTimezone);
  utc.adjust(0, 0, 0, -1);
  return utc;
}

/** Instances `rule` yields from `dtstart` before `cut`; COUNT counts them all, EXDATEs included (§3.8.5.3). */
function countBefore(rule: ICAL.Recur, dtstart: ICAL.Time, cut: ICAL.Time): number {
  const iterator = rule.iterator(dtstart);
  let count = 0;
  for (let steps = 0; steps < maxCountSteps; steps++) {
    const next = iterator.next();
    if (!next || next.compare(cut) >= 0) return count;
    count++;
  }
  throw new InvalidCalendarData('too-many-instances', 'the series is too long to split');
}
