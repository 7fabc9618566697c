import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { InvalidCalendarData } from '../errors.ts';
import { splitCalendarText } from './split-calendar-text.ts';

const document = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example//Export//EN',
  'BEGIN:VTIMEZONE',
  'TZID:Office',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:a',
  'SUMMARY:A long summary that a client folded',
  '  onto a second line',
  'BEGIN:VALARM',
  'TRIGGER:-PT5M',
  'ACTION:DISPLAY',
  'END:VALARM',
  'END:VEVENT',
  'END:VCALENDAR',
  'BEGIN:VCALENDAR',
  'BEGIN:VTODO',
  'UID:b',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('splitCalendarText', () => {
  it('cuts an export into its properties and top-level components, each parsable on its own', () => {
    const { properties, components } = splitCalendarText(document);
    expect(properties).toEqual(['VERSION:2.0', 'PRODID:-//Example//Export//EN']);
    expect(components).toHaveLength(3);
    const [zone, event, todo] = components.map((text) => new ICAL.Component(ICAL.parse(text) as unknown[]));
    expect(zone?.getFirstPropertyValue('tzid')).toBe('Office');
    expect(event?.getFirstPropertyValue('summary')).toBe(
      'A long summary that a client folded onto a second line',
    );
    expect(event?.getAllSubcomponents('valarm')).toHaveLength(1);
    expect(todo?.getFirstPropertyValue('uid')).toBe('b');
  });

  it.each([
    ['no VCALENDAR', 'BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n'],
    [
      'an END that closes the wrong component',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n',
    ],
    ['a component never closed', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n'],
  ])('refuses a document with %s', (_name, text) => {
    expect(() => splitCalendarText(text)).toThrow(InvalidCalendarData);
  });
});
