import { describe, expect, it } from 'vitest';
import { planTaskAlarms, readTaskDue } from './task-alarms.ts';

function todo(...lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VTODO',
    'UID:task@test',
    'DTSTAMP:20260101T000000Z',
    'SUMMARY:Buy milk',
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function alarm(trigger: string, action = 'DISPLAY'): string[] {
  return ['BEGIN:VALARM', `ACTION:${action}`, 'DESCRIPTION:x', trigger, 'END:VALARM'];
}

const week = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-08T00:00:00Z') };
const options = { defaultMinutes: 15, floatingTimeZone: 'Europe/Berlin' };
const fired = (text: string, opts: { defaultMinutes: number | null; floatingTimeZone: string } = options) =>
  planTaskAlarms(text, week, opts).map((a) => [a.trigger, a.fireAt.toISOString()]);

describe('planTaskAlarms', () => {
  it('gives a task without alarms the default before DUE, shown at DUE', () => {
    const alarms = planTaskAlarms(todo('DUE;TZID=Europe/Berlin:20260303T100000'), week, options);
    expect(alarms.map((a) => [a.trigger, a.fireAt.toISOString(), a.occurrence.start.toISOString()])).toEqual([
      ['default:-900', '2026-03-03T08:45:00.000Z', '2026-03-03T09:00:00.000Z'],
    ]);
    expect(alarms[0]?.occurrence.summary).toBe('Buy milk');
  });

  it('counts RELATED=END from DUE and a plain relative trigger from DTSTART (RFC 5545 §3.8.6.3)', () => {
    const text = todo(
      'DTSTART:20260303T070000Z',
      'DUE:20260303T090000Z',
      ...alarm('TRIGGER;RELATED=END:-PT30M'),
      ...alarm('TRIGGER:-PT10M'),
      ...alarm('TRIGGER;VALUE=DATE-TIME:20260303T090000Z'),
    );
    expect(fired(text)).toEqual([
      ['start:-600', '2026-03-03T06:50:00.000Z'],
      ['end:-1800', '2026-03-03T08:30:00.000Z'],
      ['at:2026-03-03T09:00:00.000Z', '2026-03-03T09:00:00.000Z'],
    ]);
  });

  it('reads a START-related trigger of a task without DTSTART from DUE', () => {
    expect(fired(todo('DUE:20260303T090000Z', ...alarm('TRIGGER:-PT5M')))).toEqual([
      ['start:-300', '2026-03-03T08:55:00.000Z'],
    ]);
  });

  it('takes DTSTART + DURATION as the due time when there is no DUE', () => {
    expect(fired(todo('DTSTART:20260303T080000Z', 'DURATION:PT1H'))).toEqual([
      ['default:-900', '2026-03-03T08:45:00.000Z'],
    ]);
  });

  it('reminds of a date-only DUE at 09:00 on the day, or 18:00 the evening before for a day ahead', () => {
    const text = todo('DUE;VALUE=DATE:20260303');
    expect(fired(text)).toEqual([['default:-900', '2026-03-03T08:00:00.000Z']]);
    expect(fired(text, { ...options, defaultMinutes: 1440 })).toEqual([
      ['default:-86400', '2026-03-02T17:00:00.000Z'],
    ]);
  });

  it('plans nothing for a done, cancelled or undated task, nor by default when the default is none', () => {
    expect(fired(todo('DUE:20260303T090000Z', 'STATUS:COMPLETED'))).toEqual([]);
    expect(fired(todo('DUE:20260303T090000Z', 'STATUS:CANCELLED'))).toEqual([]);
    expect(fired(todo('DUE:20260303T090000Z', 'COMPLETED:20260302T090000Z'))).toEqual([]);
    expect(fired(todo('DTSTART:20260303T090000Z', ...alarm('TRIGGER:-PT5M')))).toEqual([]);
    expect(fired(todo('DUE:20260303T090000Z'), { ...options, defaultMinutes: null })).toEqual([]);
  });

  it('plans only the stored DUE of a recurring task', () => {
    const text = todo('DTSTART:20260302T090000Z', 'DUE:20260302T090000Z', 'RRULE:FREQ=DAILY');
    expect(fired(text)).toEqual([['default:-900', '2026-03-02T08:45:00.000Z']]);
  });
});

describe('readTaskDue', () => {
  it('answers the due time of an open task and null once it is done', () => {
    expect(readTaskDue(todo('DUE;VALUE=DATE:20260303'), 'Europe/Berlin')).toEqual({
      due: new Date('2026-03-02T23:00:00Z'),
      allDay: true,
      summary: 'Buy milk',
    });
    expect(readTaskDue(todo('DUE:20260303T090000Z', 'STATUS:COMPLETED'), 'UTC')).toBeNull();
  });
});
