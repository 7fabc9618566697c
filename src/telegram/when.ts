import { utcToZoned, zonedToUtc } from '../domain/time/time-zone.ts';
import { intlLocaleOf, type Language, translate } from './i18n.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** One Intl.DateTimeFormat per purpose and zone: building one costs far more than using it. */
function zonedFormat(
  purpose: string,
  timeZone: string,
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${purpose} ${timeZone} ${locale}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

function dayFormat(timeZone: string, language: Language): Intl.DateTimeFormat {
  return zonedFormat('day', timeZone, intlLocaleOf(language), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function timeFormat(timeZone: string, language: Language): Intl.DateTimeFormat {
  return zonedFormat('time', timeZone, intlLocaleOf(language), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** "Fri, 27 Nov 2026" (ru: "пт, 27 нояб. 2026 г.") in the zone. */
export function formatDay(date: Date, timeZone: string, language: Language = 'en'): string {
  return dayFormat(timeZone, language).format(date);
}

/** "13:05" in the zone, 24-hour in both languages. */
export function formatTime(date: Date, timeZone: string, language: Language = 'en'): string {
  return timeFormat(timeZone, language).format(date);
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
export function formatSpan(
  start: Date,
  end: Date,
  allDay: boolean,
  timeZone: string,
  language: Language = 'en',
): string {
  const day = (d: Date) => formatDay(d, timeZone, language);
  const time = (d: Date) => formatTime(d, timeZone, language);
  if (allDay) {
    const lastDay = new Date(end.getTime() - 1);
    const first = day(start);
    const last = day(lastDay);
    const allDayWord = translate(language, 'all-day');
    return first === last ? `${first}, ${allDayWord}` : `${first} – ${last}, ${allDayWord}`;
  }
  const sameDay = dayKey(start, timeZone) === dayKey(end, timeZone);
  return sameDay
    ? `${day(start)}, ${time(start)}–${time(end)}`
    : `${day(start)}, ${time(start)} – ${day(end)}, ${time(end)}`;
}

/** "1 h 30 min" (ru: "1 ч 30 мин") */
export function formatMinutes(minutes: number, language: Language = 'en'): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? translate(language, 'unit-days', { n: days }) : '',
    hours ? translate(language, 'unit-hours', { n: hours }) : '',
    rest ? translate(language, 'unit-minutes', { n: rest }) : '',
  ];
  return parts.filter(Boolean).join(' ') || translate(language, 'unit-minutes', { n: 0 });
}
