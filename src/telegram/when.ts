import { utcToZoned, zonedToUtc } from '../domain/time/time-zone.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** One Intl.DateTimeFormat per purpose and zone: building one costs far more than using it. */
function zonedFormat(
  purpose: string,
  timeZone: string,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${purpose} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  return zonedFormat('day', timeZone, 'en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  return zonedFormat('time', timeZone, 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "Fri, 27 Nov 2026" in the zone. */
export function formatDay(date: Date, timeZone: string): string {
  return dayFormat(timeZone).format(date);
}

/** "13:05" in the zone. */
export function formatTime(date: Date, timeZone: string): string {
  return timeFormat(timeZone).format(date);
}

/** "YYYY-MM-DD" of the instant in the zone, for grouping by day. */
export function dayKey(date: Date, timeZone: string): string {
  const p = utcToZoned(date, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

const dayStarts = new Map<string, number>();

/** Midnight of the day `offsetDays` after the zone's day of `now`. */
export function startOfDay(now: Date, timeZone: string, offsetDays = 0): Date {
  // Every agenda asks for two or three of these; each costs several Intl.formatToParts calls, and
  // the answer only changes once a day per zone, so it is remembered by the zone's local date.
  const format = zonedFormat('local date', timeZone, 'en-US', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const key = `${timeZone} ${format.format(now)} ${offsetDays}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return new Date(known);
  const p = utcToZoned(now, timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + offsetDays));
  const start = zonedToUtc(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() },
    timeZone,
  );
  if (dayStarts.size >= 10_000) dayStarts.clear();
  dayStarts.set(key, start.getTime());
  return start;
}

/** "Fri, 27 Nov 2026, 13:00–14:00", "… all day", or a range across days. */
export function formatSpan(start: Date, end: Date, allDay: boolean, timeZone: string): string {
  if (allDay) {
    const lastDay = new Date(end.getTime() - 1);
    const first = formatDay(start, timeZone);
    const last = formatDay(lastDay, timeZone);
    return first === last ? `${first}, all day` : `${first} – ${last}, all day`;
  }
  const sameDay = dayKey(start, timeZone) === dayKey(end, timeZone);
  return sameDay
    ? `${formatDay(start, timeZone)}, ${formatTime(start, timeZone)}–${formatTime(end, timeZone)}`
    : `${formatDay(start, timeZone)}, ${formatTime(start, timeZone)} – ${formatDay(end, timeZone)}, ${formatTime(end, timeZone)}`;
}

/** "1 h 30 min" */
export function formatMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return (
    [days ? `${days} d` : '', hours ? `${hours} h` : '', rest ? `${rest} min` : '']
      .filter(Boolean)
      .join(' ') || '0 min'
  );
}
