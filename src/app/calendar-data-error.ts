import { InvalidCalendarData, InvalidDateText, InvalidEventFields } from '../domain/errors.ts';
import { AppError } from './errors.ts';

/** Runs a domain step and turns its input errors into AppErrors, keeping the cause. */
export function withDomainErrors<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw toAppError(error);
  }
}

export function toAppError(error: unknown): unknown {
  if (error instanceof InvalidCalendarData) {
    const reason =
      error.reason === 'unsupported-component' ? 'unsupported-component' : 'invalid-calendar-data';
    return new AppError(reason, error.message, { cause: error, details: { calendarReason: error.reason } });
  }
  if (error instanceof InvalidDateText)
    return new AppError('invalid-date-text', error.message, { cause: error });
  if (error instanceof InvalidEventFields) {
    return new AppError('invalid-field', error.message, {
      cause: error,
      details: { fieldReason: error.reason },
    });
  }
  return error;
}
