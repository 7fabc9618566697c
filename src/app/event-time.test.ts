import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { resolveEventTime } from './event-time.ts';

const berlin = { allDay: false, timeZone: 'Europe/Berlin', field: 'start' };
const allDayBerlin = { ...berlin, allDay: true };

function refusal(text: string, options = berlin): AppError {
  try {
    resolveEventTime(text, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

describe('resolveEventTime', () => {
  it.each([
    ['30 February', '2026-02-30T10:00'],
    ['30 February with an offset', '2026-02-30T10:00:00Z'],
    ['month 13', '2026-13-01T10:00'],
    ['month 00', '2026-00-10T10:00'],
    ['day 00', '2026-03-00T10:00'],
    ['31 April', '2026-04-31T10:00+02:00'],
    ['29 February of a common year', '2026-02-29T10:00'],
    ['29 February 1900 (divisible by 100, not by 400)', '1900-02-29T10:00Z'],
    ['hour 25', '2026-03-10T25:00'],
    ['hour 24', '2026-03-10T24:00Z'],
    ['minute 60', '2026-03-10T10:60'],
    ['second 60', '2026-03-10T10:59:60Z'],
    ['an offset of 24 hours', '2026-03-10T10:00+24:00'],
    ['an offset minute of 60', '2026-03-10T10:00+01:60'],
    ['free text', 'next tuesday'],
  ])('refuses %s, naming the field, instead of rolling it over', (_label, text) => {
    const error = refusal(text);
    expect(error.reason).toBe('invalid-field');
    expect(error.details).toEqual({ field: 'start' });
  });

  it.each([
    ['30 February', '2026-02-30'],
    ['29 February of a common year', '2027-02-29'],
    ['month 13', '2026-13-01'],
  ])('refuses %s as an all-day date', (_label, text) => {
    expect(refusal(text, allDayBerlin).details).toEqual({ field: 'start' });
  });

  it('accepts the edges that do exist: leap days, 23:59:59, 2000-02-29 and offsets up to ±23:59', () => {
    expect(resolveEventTime('2028-02-29T10:00', berlin).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(resolveEventTime('2000-02-29T00:00Z', berlin).toISOString()).toBe('2000-02-29T00:00:00.000Z');
    expect(resolveEventTime('2026-12-31T23:59:59Z', berlin).toISOString()).toBe('2026-12-31T23:59:59.000Z');
    expect(resolveEventTime('2026-03-10T10:00-23:59', berlin).toISOString()).toBe('2026-03-11T09:59:00.000Z');
    expect(resolveEventTime('2028-02-29', allDayBerlin).toISOString()).toBe('2028-02-28T23:00:00.000Z');
  });
});
