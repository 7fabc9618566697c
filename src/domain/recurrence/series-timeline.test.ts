import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandOccurrences } from './expand-occurrences.ts';
import { expansionFromTimeline, seriesTimeline } from './series-timeline.ts';

function calendar(...components: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN'];
  for (const component of components) lines.push(...component);
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

function vevent(...props: string[]): string[] {
  return ['BEGIN:VEVENT', 'UID:series-1', 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT'];
}

const hour = 3_600_000;
const day = 24 * hour;

describe('expansionFromTimeline', () => {
  const weekly = calendar(
    vevent(
      'DTSTART;TZID=Europe/Berlin:20260302T090000',
      'DTEND;TZID=Europe/Berlin:20260302T100000',
      'RRULE:FREQ=WEEKLY',
      'EXDATE;TZID=Europe/Berlin:20260309T090000',
    ),
    vevent(
      'RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000',
      'DTSTART;TZID=Europe/Berlin:20260317T140000',
      'DTEND;TZID=Europe/Berlin:20260317T150000',
      'SUMMARY:moved',
    ),
  );

  it('answers windows up to its horizon and refuses later ones or another floating zone', () => {
    const timeline = seriesTimeline(weekly, new Date('2026-06-01T00:00:00Z'), 'UTC');
    if (!timeline) throw new Error('expected a timeline');
    const window = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };
    expect(expansionFromTimeline(timeline, window)).toEqual(expandOccurrences(weekly, window));
    const late = { start: new Date('2026-05-25T00:00:00Z'), end: new Date('2026-06-02T00:00:00Z') };
    expect(expansionFromTimeline(timeline, late)).toBeNull();
    expect(expansionFromTimeline(timeline, window, { floatingTimeZone: 'Europe/Berlin' })).toBeNull();
  });

  it('gives no timeline when the series has more instances than a timeline holds', () => {
    const hourly = calendar(vevent('DTSTART:20260101T000000Z', 'RRULE:FREQ=HOURLY'));
    expect(seriesTimeline(hourly, new Date('2026-06-01T00:00:00Z'), 'UTC')).toBeNull();
  });

  // The shapes RFC 4791 §9.9 distinguishes, recurrence features and zones, all in one generator.
  const starts = fc.constantFrom(
    'DTSTART;TZID=Europe/Berlin:20260301T093000',
    'DTSTART;TZID=America/New_York:20261025T013000',
    'DTSTART:20260301T093000',
    'DTSTART:20260301T093000Z',
    'DTSTART;VALUE=DATE:20260301',
  );
  const ends = fc.constantFrom('', 'DURATION:PT0S', 'DURATION:PT45M', 'DURATION:P1D', 'DTEND-1H');
  const rules = fc.constantFrom(
    '',
    'RRULE:FREQ=DAILY;COUNT=40',
    'RRULE:FREQ=DAILY;INTERVAL=3',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20261231T235959Z',
    'RRULE:FREQ=MONTHLY;BYMONTHDAY=31',
    'RRULE:FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU',
    'RRULE:FREQ=HOURLY;INTERVAL=7;COUNT=300',
  );
  const extras = fc.subarray(['exdate', 'rdate', 'override-in', 'override-out'] as const);

  function objectText(start: string, end: string, rule: string, extra: readonly string[]): string {
    const isDate = start.includes('VALUE=DATE');
    const local = start.slice(start.lastIndexOf(':') + 1).replace('Z', '');
    const zone = start.includes('TZID=') ? start.slice(start.indexOf(';'), start.indexOf(':')) : '';
    const stamp = (dayOffset: number) => {
      const base = Date.UTC(
        Number(local.slice(0, 4)),
        Number(local.slice(4, 6)) - 1,
        Number(local.slice(6, 8)) + dayOffset,
      );
      const ymd = new Date(base).toISOString().slice(0, 10).replaceAll('-', '');
      return isDate ? ymd : `${ymd}${local.slice(8)}${start.endsWith('Z') ? 'Z' : ''}`;
    };
    const value = (dayOffset: number) =>
      isDate ? `;VALUE=DATE:${stamp(dayOffset)}` : `${zone}:${stamp(dayOffset)}`;
    const endLine =
      end === 'DTEND-1H'
        ? isDate
          ? `DTEND;VALUE=DATE:${stamp(1)}`
          : `DTEND${zone}:${stamp(0).replace(/T(\d\d)/, (_, h) => `T${String(Number(h) + 1).padStart(2, '0')}`)}`
        : end;
    const master = [start, endLine, rule].filter(Boolean);
    if (extra.includes('exdate')) master.push(`EXDATE${value(3)}`);
    if (extra.includes('rdate')) master.push(`RDATE${value(100)}`);
    const components = [vevent(...master)];
    if (extra.includes('override-in'))
      components.push(vevent(`RECURRENCE-ID${value(6)}`, `DTSTART${value(8)}`, 'SUMMARY:moved in'));
    if (extra.includes('override-out'))
      components.push(vevent(`RECURRENCE-ID${value(9)}`, `DTSTART${value(400)}`, 'SUMMARY:moved far'));
    return calendar(...components);
  }

  it('equals a direct expansion for every window inside its horizon, at every cap and zone', () => {
    fc.assert(
      fc.property(
        starts,
        ends,
        rules,
        extras,
        fc.constantFrom('UTC', 'Europe/Berlin', 'Pacific/Auckland'),
        fc.integer({ min: -20, max: 420 }),
        fc.integer({ min: 1, max: 24 * 90 }),
        fc.integer({ min: 0, max: 60 }),
        (start, end, rule, extra, floatingTimeZone, offsetDays, spanHours, cap) => {
          const text = objectText(start, end, rule, extra);
          const windowStart = new Date(Date.UTC(2026, 2, 1) + offsetDays * day);
          const window = { start: windowStart, end: new Date(windowStart.getTime() + spanHours * hour) };
          const timeline = seriesTimeline(text, new Date(window.end.getTime() + 30 * day), floatingTimeZone);
          if (!timeline) throw new Error('expected a timeline');
          const options = { maxInstances: cap, floatingTimeZone };
          expect(expansionFromTimeline(timeline, window, options)).toEqual(
            expandOccurrences(text, window, options),
          );
          // The window's own end is the edge case of the horizon check.
          const edge = seriesTimeline(text, window.end, floatingTimeZone);
          expect(edge && expansionFromTimeline(edge, window, options)).toEqual(
            expandOccurrences(text, window, options),
          );
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});
