import { describe, expect, it } from 'vitest';
import { mayHaveReminders } from './reminder-planning.ts';

// Which writes re-plan reminders (app/object-writes.ts): a far event needs none unless an alarm of
// its own may fire near now.

const now = new Date('2026-12-03T12:00:00Z');
const far = {
  seriesFirstStart: new Date('2027-06-01T09:00:00Z'),
  seriesLastEnd: new Date('2027-06-01T10:00:00Z'),
};

function withAlarm(trigger: string): string {
  return [
    'BEGIN:VEVENT',
    'UID:x',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    trigger,
    'END:VALARM',
    'END:VEVENT',
    '',
  ].join('\r\n');
}

function farEvent(text: string) {
  return { componentType: 'VEVENT', text, ...far };
}

describe('mayHaveReminders', () => {
  it('is false for a far event whose alarms are relative and near their occurrence, as clients write them', () => {
    for (const trigger of [
      'TRIGGER:-PT15M',
      'TRIGGER;VALUE=DURATION:-PT15M',
      'TRIGGER;RELATED=END:PT5M',
      'TRIGGER:-P0DT0H30M0S',
      'TRIGGER:PT0S',
      'TRIGGER:-P4W',
      'TRIGGER;VALUE=DURATION;RELATED=\r\n START:-P1D',
    ]) {
      expect([trigger, mayHaveReminders(farEvent(withAlarm(trigger)), now)]).toEqual([trigger, false]);
    }
    expect(mayHaveReminders(farEvent('BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n'), now)).toBe(false);
  });

  it('is true when an alarm may fire far from its occurrence, or cannot be read', () => {
    for (const trigger of [
      'TRIGGER;VALUE=DATE-TIME:20261203T130000Z',
      'TRIGGER:-P30D',
      'TRIGGER:-P5W',
      'TRIGGER;RELATED=END:P2D',
      'TRIGGER:-PT1000H',
      'TRIGGER:soon',
      'TRIGGER:-PT',
    ]) {
      expect([trigger, mayHaveReminders(farEvent(withAlarm(trigger)), now)]).toEqual([trigger, true]);
    }
  });

  it('is true for a task, an event without known bounds and a series that comes near', () => {
    const text = 'BEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\n';
    expect(mayHaveReminders({ componentType: 'VTODO', text, ...far }, now)).toBe(true);
    const event = 'BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n';
    expect(
      mayHaveReminders(
        { componentType: 'VEVENT', text: event, seriesFirstStart: null, seriesLastEnd: null },
        now,
      ),
    ).toBe(true);
    const weekly = { seriesFirstStart: new Date('2026-01-05T09:00:00Z'), seriesLastEnd: null };
    expect(mayHaveReminders({ componentType: 'VEVENT', text: event, ...weekly }, now)).toBe(true);
    const past = {
      seriesFirstStart: new Date('2026-01-05T09:00:00Z'),
      seriesLastEnd: new Date('2026-11-20T10:00:00Z'),
    };
    expect(mayHaveReminders({ componentType: 'VEVENT', text: event, ...past }, now)).toBe(false);
    const inSevenWeeks = {
      seriesFirstStart: new Date('2027-01-21T09:00:00Z'),
      seriesLastEnd: new Date('2027-01-21T10:00:00Z'),
    };
    expect(mayHaveReminders({ componentType: 'VEVENT', text: event, ...inSevenWeeks }, now)).toBe(true);
  });
});
