/**
 * Days in a month (1–12) of the proleptic Gregorian calendar, as ISO 8601 and RFC 5545 count:
 * year 2000 and year 0 are leap years, 1900 is not. Plain arithmetic, because Date.UTC reads
 * years 0–99 as 1900–1999.
 */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
