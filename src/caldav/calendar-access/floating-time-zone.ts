import type { CalendarView } from '../../app/caldav-views.ts';
import { ianaNameForTzid } from '../../domain/time/time-zone.ts';

/**
 * RFC 4791 §9.9 / §5.2.2: floating times are read in the zone the request names (CALDAV:timezone),
 * else in the calendar's calendar-timezone, else UTC.
 */
export function floatingTimeZoneFor(calendar: CalendarView, requestTimezone?: string): string {
  const tzid = requestTimezone
    ? /^TZID:(.+)$/m.exec(requestTimezone.replace(/\r/g, ''))?.[1]?.trim()
    : undefined;
  const fromRequest = tzid ? ianaNameForTzid(tzid) : null;
  return fromRequest ?? calendar.timeZone ?? 'UTC';
}
