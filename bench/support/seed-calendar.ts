import type { AppServices } from '../../src/app/services.ts';

const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Singapore', 'Europe/London'];

// Each zone's VTIMEZONE as calendar apps send it along with every event that uses it (current
// rules only, as Apple Calendar and Thunderbird write them).
const timeZoneComponents: Record<string, string[]> = {
  'Europe/Berlin': [
    ...observance('DAYLIGHT', '+0100', '+0200', 'CEST', '19810329T020000', 'BYMONTH=3;BYDAY=-1SU'),
    ...observance('STANDARD', '+0200', '+0100', 'CET', '19961027T030000', 'BYMONTH=10;BYDAY=-1SU'),
  ],
  'America/New_York': [
    ...observance('DAYLIGHT', '-0500', '-0400', 'EDT', '20070311T020000', 'BYMONTH=3;BYDAY=2SU'),
    ...observance('STANDARD', '-0400', '-0500', 'EST', '20071104T020000', 'BYMONTH=11;BYDAY=1SU'),
  ],
  'Asia/Singapore': observance('STANDARD', '+0800', '+0800', '+08', '19820101T000000', null),
  'Europe/London': [
    ...observance('DAYLIGHT', '+0000', '+0100', 'BST', '19810329T010000', 'BYMONTH=3;BYDAY=-1SU'),
    ...observance('STANDARD', '+0100', '+0000', 'GMT', '19961027T020000', 'BYMONTH=10;BYDAY=-1SU'),
  ],
};

function observance(
  kind: 'DAYLIGHT' | 'STANDARD',
  from: string,
  to: string,
  name: string,
  start: string,
  rule: string | null,
): string[] {
  return [
    `BEGIN:${kind}`,
    `TZOFFSETFROM:${from}`,
    ...(rule ? [`RRULE:FREQ=YEARLY;${rule}`] : []),
    `DTSTART:${start}`,
    `TZNAME:${name}`,
    `TZOFFSETTO:${to}`,
    `END:${kind}`,
  ];
}
const dayMs = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function localStamp(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}00`;
}

function dateStamp(date: Date): string {
  return localStamp(date).slice(0, 8);
}

/**
 * The i-th event of a realistic calendar: timed events in several zones (local times with TZID),
 * each with its VTIMEZONE, all-day events, weekly series with an EXDATE and a moved occurrence, alarms
 * and attendees.
 */
export function sampleEvent(i: number, origin: Date): { href: string; ics: string } {
  const uid = `bench-${i}@televent.test`;
  const start = new Date(
    origin.getTime() + ((i * 7919) % 730) * dayMs - 365 * dayMs + ((i % 10) + 8) * 3_600_000,
  );
  const zone = zones[i % zones.length] ?? 'UTC';
  const kind = i % 20;
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Televent bench//EN'];
  const body: string[] = ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `SUMMARY:Event ${i}`];
  if (kind < 3) {
    body.push(
      `DTSTART;VALUE=DATE:${dateStamp(start)}`,
      `DTEND;VALUE=DATE:${dateStamp(new Date(start.getTime() + dayMs))}`,
    );
  } else {
    body.push(
      `DTSTART;TZID=${zone}:${localStamp(start)}`,
      `DTEND;TZID=${zone}:${localStamp(new Date(start.getTime() + 3_600_000))}`,
      `LOCATION:Room ${i % 40}`,
    );
  }
  if (kind >= 3 && kind < 6) {
    body.push(
      'RRULE:FREQ=WEEKLY;COUNT=20',
      `EXDATE;TZID=${zone}:${localStamp(new Date(start.getTime() + 7 * dayMs))}`,
    );
  }
  if (kind % 4 === 0)
    body.push('BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:Reminder', 'END:VALARM');
  if (kind % 5 === 0) {
    body.push(
      'ORGANIZER;CN=Alice:mailto:alice@example.org',
      'ATTENDEE;CN=Bob;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@example.org',
      'CATEGORIES:Work',
    );
  }
  body.push('END:VEVENT');
  const override: string[] = [];
  if (kind >= 3 && kind < 6) {
    const moved = new Date(start.getTime() + 14 * dayMs);
    override.push(
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260101T000000Z',
      `RECURRENCE-ID;TZID=${zone}:${localStamp(moved)}`,
      `DTSTART;TZID=${zone}:${localStamp(new Date(moved.getTime() + 2 * 3_600_000))}`,
      `DTEND;TZID=${zone}:${localStamp(new Date(moved.getTime() + 3 * 3_600_000))}`,
      `SUMMARY:Event ${i} (moved)`,
      'END:VEVENT',
    );
  }
  const timeZone =
    kind < 3 ? [] : ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...(timeZoneComponents[zone] ?? []), 'END:VTIMEZONE'];
  return {
    href: `${uid}.ics`,
    ics: `${[...lines, ...timeZone, ...body, ...override, 'END:VCALENDAR'].join('\r\n')}\r\n`,
  };
}

/** Fills the user's calendar with `n` events through the service layer (the CalDAV PUT path). */
export async function seedCalendar(services: AppServices, userId: number, n: number, origin = new Date()) {
  const calendar = await services.calendars.defaultCalendar(userId);
  const hrefs: string[] = [];
  const etags: string[] = [];
  const concurrency = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const { href, ics } = sampleEvent(i, origin);
        const { object } = await services.calendars.putObject(userId, calendar.id, href, ics);
        hrefs[i] = href;
        etags[i] = object.etag;
      }
    }),
  );
  return { calendarId: calendar.id, hrefs, etags };
}
