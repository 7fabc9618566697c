import fc from 'fast-check';
import { it } from 'vitest';
import { InvalidCalendarData } from '../errors.ts';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { parseCalendarObject } from './parse-calendar.ts';
import { patchEvent } from './patch-event.ts';

// A valid object touching most value types (custom VTIMEZONE, PERIOD, DATE RDATE, override), then
// mangled line by line the way truncated uploads and hand-edited files are.
const seed = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VTIMEZONE',
  'TZID:Custom',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:a',
  'DTSTART;TZID=Custom:20260101T090000',
  'DTEND;TZID=Europe/Berlin:20260101T100000',
  'DURATION:PT1H',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,TU;COUNT=20',
  'RDATE;VALUE=PERIOD:20260105T100000Z/PT1H',
  'RDATE;VALUE=DATE:20260107',
  'EXDATE:20260106T080000Z',
  'SEQUENCE:x',
  'BEGIN:VALARM',
  'TRIGGER:-PT5M',
  'ACTION:DISPLAY',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:a',
  'RECURRENCE-ID;VALUE=DATE:20260112',
  'DTSTART;VALUE=DATE:20260113',
  'DTEND:20260101T000000Z',
  'STATUS:CANCELLED',
  'END:VEVENT',
  'END:VCALENDAR',
];
const junk = fc.constantFrom(
  '',
  'X',
  ':',
  ';',
  'TZID=',
  'VALUE=DATE',
  'PT',
  '-',
  '99999999T999999',
  'Z',
  'FREQ=',
  'BYDAY=5MO',
  'UNTIL=2026',
  '\\,',
  '"',
);

it('parse, expand and patch reject mangled calendar data only with InvalidCalendarData', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.tuple(fc.constant('drop'), fc.nat(seed.length - 1), junk),
          fc.tuple(fc.constant('dup'), fc.nat(seed.length - 1), junk),
          fc.tuple(fc.constant('cut'), fc.nat(seed.length - 1), junk),
          fc.tuple(fc.constant('insert'), fc.nat(seed.length - 1), junk),
        ),
        { maxLength: 4 },
      ),
      (ops) => {
        const lines = [...seed];
        for (const [op, i, j] of ops) {
          const line = lines[i % lines.length] ?? '';
          if (op === 'drop') lines.splice(i % lines.length, 1);
          if (op === 'dup') lines.splice(i % lines.length, 0, line);
          if (op === 'cut') lines[i % lines.length] = line.slice(0, Math.floor(line.length * 0.7)) + j;
          if (op === 'insert') lines[i % lines.length] = line.replace(/[:;=]/, (m) => m + j);
        }
        const text = lines.join('\r\n');
        for (const run of [
          () => parseCalendarObject(text),
          () => expandOccurrences(text, { start: new Date('2025-01-01'), end: new Date('2027-01-01') }),
          () => patchEvent(text, { summary: 'x', start: new Date('2026-02-01T10:00:00Z') }),
        ]) {
          try {
            run();
          } catch (error) {
            if (!(error instanceof InvalidCalendarData)) {
              throw new Error(`${String(error)}\n${text}`);
            }
          }
        }
      },
    ),
    { numRuns: 400 },
  );
}, 60_000);
