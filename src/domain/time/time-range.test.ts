import { describe, expect, it } from 'vitest';
import { type EventTiming, overlapsTimeRange, type TimeRange, todoOverlapsTimeRange } from './time-range.ts';

const at = (hhmm: string) => new Date(`2026-01-10T${hhmm}:00Z`);
const range = (start?: string, end?: string): TimeRange => ({
  ...(start ? { start: at(start) } : {}),
  ...(end ? { end: at(end) } : {}),
});

// RFC 4791 §9.9, VEVENT table: one row per case, edges included.
const eventCases: Array<[string, EventTiming, TimeRange, boolean]> = [
  [
    'DTEND: event inside the range',
    { start: at('10:00'), end: at('11:00'), allDay: false },
    range('09:00', '12:00'),
    true,
  ],
  [
    'DTEND: event ends exactly at range start',
    { start: at('10:00'), end: at('11:00'), allDay: false },
    range('11:00', '12:00'),
    false,
  ],
  [
    'DTEND: event starts exactly at range end',
    { start: at('10:00'), end: at('11:00'), allDay: false },
    range('09:00', '10:00'),
    false,
  ],
  [
    'DTEND: event spans the whole range',
    { start: at('08:00'), end: at('13:00'), allDay: false },
    range('09:00', '10:00'),
    true,
  ],
  [
    'DURATION > 0: overlaps the range start',
    { start: at('08:30'), durationMs: 3_600_000, allDay: false },
    range('09:00', '10:00'),
    true,
  ],
  [
    'DURATION > 0: ends at range start',
    { start: at('08:00'), durationMs: 3_600_000, allDay: false },
    range('09:00', '10:00'),
    false,
  ],
  [
    'DURATION = 0: at range start is inside',
    { start: at('09:00'), durationMs: 0, allDay: false },
    range('09:00', '10:00'),
    true,
  ],
  [
    'DURATION = 0: at range end is outside',
    { start: at('10:00'), durationMs: 0, allDay: false },
    range('09:00', '10:00'),
    false,
  ],
  [
    'no DTEND, DATE-TIME: at range start is inside',
    { start: at('09:00'), allDay: false },
    range('09:00', '10:00'),
    true,
  ],
  [
    'no DTEND, DATE-TIME: just before range start is outside',
    { start: at('08:59'), allDay: false },
    range('09:00', '10:00'),
    false,
  ],
  ['no DTEND, DATE: lasts one day', { start: at('00:00'), allDay: true }, range('23:00', '23:30'), true],
  [
    'no DTEND, DATE: the next day is outside',
    { start: new Date('2026-01-09T00:00:00Z'), allDay: true },
    range('00:00', '01:00'),
    false,
  ],
  [
    'open range start',
    { start: at('10:00'), end: at('11:00'), allDay: false },
    range(undefined, '10:30'),
    true,
  ],
  ['open range end', { start: at('10:00'), end: at('11:00'), allDay: false }, range('10:59'), true],
  [
    'open range end, event already over',
    { start: at('10:00'), end: at('11:00'), allDay: false },
    range('11:00'),
    false,
  ],
  ['both ends open', { start: at('10:00'), allDay: false }, {}, true],
];

describe('overlapsTimeRange (RFC 4791 §9.9 VEVENT table)', () => {
  it.each(eventCases)('%s', (_name, event, r, expected) => {
    expect(overlapsTimeRange(event, r)).toBe(expected);
  });
});

describe('todoOverlapsTimeRange (RFC 4791 §9.9 VTODO table)', () => {
  it('uses DTSTART+DURATION when both are present', () => {
    expect(
      todoOverlapsTimeRange({ start: at('08:00'), durationMs: 3_600_000 }, range('09:00', '10:00')),
    ).toBe(true);
    expect(
      todoOverlapsTimeRange({ start: at('07:00'), durationMs: 3_600_000 }, range('09:00', '10:00')),
    ).toBe(false);
  });

  it('uses DTSTART and DUE when both are present', () => {
    expect(todoOverlapsTimeRange({ start: at('08:00'), due: at('09:30') }, range('09:00', '10:00'))).toBe(
      true,
    );
    expect(todoOverlapsTimeRange({ start: at('10:00'), due: at('11:00') }, range('09:00', '10:00'))).toBe(
      false,
    );
  });

  it('matches a DUE-only task when the range contains the due time', () => {
    expect(todoOverlapsTimeRange({ due: at('10:00') }, range('09:00', '10:00'))).toBe(true);
    expect(todoOverlapsTimeRange({ due: at('09:00') }, range('09:00', '10:00'))).toBe(false);
  });

  it('falls back to COMPLETED and CREATED, and to always matching', () => {
    expect(todoOverlapsTimeRange({ completed: at('09:30') }, range('09:00', '10:00'))).toBe(true);
    expect(todoOverlapsTimeRange({ created: at('11:00') }, range('09:00', '10:00'))).toBe(false);
    expect(
      todoOverlapsTimeRange({ created: at('09:00'), completed: at('12:00') }, range('09:00', '10:00')),
    ).toBe(true);
    expect(todoOverlapsTimeRange({}, range('09:00', '10:00'))).toBe(true);
  });
});
