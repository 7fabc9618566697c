import ICAL from 'ical.js';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { splitCalendarText } from './split-calendar-text.ts';

const storable = new Set(['vevent', 'vtodo', 'vjournal']);

/** A component of the document that cannot become a calendar object resource. */
export type ImportRefusal = {
  item: string;
  summary: string | null;
  reason: 'no-uid' | 'unsupported';
  name: string;
};

/** One calendar object resource cut from an .ics document: every component of one UID. */
export type ImportObject = { uid: string; summary: string | null; text: string };

/**
 * An .ics document (an export from another calendar: many UIDs in one VCALENDAR) read one component
 * at a time, so a caller can pause between them, then cut into one calendar object resource per UID
 * (RFC 4791 §4.1), each carrying the VTIMEZONEs it references.
 */
export class IcsImport {
  readonly pieces: readonly string[];
  readonly #prodid: string;
  readonly #zones = new Map<string, ICAL.Component>();
  readonly #groups = new Map<string, ICAL.Component[]>();
  readonly refusals: ImportRefusal[] = [];
  /** The VCALENDAR's own property lines, unfolded (X-WR-CALNAME, REFRESH-INTERVAL, …). */
  readonly calendarProperties: readonly string[];
  #position = 0;

  /** Throws InvalidCalendarData when the text is not a VCALENDAR document. */
  constructor(text: string) {
    const { properties, components } = splitCalendarText(text);
    this.pieces = components;
    this.calendarProperties = properties;
    const prodid = properties.find((line) => /^PRODID[:;]/i.test(line))?.replace(/^[^:]*:/, '');
    this.#prodid = prodid || '-//Televent//Import//EN';
  }

  /** Reads one of `pieces`; throws InvalidCalendarData for a component that does not parse. */
  read(piece: string): void {
    const component = guardCalendarInput(() => new ICAL.Component(ICAL.parse(piece) as unknown[]));
    this.#position += 1;
    if (component.name === 'vtimezone') {
      this.#zones.set(String(component.getFirstPropertyValue('tzid') ?? ''), component);
      return;
    }
    const uid = component.getFirstPropertyValue('uid');
    if (!storable.has(component.name) || typeof uid !== 'string' || uid.trim() === '') {
      this.refusals.push({
        item: typeof uid === 'string' && uid !== '' ? uid : `item ${this.#position}`,
        summary: summaryOf(component),
        reason: storable.has(component.name) ? 'no-uid' : 'unsupported',
        name: component.name.toUpperCase(),
      });
      return;
    }
    const group = this.#groups.get(uid) ?? [];
    group.push(component);
    this.#groups.set(uid, group);
  }

  /** How many objects the document holds (distinct UIDs read so far). */
  get objectCount(): number {
    return this.#groups.size;
  }

  /** The objects, one at a time: each is serialised only when asked for. */
  *objects(): Generator<ImportObject, void, void> {
    for (const [uid, components] of this.#groups) {
      yield { uid, summary: components[0] ? summaryOf(components[0]) : null, text: this.#build(components) };
    }
  }

  #build(components: ICAL.Component[]): string {
    const calendar = new ICAL.Component('vcalendar');
    calendar.addPropertyWithValue('version', '2.0');
    calendar.addPropertyWithValue('prodid', this.#prodid);
    const wanted = new Set<string>();
    for (const component of components) {
      for (const property of component.getAllProperties()) {
        const tzid = property.getParameter('tzid');
        if (typeof tzid === 'string') wanted.add(tzid);
      }
    }
    for (const tzid of wanted) {
      const zone = this.#zones.get(tzid);
      if (zone) calendar.addSubcomponent(new ICAL.Component(zone.toJSON() as unknown[]));
    }
    for (const component of components) {
      calendar.addSubcomponent(new ICAL.Component(component.toJSON() as unknown[]));
    }
    // As imports have always been written (stored text is compared on re-import).
    return calendar.toString().replace(/\r?\n/g, '\r\n');
  }
}

function summaryOf(component: ICAL.Component): string | null {
  const value = component.getFirstPropertyValue('summary');
  return typeof value === 'string' ? value : null;
}
