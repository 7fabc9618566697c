import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { icalFixture } from '../../../test/fixtures/ical/index.ts';
import { InvalidCalendarData } from '../errors.ts';
import { expandOccurrences } from '../recurrence/expand-occurrences.ts';
import { parseCalendarObject } from './parse-calendar.ts';
import { patchEvent } from './patch-event.ts';

// What macOS Calendar PUTs: its own VTIMEZONE, organizer and attendees, X-APPLE-* data, an audio
// alarm, and one moved instance (test/fixtures/ical/README.md).
const apple = icalFixture('apple-calendar-moved-instance');

const now = new Date('2026-02-01T12:00:00Z');
const changedOnEdit = new Set(['summary', 'sequence', 'dtstamp', 'last-modified']);

/** The jCal of a calendar with the master's edit-stamped properties dropped, for comparing meaning. */
function meaningWithout(text: string, names: ReadonlySet<string>): unknown {
  const root = new ICAL.Component(ICAL.parse(text));
  const master = root.getAllSubcomponents('vevent').find((e) => !e.hasProperty('recurrence-id'));
  for (const name of names) master?.removeAllProperties(name);
  return root.toJSON();
}

describe('patchEvent', () => {
  it('keeps alarms, attendees, X-APPLE properties, categories and the override when the summary changes', () => {
    const patched = patchEvent(apple, { summary: 'Weekly planning' }, now);
    expect(meaningWithout(patched, changedOnEdit)).toEqual(meaningWithout(apple, changedOnEdit));
    expect(patched).toContain('SUMMARY:Weekly planning\r\n');
    expect(patched).toContain('SEQUENCE:3\r\n');
    expect(patched).toContain('DTSTAMP:20260201T120000Z\r\n');
    expect(patched).toContain('LAST-MODIFIED:20260201T120000Z\r\n');
    expect(patched).toContain('SUMMARY:Team sync (moved)\r\n');
    expect(patched).toContain('X-APPLE-DEFAULT-ALARM:TRUE\r\n');
    expect(patched).toContain('X-ADDRESS="Unter den Linden 1, 10117 Berlin"');
    expect(patched).toContain('DTSTART;TZID=Europe/Berlin:20260115T090000\r\n');
    expect(parseCalendarObject(patched)).toMatchObject({
      summary: 'Weekly planning',
      sequence: 3,
      hasAlarms: true,
    });
  });

  it('moves the start in a new zone, keeping the length and adding the VTIMEZONE', () => {
    const patched = patchEvent(
      apple,
      { start: new Date('2026-01-15T14:00:00Z'), timeZone: 'America/New_York' },
      now,
    );
    expect(patched).toContain('DTSTART;TZID=America/New_York:20260115T090000\r\n');
    expect(patched).toContain('DTEND;TZID=America/New_York:20260115T100000\r\n');
    expect(patched).toContain('TZID:America/New_York\r\n');
    expect(patched).toContain('TZID:Europe/Berlin\r\n');
    const parsed = parseCalendarObject(patched);
    expect(parsed.end?.toISOString()).toBe('2026-01-15T15:00:00.000Z');
  });

  it('keeps the TZID style when only the start moves', () => {
    const patched = patchEvent(apple, { start: new Date('2026-01-15T07:30:00Z') }, now);
    expect(patched).toContain('DTSTART;TZID=Europe/Berlin:20260115T083000\r\n');
    expect(patched).toContain('DTEND;TZID=Europe/Berlin:20260115T093000\r\n');
  });

  it('keeps DURATION rather than switching to DTEND', () => {
    const text = apple.replace('DTEND;TZID=Europe/Berlin:20260115T100000', 'DURATION:PT1H');
    const patched = patchEvent(text, { end: new Date('2026-01-15T09:30:00Z') }, now);
    expect(patched).toContain('DURATION:PT1H30M\r\n');
    expect(patched).not.toMatch(/DTEND;TZID=Europe\/Berlin:20260115/);
  });

  it('removes the RRULE for rrule: null and replaces it for a new rule', () => {
    expect(patchEvent(apple, { rrule: null }, now)).not.toContain('RRULE:FREQ=WEEKLY');
    expect(patchEvent(apple, { rrule: 'FREQ=DAILY;COUNT=2' }, now)).toContain('RRULE:FREQ=DAILY;COUNT=2\r\n');
    expect(() => patchEvent(apple, { rrule: 'FREQ=OFTEN' }, now)).toThrow(InvalidCalendarData);
  });

  it('replaces the master alarms only when reminders are given', () => {
    const patched = patchEvent(apple, { reminders: [10] }, now);
    expect(patched).not.toContain('ACTION:AUDIO');
    expect(patched).toContain(
      'BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:Team sync\r\nEND:VALARM',
    );
  });

  it('removes LOCATION for null and sets DESCRIPTION for text', () => {
    const patched = patchEvent(apple, { location: null, description: 'Agenda in the doc' }, now);
    expect(patched).not.toContain('LOCATION:');
    expect(patched).toContain('DESCRIPTION:Agenda in the doc\r\n');
  });

  it('turns a timed event into an all-day one without a DTEND beyond the default day', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:x',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260301T090000Z',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const patched = patchEvent(text, { allDay: true, timeZone: 'Europe/Berlin' }, now);
    expect(patched).toContain('DTSTART;VALUE=DATE:20260301\r\n');
    expect(patched).not.toContain('DTEND');
    expect(patched).toContain('SEQUENCE:1\r\n');
    const window = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-03T00:00:00Z') };
    expect(expandOccurrences(patched, window).occurrences[0]?.allDay).toBe(true);
  });

  it('refuses an object without a master VEVENT', () => {
    const overridesOnly =
      apple.slice(0, apple.indexOf('BEGIN:VEVENT')) + apple.slice(apple.lastIndexOf('BEGIN:VEVENT'));
    expect(() => patchEvent(overridesOnly, { summary: 'x' }, now)).toThrow(InvalidCalendarData);
  });
});
