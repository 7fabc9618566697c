import { daysInMonth } from '../domain/time/calendar-date.ts';
import { isValidTimeZone, zonedToUtc } from '../domain/time/time-zone.ts';
import { AppError } from './errors.ts';

/** RFC 3339 §5.6 shapes: full-date, optionally T hh:mm[:ss[.fraction]] and an offset. */
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * Reads a time a person or an API client wrote: an instant with an offset (`...Z`, `+01:00`), a
 * local date-time read in `timeZone`, or for all-day events a date (midnight in `timeZone`).
 * Only real calendar values pass: `Date` and `Date.UTC` would quietly roll 2026-02-30 over to
 * 2 March and 24:00 over to the next day.
 */
export function resolveEventTime(
  text: string,
  options: { allDay: boolean; timeZone: string; field: string },
): Date {
  if (!isValidTimeZone(options.timeZone)) {
    throw new AppError(
      'invalid-time-zone',
      `"${options.timeZone}" is not a known IANA time zone, e.g. Europe/Berlin.`,
    );
  }
  assertRealDateTime(text, options.field);
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(text);
  if (options.allDay) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      throw new AppError('invalid-field', `${options.field} of an all-day event is a date like 2026-03-10.`, {
        details: { field: options.field },
      });
    }
    return checked(zonedToUtc(`${text}T00:00`, options.timeZone), options.field);
  }
  if (hasOffset) return checked(new Date(text), options.field);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new AppError('invalid-field', `${options.field} needs a time, e.g. ${text}T09:00, or set allDay.`, {
      details: { field: options.field },
    });
  }
  return checked(zonedToUtc(text, options.timeZone), options.field);
}

/** Month 01–12, a day that month has (leap years counted), 00:00–23:59:59, offsets up to ±23:59. */
function assertRealDateTime(text: string, field: string): void {
  const parts = isoPattern.exec(text);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHour = 0, offsetMinute = 0] = (
    parts?.slice(1) ?? []
  ).map((part) => (part === undefined ? 0 : Number(part)));
  const real =
    parts !== null &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59;
  if (!real) {
    throw new AppError('invalid-field', `${field} is not a real date or time: ${describe(text)}.`, {
      details: { field },
    });
  }
}

function describe(text: string): string {
  return isoPattern.test(text)
    ? `"${text}" does not exist on the calendar`
    : 'expected e.g. 2026-03-10T14:00';
}

function checked(date: Date, field: string): Date {
  if (Number.isNaN(date.getTime())) {
    throw new AppError('invalid-field', `${field} is not a real date or time.`, { details: { field } });
  }
  return date;
}
