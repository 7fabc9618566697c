import { describe, expect, it } from 'vitest';
import { icalFixture } from '../../../test/fixtures/ical/index.ts';
import { planAlarms } from './alarm-triggers.ts';

function calendar(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

const weekly = calendar(
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260302T090000',
  'DTEND;TZID=Europe/Berlin:20260302T100000',
  'RRULE:FREQ=WEEKLY',
  'SUMMARY:Standup',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:Standup',
  'TRIGGER:-PT10M',
  'END:VALARM',
  'BEGIN:VALARM',
  'ACTION:AUDIO',
  'TRIGGER;RELATED=END:PT0S',
  'END:VALARM',
  'BEGIN:VALARM',
  'ACTION:EMAIL',
  'SUMMARY:x',
  'DESCRIPTION:x',
  'ATTENDEE:mailto:a@example.com',
  'TRIGGER:-PT1H',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly@test',
  'DTSTAMP:20260101T000000Z',
  'RECURRENCE-ID;TZID=Europe/Berlin:20260309T090000',
  'DTSTART;TZID=Europe/Berlin:20260309T110000',
  'DTEND;TZID=Europe/Berlin:20260309T120000',
  'SUMMARY:Standup (moved)',
  'END:VEVENT',
);

const options = { defaultMinutes: 15, floatingTimeZone: 'Europe/Berlin' };

describe('planAlarms', () => {
  it('fires relative triggers from each occurrence start or end and skips EMAIL alarms', () => {
    const { alarms } = planAlarms(
      weekly,
      { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') },
      options,
    );
    expect(alarms.map((a) => [a.trigger, a.fireAt.toISOString(), a.action])).toEqual([
      ['start:-600', '2026-03-02T07:50:00.000Z', 'DISPLAY'],
      ['end:0', '2026-03-02T09:00:00.000Z', 'AUDIO'],
    ]);
  });

  it('gives an override without alarms the user default, at its moved time', () => {
    const { alarms } = planAlarms(
      weekly,
      { start: new Date('2026-03-09T00:00:00Z'), end: new Date('2026-03-10T00:00:00Z') },
      options,
    );
    expect(alarms.map((a) => [a.trigger, a.fireAt.toISOString(), a.occurrence.summary])).toEqual([
      ['default:-900', '2026-03-09T09:45:00.000Z', 'Standup (moved)'],
    ]);
  });

  it('keeps local wall time across a DST change (Berlin springs forward on 29 March 2026)', () => {
    const { alarms } = planAlarms(
      weekly,
      { start: new Date('2026-03-30T00:00:00Z'), end: new Date('2026-03-30T12:00:00Z') },
      options,
    );
    expect(alarms[0]?.fireAt.toISOString()).toBe('2026-03-30T06:50:00.000Z');
  });

  it('fires an absolute trigger once and plans nothing for a cancelled event', () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:abs@test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260310T090000Z',
      'DTEND:20260310T100000Z',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:x',
      'TRIGGER;VALUE=DATE-TIME:20260309T180000Z',
      'END:VALARM',
      'END:VEVENT',
    );
    const window = { start: new Date('2026-03-09T00:00:00Z'), end: new Date('2026-03-11T00:00:00Z') };
    const { alarms } = planAlarms(text, window, options);
    expect(alarms.map((a) => [a.trigger, a.occurrence.start.toISOString()])).toEqual([
      ['at:2026-03-09T18:00:00.000Z', '2026-03-10T09:00:00.000Z'],
    ]);
    const cancelled = text.replace('DTSTART:', 'STATUS:CANCELLED\r\nDTSTART:');
    expect(planAlarms(cancelled, window, options).alarms).toEqual([]);
  });

  it('plans nothing for an event without alarms when the user has no default', () => {
    const text = calendar(
      'BEGIN:VEVENT',
      'UID:plain@test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260310T090000Z',
      'DTEND:20260310T100000Z',
      'END:VEVENT',
    );
    const window = { start: new Date('2026-03-09T00:00:00Z'), end: new Date('2026-03-11T00:00:00Z') };
    expect(planAlarms(text, window, { ...options, defaultMinutes: null }).alarms).toEqual([]);
    expect(planAlarms(text, window, options).alarms.map((a) => a.fireAt.toISOString())).toEqual([
      '2026-03-10T08:45:00.000Z',
    ]);
  });

  it("fires Apple's all-day alarm (-PT15H) at 09:00 the day before in the user's zone", () => {
    const text = icalFixture('apple-calendar-all-day-floating-alarm');
    const window = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-06-01T00:00:00Z') };
    const fireAt = (floatingTimeZone: string) =>
      planAlarms(text, window, { defaultMinutes: null, floatingTimeZone }).alarms.map((a) => [
        a.fireAt.toISOString(),
        a.action,
      ]);
    expect(fireAt('Europe/Berlin')).toEqual([['2026-04-30T07:00:00.000Z', 'AUDIO']]);
    expect(fireAt('America/New_York')).toEqual([['2026-04-30T13:00:00.000Z', 'AUDIO']]);
  });

  it("fires the default reminder of an all-day event at 09:00 on the day in the user's zone, or at 18:00 the evening before for a lead of a day", () => {
    const holiday = calendar(
      'BEGIN:VEVENT',
      'UID:holiday@test',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20260305',
      'DTEND;VALUE=DATE:20260306',
      'SUMMARY:Holiday',
      'END:VEVENT',
    );
    const week = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-08T00:00:00Z') };
    const fire = (defaultMinutes: number) =>
      planAlarms(holiday, week, { defaultMinutes, floatingTimeZone: 'Europe/Moscow' }).alarms.map((a) =>
        a.fireAt.toISOString(),
      );
    // Moscow is UTC+3: not 23:45 the night before, but 09:00 on the day.
    expect(fire(15)).toEqual(['2026-03-05T06:00:00.000Z']);
    expect(fire(60)).toEqual(['2026-03-05T06:00:00.000Z']);
    expect(fire(1440)).toEqual(['2026-03-04T15:00:00.000Z']);
    // A VALARM of the event's own keeps RFC 5545's meaning: relative to the start of the day.
    const ownAlarm = holiday.replace(
      'SUMMARY:Holiday',
      'SUMMARY:Holiday\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT15M\r\nEND:VALARM',
    );
    expect(
      planAlarms(ownAlarm, week, { defaultMinutes: 15, floatingTimeZone: 'Europe/Moscow' }).alarms.map((a) =>
        a.fireAt.toISOString(),
      ),
    ).toEqual(['2026-03-04T20:45:00.000Z']);
  });
});
