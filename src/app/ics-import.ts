import ICAL from 'ical.js';
import { type CalendarPieces, splitCalendarText } from '../domain/ical/split-calendar-text.ts';
import type { CalendarService } from './calendar-service.ts';
import { RequestWork } from './cooperative-work.ts';
import { AppError, isAppError } from './errors.ts';

export interface ImportProblem {
  /** The UID (or a position when the item has none) of the rejected item. */
  item: string;
  summary: string | null;
  message: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  problems: ImportProblem[];
}

const storable = new Set(['vevent', 'vtodo', 'vjournal']);
/** An .ics a user sends in a chat; larger ones are refused before parsing. */
export const maxImportBytes = 5 * 1024 * 1024;
const maxImportItems = 2000;
// Items plus their overrides and time zones; more than this is not an export of a calendar.
const maxImportComponents = 20_000;

/**
 * Imports an .ics document (an export from another calendar: many UIDs in one VCALENDAR) into the
 * user's default calendar. It is split into one calendar object resource per UID (RFC 4791 §4.1),
 * each carrying the VTIMEZONEs it references, and stored through CalendarService.putObject: a new
 * UID is created, a known one whose text differs is updated, an identical one is skipped. An item
 * that fails validation is reported and the rest still import.
 */
export async function importIcs(
  calendars: CalendarService,
  userId: number,
  text: string,
): Promise<ImportReport> {
  if (Buffer.byteLength(text) > maxImportBytes)
    throw new AppError('payload-too-large', 'That file is larger than 5 MB.');
  let pieces: CalendarPieces;
  try {
    pieces = splitCalendarText(text);
  } catch (cause) {
    throw new AppError('invalid-calendar-data', 'The file is not an iCalendar (.ics) document.', { cause });
  }
  if (pieces.components.length > maxImportComponents) {
    throw new AppError('payload-too-large', `That file holds more than ${maxImportComponents} components.`);
  }
  const prodid = pieces.properties.find((line) => /^PRODID[:;]/i.test(line))?.replace(/^[^:]*:/, '');
  // One component at a time with pauses: a 5 MB file is a quarter of a second of parsing in one go.
  const parsed: ICAL.Component[] = [];
  const work = new RequestWork(Number.POSITIVE_INFINITY);
  for (const piece of pieces.components) {
    try {
      parsed.push(new ICAL.Component(ICAL.parse(piece) as unknown[]));
    } catch (cause) {
      throw new AppError('invalid-calendar-data', 'The file is not an iCalendar (.ics) document.', { cause });
    }
    await work.pause();
  }
  const zones = new Map<string, ICAL.Component>();
  const groups = new Map<string, ICAL.Component[]>();
  const report: ImportReport = { created: 0, updated: 0, skipped: 0, problems: [] };
  let position = 0;
  for (const component of parsed) {
    position += 1;
    if (component.name === 'vtimezone') {
      zones.set(String(component.getFirstPropertyValue('tzid') ?? ''), component);
      continue;
    }
    const uid = component.getFirstPropertyValue('uid');
    if (!storable.has(component.name) || typeof uid !== 'string' || uid.trim() === '') {
      report.problems.push({
        item: typeof uid === 'string' && uid !== '' ? uid : `item ${position}`,
        summary: summaryOf(component),
        message: storable.has(component.name)
          ? 'It has no UID.'
          : `${component.name.toUpperCase()} items cannot be stored.`,
      });
      continue;
    }
    const group = groups.get(uid) ?? [];
    group.push(component);
    groups.set(uid, group);
  }
  if (groups.size > maxImportItems) {
    throw new AppError('payload-too-large', `That file holds more than ${maxImportItems} items.`);
  }
  const calendar = await calendars.defaultCalendar(userId);
  for (const [uid, components] of groups) {
    const objectText = buildObject(prodid, components, zones);
    const hrefName = hrefFor(uid);
    try {
      const existing = await calendars.getObject(userId, calendar.id, hrefName).catch((error: unknown) => {
        if (isAppError(error) && error.reason === 'event-not-found') return undefined;
        throw error;
      });
      if (existing && normalise(existing.ical) === normalise(objectText)) {
        report.skipped += 1;
        continue;
      }
      const result = await calendars.putObject(userId, calendar.id, hrefName, objectText);
      if (result.created) report.created += 1;
      else report.updated += 1;
    } catch (error) {
      if (!isAppError(error) || (error.kind === 'not-found' && error.reason !== 'event-not-found'))
        throw error;
      report.problems.push({
        item: uid,
        summary: components[0] ? summaryOf(components[0]) : null,
        message:
          error.reason === 'uid-conflict'
            ? 'An event with this UID is already stored under another name.'
            : error.message,
      });
    }
  }
  return report;
}

function summaryOf(component: ICAL.Component): string | null {
  const value = component.getFirstPropertyValue('summary');
  return typeof value === 'string' ? value : null;
}

/** A safe resource name for a UID: UIDs may hold characters that do not belong in a URL path. */
function hrefFor(uid: string): string {
  const safe = uid.replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 200);
  return `${safe}.ics`;
}

function normalise(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/^DTSTAMP[:;].*$/gm, '')
    .trim();
}

function buildObject(
  prodid: string | undefined,
  components: ICAL.Component[],
  zones: Map<string, ICAL.Component>,
): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', prodid || '-//Televent//Import//EN');
  const wanted = new Set<string>();
  for (const component of components) {
    for (const property of component.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (typeof tzid === 'string') wanted.add(tzid);
    }
  }
  for (const tzid of wanted) {
    const zone = zones.get(tzid);
    if (zone) calendar.addSubcomponent(new ICAL.Component(zone.toJSON() as unknown[]));
  }
  for (const component of components)
    calendar.addSubcomponent(new ICAL.Component(component.toJSON() as unknown[]));
  return calendar.toString().replace(/\r?\n/g, '\r\n');
}
