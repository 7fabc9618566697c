import { InvalidCalendarData, InvalidEventFields } from '../errors.ts';

/**
 * ical.js reads values lazily and throws plain Errors (or TypeErrors) wherever a malformed value is
 * first touched. Running a whole operation inside this guard keeps the promise that bad calendar data
 * only ever surfaces as InvalidCalendarData, so a door answers 4xx and never 500.
 */
export function guardCalendarInput<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof InvalidCalendarData || error instanceof InvalidEventFields) throw error;
    const detail = error instanceof Error ? error.message.slice(0, 200) : 'unreadable value';
    throw new InvalidCalendarData('unparsable', detail, { cause: error });
  }
}
