import { describe, expect, it } from 'vitest';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { overrideInstance } from './override-instance.ts';
import { parseCalendarObject } from './parse-calendar.ts';
import { instanceTiming } from './series-instance.ts';
import { shiftSeries } from './shift-series.ts';
import { splitSeries } from './split-series.ts';

const calendar = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const now = new Date('2026-03-01T12:00:00Z');
const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-15T00:00:00Z') };

function shown(text: string, zone = 'Europe/Berlin') {
  return expandOccurrences(text, march, { floatingTimeZone: zone }).occurrences.map((o) => ({
    start: o.start.toISOString(),
    summary: o.summary,
  }));
}

// Every Monday 09:00 Berlin from 2 March 2026, five times, with an alarm and the 16 March instance moved.
const weekly = calendar(
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20260201T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T090000',
  'DTEND;TZID=Europe/Berlin:20260302T100000',
  'RRULE:FREQ=WEEKLY;COUNT=5',
  'SUMMARY:Standup',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'TRIGGER:-PT10M',
  'DESCRIPTION:Standup',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20260201T000000Z',
  'RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000',
  'DTSTART;TZID=Europe/Berlin:20260316T113000',
  'DTEND;TZID=Europe/Berlin:20260316T123000',
  'SUMMARY:Standup (late)',
  'END:VEVENT',
);
const third = new Date('2026-03-16T08:00:00Z');
const fourth = new Date('2026-03-23T08:00:00Z');

describe('instanceTiming', () => {
  it('finds a series instance, an overridden one, and nothing between instances', () => {
    expect(instanceTiming(weekly, new Date('2026-03-09T08:00:00Z'), 'UTC')).toMatchObject({
      end: new Date('2026-03-09T09:00:00Z'),
      overridden: false,
    });
    expect(instanceTiming(weekly, third, 'UTC')).toMatchObject({
      start: new Date('2026-03-16T10:30:00Z'),
      overridden: true,
    });
    expect(instanceTiming(weekly, new Date('2026-03-10T08:00:00Z'), 'UTC')).toBeNull();
    expect(instanceTiming(weekly, new Date('2026-04-06T07:00:00Z'), 'UTC')).toBeNull();
  });
});

describe('overrideInstance', () => {
  it('adds a RECURRENCE-ID override in the series zone that keeps the master alarm, and leaves the rest', () => {
    const text = overrideInstance(
      weekly,
      fourth,
      { summary: 'Standup (remote)', start: new Date('2026-03-23T09:00:00Z') },
      'UTC',
      now,
    );
    expect(text).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260323T090000\r\n');
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260323T100000\r\n');
    expect(text.match(/TRIGGER:-PT10M/g)).toHaveLength(2);
    expect(shown(text)).toEqual([
      { start: '2026-03-02T08:00:00.000Z', summary: 'Standup' },
      { start: '2026-03-09T08:00:00.000Z', summary: 'Standup' },
      { start: '2026-03-16T10:30:00.000Z', summary: 'Standup (late)' },
      { start: '2026-03-23T09:00:00.000Z', summary: 'Standup (remote)' },
      { start: '2026-03-30T07:00:00.000Z', summary: 'Standup' },
    ]);
    expect(() => parseCalendarObject(text)).not.toThrow();
  });

  it('edits an existing override in place rather than adding a second one', () => {
    const text = overrideInstance(weekly, third, { summary: 'Standup (later)' }, 'UTC', now);
    expect(text.match(/RECURRENCE-ID/g)).toHaveLength(1);
    expect(shown(text)[2]).toEqual({ start: '2026-03-16T10:30:00.000Z', summary: 'Standup (later)' });
  });

  it('moves one day of an all-day series by its date in the calendar zone east of UTC', () => {
    const daily = calendar(
      'BEGIN:VEVENT',
      'UID:days@test',
      'DTSTAMP:20260201T000000Z',
      'DTSTART;VALUE=DATE:20260302',
      'DTEND;VALUE=DATE:20260303',
      'RRULE:FREQ=DAILY;COUNT=3',
      'SUMMARY:Trip',
      'END:VEVENT',
    );
    // Midnight in Tokyo is the evening before in UTC.
    const text = overrideInstance(
      daily,
      new Date('2026-03-02T15:00:00Z'),
      { start: new Date('2026-03-05T15:00:00Z'), end: new Date('2026-03-06T15:00:00Z') },
      'Asia/Tokyo',
      now,
    );
    expect(text).toContain('RECURRENCE-ID;VALUE=DATE:20260303\r\n');
    expect(text).toContain('DTSTART;VALUE=DATE:20260306\r\n');
  });
});

