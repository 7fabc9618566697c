import { describe, expect, it } from 'vitest';
import { InvalidCalendarData } from '../errors.ts';
import { buildEventCalendar } from './build-event.ts';
import { readEventFields } from './read-event-fields.ts';

function calendar(...components: string[][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//EN',
    ...components.flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function vevent(...lines: string[]): string[] {
  return [
    'BEGIN:VEVENT',
    'UID:fields-1',
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260310T090000Z',
    ...lines,
    'END:VEVENT',
  ];
}

function alarm(...lines: string[]): string[] {
  return ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', ...lines, 'END:VALARM'];
}

describe('readEventFields', () => {
  it('reads the description and location, unescaping text (RFC 5545 §3.3.11)', () => {
    const fields = readEventFields(
      calendar(
        vevent(
          'SUMMARY:Lunch',
          'DESCRIPTION:Bring\\nthe slides\\, please',
          'LOCATION:Café Nord\\; 2nd floor',
        ),
      ),
    );
    expect(fields).toEqual({
      description: 'Bring\nthe slides, please',
      location: 'Café Nord; 2nd floor',
      reminders: [],
      otherAlarmCount: 0,
    });
  });

  it('gives null for a missing description and location', () => {
    expect(readEventFields(calendar(vevent('SUMMARY:Bare')))).toMatchObject({
      description: null,
      location: null,
    });
  });

  it('reads the fields of an event Televent wrote itself', () => {
    const text = buildEventCalendar({
      uid: 'own@televent',
      summary: 'Dentist',
      start: new Date('2026-03-10T14:00:00Z'),
      end: new Date('2026-03-10T15:00:00Z'),
      allDay: false,
      timeZone: 'Europe/Berlin',
      description: 'Check-up',
      location: 'Main street 1',
      reminders: [60, 10],
    });
    expect(readEventFields(text)).toEqual({
      description: 'Check-up',
      location: 'Main street 1',
      reminders: [10, 60],
      otherAlarmCount: 0,
    });
  });

  it('turns relative triggers before the start into minutes, sorted, including one at the start', () => {
    const fields = readEventFields(
      calendar(
        vevent(
          ...alarm('TRIGGER:-P1D'),
          ...alarm('TRIGGER:-PT15M'),
          ...alarm('TRIGGER;RELATED=START:-PT1H30M'),
          ...alarm('TRIGGER:PT0S'),
        ),
      ),
    );
    expect(fields.reminders).toEqual([0, 15, 90, 1440]);
    expect(fields.otherAlarmCount).toBe(0);
  });

  it('counts absolute, end-related and after-start alarms as other alarms', () => {
    const fields = readEventFields(
      calendar(
        vevent(
          'DTEND:20260310T100000Z',
          ...alarm('TRIGGER:-PT5M'),
          ...alarm('TRIGGER;VALUE=DATE-TIME:20260310T080000Z'),
          ...alarm('TRIGGER;RELATED=END:-PT5M'),
          ...alarm('TRIGGER:PT10M'),
        ),
      ),
    );
    expect(fields.reminders).toEqual([5]);
    expect(fields.otherAlarmCount).toBe(3);
  });

  it('reads the master event, not an overridden occurrence listed before it', () => {
    const text = calendar(
      [
        'BEGIN:VEVENT',
        'UID:series-1',
        'DTSTAMP:20260101T000000Z',
        'RECURRENCE-ID:20260317T090000Z',
        'DTSTART:20260317T100000Z',
        'LOCATION:Room B',
        ...alarm('TRIGGER:-PT30M'),
        'END:VEVENT',
      ],
      [
        'BEGIN:VEVENT',
        'UID:series-1',
        'DTSTAMP:20260101T000000Z',
        'DTSTART:20260310T090000Z',
        'RRULE:FREQ=WEEKLY;COUNT=4',
        'LOCATION:Room A',
        ...alarm('TRIGGER:-PT10M'),
        'END:VEVENT',
      ],
    );
    expect(readEventFields(text)).toMatchObject({ location: 'Room A', reminders: [10] });
  });

  it('gives empty fields for a calendar that holds no event', () => {
    expect(readEventFields(calendar())).toEqual({
      description: null,
      location: null,
      reminders: [],
      otherAlarmCount: 0,
    });
  });

  it.each([
    ['plain text', 'not a calendar'],
    ['an empty string', ''],
    ['a VEVENT without a VCALENDAR', 'BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n'],
    ['a truncated calendar', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n'],
    ['a malformed trigger', calendar(vevent(...alarm('TRIGGER:-PTXM')))],
    ['a malformed absolute trigger', calendar(vevent(...alarm('TRIGGER;VALUE=DATE-TIME:2026XX')))],
  ])('refuses %s with InvalidCalendarData', (_label, text) => {
    expect(() => readEventFields(text)).toThrow(InvalidCalendarData);
  });
});
