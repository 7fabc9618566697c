// Small builders for the hostile iCalendar bodies. Lines are joined with CRLF (RFC 5545 §3.1) and
// never folded: unfolded long lines are legal input, and the bodies stay easy to read in failures.

/** A string no calendar text from this suite may ever show in the server's log. */
export const logMarker = 'televent-hostile-marker-5b0e';

export const utcStamp = '20260101T000000Z';

/** A whole object resource: VCALENDAR around `components`, ending with CRLF. */
export function calendar(...components: string[]): string {
  const head = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Televent//hostile suite//EN'];
  return `${lines(head, components, 'END:VCALENDAR')}\r\n`;
}

/** Content lines joined with CRLF, without a final one (components nest by joining). */
export function lines(...parts: Array<string | readonly string[]>): string {
  return parts.flat().join('\r\n');
}

/** A VEVENT with UID, DTSTAMP and SUMMARY (by default carrying the log marker), then `properties` and children. */
export function event(
  uid: string,
  properties: readonly string[],
  children: readonly string[] = [],
  summary = `hostile ${logMarker}`,
): string {
  const head = ['BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${utcStamp}`, `SUMMARY:${summary}`];
  return lines(head, properties, children, 'END:VEVENT');
}

/** A VTIMEZONE with one STANDARD observance (RFC 5545 §3.6.5). */
export function timeZone(tzid: string, observance: { dtstart: string; rrule?: string }): string {
  return lines(
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    'BEGIN:STANDARD',
    `DTSTART:${observance.dtstart}`,
    ...(observance.rrule ? [`RRULE:${observance.rrule}`] : []),
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0100',
    'END:STANDARD',
    'END:VTIMEZONE',
  );
}

/** A DISPLAY alarm (RFC 5545 §3.6.6). */
export function alarm(trigger: string): string {
  return lines('BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:reminder', `TRIGGER:${trigger}`, 'END:VALARM');
}

export function repeat<T>(count: number, make: (i: number) => T): T[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

/** A UTC DATE-TIME in iCalendar form (YYYYMMDDTHHMMSSZ). */
export function icalUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A local (floating or TZID) DATE-TIME in iCalendar form: the UTC digits without the Z. */
export function icalLocal(date: Date): string {
  return icalUtc(date).replace(/Z$/, '');
}

export const hour = 3_600_000;
export const day = 24 * hour;

/** `now` floored to the hour, then moved by `offsetMs`: times that stay put within one test run. */
export function fromNow(now: Date, offsetMs: number): Date {
  return new Date(Math.floor(now.getTime() / hour) * hour + offsetMs);
}
