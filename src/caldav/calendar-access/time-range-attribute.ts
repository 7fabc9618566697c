import { DavError } from '../dav-error.ts';
import { CALDAV } from '../xml/names.ts';
import type { XmlElement } from '../xml/parse-xml.ts';

const utcPattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** RFC 4791 §9.9: start and end are UTC DATE-TIME values ("20060104T000000Z"). */
function parseUtc(value: string): Date | null {
  const match = utcPattern.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A time-range (or expand / limit-recurrence-set) element's bounds; invalid ones are 403 valid-filter. */
export function readTimeRange(
  element: XmlElement,
  options: { requireBoth: boolean },
): { start?: Date; end?: Date } {
  const startText = element.attributes.start;
  const endText = element.attributes.end;
  const start = startText === undefined ? undefined : parseUtc(startText);
  const end = endText === undefined ? undefined : parseUtc(endText);
  const invalid =
    start === null ||
    end === null ||
    (start === undefined && end === undefined) ||
    (options.requireBoth && (start === undefined || end === undefined)) ||
    (start !== undefined && end !== undefined && end <= start);
  if (invalid) {
    throw new DavError(
      403,
      'A time range needs UTC start/end values like 20260101T000000Z, end after start.',
      {
        precondition: CALDAV.validFilter,
      },
    );
  }
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}
