import { isValidTimeZone, zonedToUtc } from '../domain/time/time-zone.ts';
import { AppError } from './errors.ts';

/**
 * Reads a time a person or an API client wrote: an instant with an offset (`...Z`, `+01:00`), a
 * local date-time read in `timeZone`, or for all-day events a date (midnight in `timeZone`).
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

function checked(date: Date, field: string): Date {
  if (Number.isNaN(date.getTime())) {
    throw new AppError('invalid-field', `${field} is not a real date or time.`, { details: { field } });
  }
  return date;
}
