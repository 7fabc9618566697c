import { describe, expect, it } from 'vitest';
import { buildTaskCalendar, readTaskFields, setTaskCompletion } from './task.ts';

const now = new Date('2026-03-01T10:00:00Z');

describe('tasks as VTODO', () => {
  it('builds a task due at a local time with its zone', () => {
    const text = buildTaskCalendar({
      uid: 'a@test',
      summary: 'Pay rent',
      due: new Date('2026-03-10T08:00:00Z'),
      timeZone: 'Europe/Berlin',
      now,
    });
    expect(text).toContain('BEGIN:VTODO');
    expect(text).toContain('UID:a@test');
    expect(text).toContain('DTSTAMP:20260301T100000Z');
    expect(text).toContain('DUE;TZID=Europe/Berlin:20260310T090000');
    expect(text).toContain('BEGIN:VTIMEZONE');
    expect(text).toContain('STATUS:NEEDS-ACTION');
    expect(readTaskFields(text)).toMatchObject({
      summary: 'Pay rent',
      due: '2026-03-10T08:00:00.000Z',
      completed: null,
      status: 'NEEDS-ACTION',
    });
  });

  it('builds a task due on a date, and one without a due date', () => {
    const dated = buildTaskCalendar({
      uid: 'b@test',
      summary: 'Taxes',
      due: new Date('2026-03-09T23:00:00Z'),
      dueAllDay: true,
      timeZone: 'Europe/Berlin',
      now,
    });
    expect(dated).toContain('DUE;VALUE=DATE:20260310');
    expect(readTaskFields(dated).due).toBe('2026-03-10');
    const open = buildTaskCalendar({ uid: 'c@test', summary: 'Someday', timeZone: 'UTC', now });
    expect(open).not.toContain('DUE');
    expect(readTaskFields(open).due).toBeNull();
  });

  it('completes and reopens a task, keeping its other properties', () => {
    const text = buildTaskCalendar({
      uid: 'd@test',
      summary: 'Call',
      description: 'Mum',
      timeZone: 'UTC',
      now,
    });
    const done = setTaskCompletion(text, true, new Date('2026-03-02T12:00:00Z'));
    expect(done).toContain('STATUS:COMPLETED');
    expect(done).toContain('COMPLETED:20260302T120000Z');
    expect(done).toContain('PERCENT-COMPLETE:100');
    expect(readTaskFields(done)).toMatchObject({
      status: 'COMPLETED',
      description: 'Mum',
      completed: new Date('2026-03-02T12:00:00Z'),
    });
    const reopened = setTaskCompletion(done, false, new Date('2026-03-03T12:00:00Z'));
    expect(reopened).toContain('STATUS:NEEDS-ACTION');
    expect(reopened).not.toContain('COMPLETED:');
    expect(reopened).not.toContain('PERCENT-COMPLETE');
    expect(readTaskFields(reopened)).toMatchObject({
      status: 'NEEDS-ACTION',
      completed: null,
      summary: 'Call',
    });
  });

  it('reads priority from a client-written task', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//x//y//EN',
      'BEGIN:VTODO',
      'UID:e@test',
      'DTSTAMP:20260301T100000Z',
      'SUMMARY:Urgent',
      'PRIORITY:1',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    expect(readTaskFields(text)).toMatchObject({ summary: 'Urgent', priority: 1, status: null });
  });
});
