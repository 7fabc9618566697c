/** A CALDAV:time-range; a missing bound is open (RFC 4791 §9.9: -infinity / +infinity). */
export type TimeRange = { start?: Date; end?: Date };

/**
 * The timing of one VEVENT instance as the §9.9 table needs it. Give `end` when the event has DTEND;
 * `durationMs` when it has DURATION instead; neither when it has both missing. A DATE event without DTEND
 * may also pass `end` = start of the next local day, which is the table's DTSTART+P1D.
 */
export type EventTiming = {
  start: Date;
  end?: Date | null;
  durationMs?: number | null;
  allDay: boolean;
};

const day = 86_400_000;

/** RFC 4791 §9.9: does a VEVENT instance overlap the time range? Implements the VEVENT table row by row. */
export function overlapsTimeRange(component: EventTiming, range: TimeRange): boolean {
  const dtstart = component.start.getTime();
  const rangeStart = range.start?.getTime() ?? Number.NEGATIVE_INFINITY;
  const rangeEnd = range.end?.getTime() ?? Number.POSITIVE_INFINITY;

  if (component.end) {
    // DTEND present: (start < DTEND AND end > DTSTART)
    return rangeStart < component.end.getTime() && rangeEnd > dtstart;
  }
  if (component.durationMs !== undefined && component.durationMs !== null) {
    if (component.durationMs > 0) {
      // DURATION > 0: (start < DTSTART+DURATION AND end > DTSTART)
      return rangeStart < dtstart + component.durationMs && rangeEnd > dtstart;
    }
    // DURATION = 0: (start <= DTSTART AND end > DTSTART)
    return rangeStart <= dtstart && rangeEnd > dtstart;
  }
  if (component.allDay) {
    // Neither, DTSTART is a DATE: (start < DTSTART+P1D AND end > DTSTART)
    return rangeStart < dtstart + day && rangeEnd > dtstart;
  }
  // Neither, DTSTART is a DATE-TIME: (start <= DTSTART AND end > DTSTART)
  return rangeStart <= dtstart && rangeEnd > dtstart;
}

/** The properties of a VTODO that RFC 4791 §9.9's VTODO table looks at. */
export type TodoTiming = {
  start?: Date | null;
  durationMs?: number | null;
  due?: Date | null;
  completed?: Date | null;
  created?: Date | null;
};

/** RFC 4791 §9.9: does a VTODO overlap the time range? Implements the VTODO table row by row. */
export function todoOverlapsTimeRange(todo: TodoTiming, range: TimeRange): boolean {
  const s = range.start?.getTime() ?? Number.NEGATIVE_INFINITY;
  const e = range.end?.getTime() ?? Number.POSITIVE_INFINITY;
  const dtstart = todo.start?.getTime();
  const due = todo.due?.getTime();
  const completed = todo.completed?.getTime();
  const created = todo.created?.getTime();

  if (dtstart !== undefined) {
    if (todo.durationMs !== undefined && todo.durationMs !== null) {
      const finish = dtstart + todo.durationMs;
      return s <= finish && (e > dtstart || e >= finish);
    }
    if (due !== undefined) return (s < due || s <= dtstart) && (e > dtstart || e >= due);
    return s <= dtstart && e > dtstart;
  }
  if (due !== undefined) return s < due && e >= due;
  if (completed !== undefined && created !== undefined) {
    return (s <= created || s <= completed) && (e >= created || e >= completed);
  }
  if (completed !== undefined) return s <= completed && e >= completed;
  if (created !== undefined) return e > created;
  return true;
}