describe('splitSeries', () => {
  it('ends the head with UNTIL just before the cut and starts a new UID at it, counting what was left', () => {
    const { head, tail } = splitSeries(weekly, third, 'UTC', { newUid: 'tail@test', now });
    expect(head).toContain('RRULE:FREQ=WEEKLY;UNTIL=20260316T075959Z\r\n');
    expect(head).not.toContain('RECURRENCE-ID');
    expect(tail).toContain('UID:tail@test\r\n');
    expect(tail).toContain('RRULE:FREQ=WEEKLY;COUNT=3\r\n');
    expect(tail).toContain('DTSTART;TZID=Europe/Berlin:20260316T090000\r\n');
    expect(tail).toContain('DTEND;TZID=Europe/Berlin:20260316T100000\r\n');
    expect(tail).not.toContain('weekly@test');
    expect(shown(head ?? '').map((o) => o.start)).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-09T08:00:00.000Z',
    ]);
    // The moved instance goes with the tail under its RECURRENCE-ID.
    expect(shown(tail)).toEqual([
      { start: '2026-03-16T10:30:00.000Z', summary: 'Standup (late)' },
      { start: '2026-03-23T08:00:00.000Z', summary: 'Standup' },
      { start: '2026-03-30T07:00:00.000Z', summary: 'Standup' },
    ]);
  });

  it('leaves no head when cut at the first occurrence, and writes a DATE UNTIL for an all-day series', () => {
    expect(
      splitSeries(weekly, new Date('2026-03-02T08:00:00Z'), 'UTC', { newUid: 'x', now }).head,
    ).toBeNull();
    const days = calendar(
      'BEGIN:VEVENT',
      'UID:days@test',
      'DTSTAMP:20260201T000000Z',
      'DTSTART;VALUE=DATE:20260302',
      'RRULE:FREQ=DAILY',
      'SUMMARY:Daily',
      'END:VEVENT',
    );
    const { head, tail } = splitSeries(days, new Date('2026-03-04T23:00:00Z'), 'Europe/Berlin', {
      newUid: 'x',
      now,
    });
    expect(head).toContain('RRULE:FREQ=DAILY;UNTIL=20260304\r\n');
    expect(tail).toContain('DTSTART;VALUE=DATE:20260305\r\n');
  });
});

describe('shiftSeries', () => {
  it('moves the whole series by the occurrence’s wall-clock step, and its overrides with it', () => {
    // The 30 March instance (summer time) moves from 09:00 to 10:00 local.
    const text = shiftSeries(
      weekly,
      new Date('2026-03-30T07:00:00Z'),
      { start: new Date('2026-03-30T08:00:00Z') },
      'UTC',
      now,
    );
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260302T100000\r\n');
    expect(text).toContain('DTEND;TZID=Europe/Berlin:20260302T110000\r\n');
    expect(text).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000\r\n');
    expect(shown(text).map((o) => o.start)).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
      '2026-03-16T10:30:00.000Z',
      '2026-03-23T09:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
    ]);
  });

  it('drops an override whose instance the new rule no longer has', () => {
    const text = shiftSeries(weekly, third, { rrule: 'FREQ=WEEKLY;COUNT=2' }, 'UTC', now);
    expect(text).not.toContain('RECURRENCE-ID');
    expect(shown(text).map((o) => o.start)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-09T08:00:00.000Z']);
  });
});
