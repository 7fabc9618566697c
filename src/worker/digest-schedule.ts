import { utcToZoned, zonedToUtc } from '../domain/time/time-zone.ts';

export function addDays(localDate: string, days: number): string {
  const [y, m, d] = localDate.split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return next.toISOString().slice(0, 10);
}

function localDateAt(instant: Date, timeZone: string): string {
  const p = utcToZoned(instant, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant of the digest on `localDate` at `digestTime` ('HH:MM' or 'HH:MM:SS') in `timeZone`. */
export function digestInstant(localDate: string, digestTime: string, timeZone: string): Date {
  return zonedToUtc(`${localDate}T${digestTime.slice(0, 5)}`, timeZone);
}

/**
 * The next digest still worth sending: today's if it is not more than `graceMs` past, else
 * tomorrow's. Wall-clock arithmetic in the user's zone, so a 08:00 digest stays at 08:00 local
 * across DST changes; a time inside a spring-forward gap moves forward (RFC 5545 §3.3.5).
 */
export function nextDigest(
  now: Date,
  timeZone: string,
  digestTime: string,
  graceMs: number,
): { localDate: string; at: Date } {
  const today = localDateAt(now, timeZone);
  const at = digestInstant(today, digestTime, timeZone);
  if (at.getTime() >= now.getTime() - graceMs) return { localDate: today, at };
  const tomorrow = addDays(today, 1);
  return { localDate: tomorrow, at: digestInstant(tomorrow, digestTime, timeZone) };
}

/** [start, end) of a local day: 23 or 25 hours long on DST change days. */
export function localDayBounds(localDate: string, timeZone: string): { start: Date; end: Date } {
  return {
    start: zonedToUtc(`${localDate}T00:00`, timeZone),
    end: zonedToUtc(`${addDays(localDate, 1)}T00:00`, timeZone),
  };
}
