import { describe, expect, it } from 'vitest';
import { InvalidCalendarData } from '../errors.ts';
import { buildEventCalendar } from './build-event.ts';
import { combineCalendars } from './combine-calendars.ts';
import { parseCalendarObject } from './parse-calendar.ts';
import { readVCalendar } from './read-vcalendar.ts';

function event(uid: string, timeZone: string, start: string): string {
  return buildEventCalendar({
    uid,
    summary: `Event ${uid}`,
    start: new Date(start),
    end: new Date(new Date(start).getTime() + 3_600_000),
    allDay: false,
    timeZone,
    reminders: [15],
    now: new Date('2026-01-01T00:00:00Z'),
  });
}

function customZoneEvent(uid: string, offset: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//EN',
    'BEGIN:VTIMEZONE',
    'TZID:Office',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Office:20260310T090000',
    'DTEND;TZID=Office:20260310T100000',
    'SUMMARY:Office hours',
    'X-CLIENT-FLAG:kept',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const todo = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VTODO',
  'UID:todo-1',
  'DTSTAMP:20260101T000000Z',
  'SUMMARY:Buy milk',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

function componentsOf(text: string): Array<{ name: string; id: string }> {
  return readVCalendar(text, { unknownTimeZones: 'reject' })
    .getAllSubcomponents()
    .map((c) => ({
      name: c.name,
      id: String(c.getFirstPropertyValue(c.name === 'vtimezone' ? 'tzid' : 'uid')),
    }));
}

describe('combineCalendars', () => {
  it('keeps one VTIMEZONE per TZID shared by several objects, and every event', () => {
    const combined = combineCalendars([
      event('berlin-1', 'Europe/Berlin', '2026-03-10T09:00:00Z'),
      event('new-york-1', 'America/New_York', '2026-03-11T15:00:00Z'),
      event('berlin-2', 'Europe/Berlin', '2026-03-12T09:00:00Z'),
    ]);
    const components = componentsOf(combined);
    expect(components.filter((c) => c.name === 'vtimezone').map((c) => c.id)).toEqual([
      'Europe/Berlin',
      'America/New_York',
    ]);
    expect(components.filter((c) => c.name === 'vevent').map((c) => c.id)).toEqual([
      'berlin-1',
      'new-york-1',
      'berlin-2',
    ]);
    expect(combined.split('BEGIN:VTIMEZONE').length - 1).toBe(2);
  });

  it('puts every VTIMEZONE before the first event', () => {
    const combined = combineCalendars([
      todo,
      event('a', 'Europe/Berlin', '2026-03-10T09:00:00Z'),
      event('b', 'Asia/Tokyo', '2026-03-10T01:00:00Z'),
    ]);
    const names = componentsOf(combined).map((c) => c.name);
    expect(names).toEqual(['vtimezone', 'vtimezone', 'vtodo', 'vevent', 'vevent']);
    expect(combined.lastIndexOf('BEGIN:VTIMEZONE')).toBeLessThan(combined.indexOf('BEGIN:VTODO'));
  });

  it('produces text that parses back with each event at its original instant and its own properties', () => {
    const combined = combineCalendars([
      event('berlin-1', 'Europe/Berlin', '2026-03-10T09:00:00Z'),
      customZoneEvent('office-1', '+0300'),
    ]);
    const root = readVCalendar(combined, { unknownTimeZones: 'reject' });
    const office = root
      .getAllSubcomponents('vevent')
      .find((c) => c.getFirstPropertyValue('uid') === 'office-1');
    expect(office?.getFirstPropertyValue('x-client-flag')).toBe('kept');
    const berlin = root
      .getAllSubcomponents('vevent')
      .find((c) => c.getFirstPropertyValue('uid') === 'berlin-1');
    expect(berlin?.getAllSubcomponents('valarm')).toHaveLength(1);
    expect(combined).toContain('DTSTART;TZID=Europe/Berlin:20260310T100000');
    expect(combined).toContain('DTSTART;TZID=Office:20260310T090000');
  });

  it('keeps the first definition when two objects define the same TZID differently', () => {
    const combined = combineCalendars([
      customZoneEvent('first', '+0300'),
      customZoneEvent('second', '-0500'),
    ]);
    expect(combined.split('TZID:Office\r\n').length - 1).toBe(1);
    expect(combined).toContain('TZOFFSETTO:+0300');
    expect(combined).not.toContain('TZOFFSETTO:-0500');
    expect(componentsOf(combined).filter((c) => c.name === 'vevent')).toHaveLength(2);
  });

  it('writes a well-formed calendar: CRLF line ends, lines of at most 75 octets, one VCALENDAR', () => {
    const combined = combineCalendars([event('a', 'Europe/Berlin', '2026-03-10T09:00:00Z')], 'Televent');
    expect(combined.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(combined.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(combined.replaceAll('\r\n', '')).not.toContain('\n');
    for (const line of combined.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(combined.split('BEGIN:VCALENDAR').length - 1).toBe(1);
    expect(combined).toContain('VERSION:2.0\r\n');
  });

  it('names the calendar only when a name is given', () => {
    expect(combineCalendars([todo], 'Work')).toContain('X-WR-CALNAME:Work\r\n');
    expect(combineCalendars([todo])).not.toContain('X-WR-CALNAME');
  });

  it('gives an empty but valid calendar for no objects', () => {
    const combined = combineCalendars([]);
    expect(componentsOf(combined)).toEqual([]);
  });

  it('keeps a single stored object readable as the same event', () => {
    const original = event('solo', 'America/New_York', '2026-07-04T16:00:00Z');
    const combined = combineCalendars([original]);
    expect(parseCalendarObject(combined)).toMatchObject({
      uid: 'solo',
      start: new Date('2026-07-04T16:00:00Z'),
      end: new Date('2026-07-04T17:00:00Z'),
    });
  });

  it('refuses garbage input with InvalidCalendarData', () => {
    expect(() => combineCalendars([todo, 'this is not iCalendar'])).toThrow(InvalidCalendarData);
  });
});
