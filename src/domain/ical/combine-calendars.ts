import ICAL from 'ical.js';
import { prodId, serializeCalendar, serializeComponent } from './build-event.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { readVCalendar } from './read-vcalendar.ts';

/**
 * One VCALENDAR holding the components of many stored objects (an .ics export). Each VTIMEZONE is
 * kept once per TZID (RFC 5545 §3.6.5: a TZID names one definition within an iCalendar object).
 */
export function combineCalendars(texts: readonly string[], name?: string): string {
  const combiner = new CalendarCombiner(name);
  for (const text of texts) combiner.add(text);
  return combiner.toString();
}

/**
 * combineCalendars one object at a time, so a caller can let other work run between objects: each
 * component is serialised as it is added, and only strings are kept.
 */
export class CalendarCombiner {
  readonly #name: string | undefined;
  readonly #zones = new Map<string, string>();
  readonly #items: string[] = [];

  constructor(name?: string) {
    this.#name = name;
  }

  /** Adds every component of one stored object; throws InvalidCalendarData for unreadable text. */
  add(text: string): void {
    guardCalendarInput(() => {
      const root = readVCalendar(text, { unknownTimeZones: 'floating' });
      for (const component of root.getAllSubcomponents()) {
        if (component.name !== 'vtimezone') {
          this.#items.push(serializeComponent(component));
          continue;
        }
        const tzid = String(component.getFirstPropertyValue('tzid') ?? '');
        if (!this.#zones.has(tzid)) this.#zones.set(tzid, serializeComponent(component));
      }
    });
  }

  toString(): string {
    const head = new ICAL.Component('vcalendar');
    head.addPropertyWithValue('version', '2.0');
    head.addPropertyWithValue('prodid', prodId);
    head.addPropertyWithValue('calscale', 'GREGORIAN');
    if (this.#name) head.addPropertyWithValue('x-wr-calname', this.#name);
    const framed = serializeCalendar(head);
    const end = 'END:VCALENDAR\r\n';
    // VTIMEZONEs first, as most readers expect them before the events that use them.
    const body = [...this.#zones.values(), ...this.#items].map((part) => `${part}\r\n`).join('');
    return `${framed.slice(0, framed.length - end.length)}${body}${end}`;
  }
}
