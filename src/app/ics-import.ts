import { IcsImport } from '../domain/ical/import-objects.ts';
import type { CalendarService } from './calendar-service.ts';
import { RequestWork } from './cooperative-work.ts';
import { AppError, isAppError } from './errors.ts';

export interface ImportProblem {
  /** The UID (or a position when the item has none) of the rejected item. */
  item: string;
  /** The item's UID; null when it has none. */
  uid: string | null;
  /** Why, as a stable word: no-uid, unsupported-component, uid-conflict, or an error reason. */
  reason: string;
  summary: string | null;
  message: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  problems: ImportProblem[];
}

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
  const document = await readIcsDocument(text);
  const report: ImportReport = {
    created: 0,
    updated: 0,
    skipped: 0,
    problems: document.refusals.map((refusal) => ({
      item: refusal.item,
      uid: refusal.reason === 'no-uid' || /^item \d+$/.test(refusal.item) ? null : refusal.item,
      reason: refusal.reason === 'no-uid' ? 'no-uid' : 'unsupported-component',
      summary: refusal.summary,
      message: refusal.reason === 'no-uid' ? 'It has no UID.' : `${refusal.name} items cannot be stored.`,
    })),
  };
  const calendar = await calendars.defaultCalendar(userId);
  for (const { uid, summary, text: objectText } of document.objects()) {
    const hrefName = hrefFor(uid);
    try {
      const existing = await calendars.getObject(userId, calendar.id, hrefName).catch((error: unknown) => {
        if (isAppError(error) && error.reason === 'event-not-found') return undefined;
        throw error;
      });
      if (existing && sameObjectText(existing.ical, objectText)) {
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
        uid,
        reason: error.reason,
        summary,
        message:
          error.reason === 'uid-conflict'
            ? 'An event with this UID is already stored under another name.'
            : error.message,
      });
    }
  }
  return report;
}

/**
 * Reads an .ics document within the import limits (size, components, items), pausing between
 * components; shared by imports and followed feeds (calendar-subscriptions.ts).
 */
export async function readIcsDocument(text: string): Promise<IcsImport> {
  if (Buffer.byteLength(text) > maxImportBytes)
    throw new AppError('payload-too-large', 'That file is larger than 5 MB.');
  const notIcs = (cause: unknown) =>
    new AppError('invalid-calendar-data', 'The file is not an iCalendar (.ics) document.', { cause });
  let document: IcsImport;
  try {
    document = new IcsImport(text);
  } catch (cause) {
    throw notIcs(cause);
  }
  if (document.pieces.length > maxImportComponents) {
    throw new AppError('payload-too-large', `That file holds more than ${maxImportComponents} components.`);
  }
  // One component at a time with pauses: a 5 MB file is a quarter of a second of parsing in one go.
  const work = new RequestWork(Number.POSITIVE_INFINITY);
  for (const piece of document.pieces) {
    try {
      document.read(piece);
    } catch (cause) {
      throw notIcs(cause);
    }
    await work.pause();
  }
  if (document.objectCount > maxImportItems) {
    throw new AppError('payload-too-large', `That file holds more than ${maxImportItems} items.`);
  }
  return document;
}

/** A safe resource name for a UID: UIDs may hold characters that do not belong in a URL path. */
export function hrefFor(uid: string): string {
  const safe = uid.replace(/[^A-Za-z0-9@._-]/g, '_').slice(0, 200);
  return `${safe}.ics`;
}

/** Whether a stored text and a new one say the same (DTSTAMP alone changes on every export). */
export function sameObjectText(stored: string, incoming: string): boolean {
  return normalise(stored) === normalise(incoming);
}

function normalise(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/^DTSTAMP[:;].*$/gm, '')
    .trim();
}
