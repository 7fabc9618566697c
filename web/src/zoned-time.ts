// Dates and times in the user's time zone (from /api/me), never the browser's: Intl does the zone
// arithmetic, so no time-zone database ships with the page.

function partsIn(instant: Date, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const out: Record<string, number> = {};
  for (const part of parts) if (part.type !== 'literal') out[part.type] = Number(part.value);
  return out;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The wall-clock 'YYYY-MM-DDTHH:mm' of an instant in a zone (what a datetime-local input holds). */
export function localDateTime(instant: Date, timeZone: string): string {
  const p = partsIn(instant, timeZone);
  return `${pad(p.year ?? 0, 4)}-${pad(p.month ?? 1)}-${pad(p.day ?? 1)}T${pad(p.hour ?? 0)}:${pad(p.minute ?? 0)}`;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const asUtc = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a wall-clock 'YYYY-MM-DDTHH:mm[:ss]' names in a zone (the later reading in a gap). */
export function instantOf(local: string, timeZone: string): Date {
  const [date = '', time = '00:00'] = local.split('T');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss = 0] = time.split(':').map(Number) as [number, number, number?];
  const guess = Date.UTC(y, m - 1, d, hh, mm, ss);
  const first = guess - offsetAt(new Date(guess), timeZone);
  return new Date(guess - offsetAt(new Date(first), timeZone));
}

/** Adds minutes to a wall-clock time, through the zone (so a DST change is counted right). */
export function addMinutesLocal(local: string, minutes: number, timeZone: string): string {
  return localDateTime(new Date(instantOf(local, timeZone).getTime() + minutes * 60_000), timeZone);
}

/** Adds days to a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The time zones this browser knows, for the form's searchable list. */
export function knownTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/** "Tue 10 Mar, 14:00 – 15:00" in the user's zone and locale (24 h or 12 h as the locale has it). */
export function formatRange(
  start: Date,
  end: Date,
  options: { timeZone: string; locale: string; allDay: boolean },
): string {
  if (options.allDay) {
    const format = new Intl.DateTimeFormat(options.locale, {
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    // All-day bounds are dates; the end is exclusive (RFC 5545 §3.6.1).
    const last = new Date(end.getTime() - 86_400_000);
    return last.getTime() <= start.getTime() ? format.format(start) : format.formatRange(start, last);
  }
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  }).formatRange(start, end);
}

/** "12 Mar 2030, 14:00": an instant as a date and time in the user's zone and locale. */
export function formatDateTime(instant: Date, options: { timeZone: string; locale: string }): string {
  return new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(instant);
}
