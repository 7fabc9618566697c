import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { restAndCaldavPerFile } from './rest-caldav-support.ts';

// All-day events are dates, not instants: they must read the same in every zone. Listings used to
// show them one day early everywhere east of UTC (the UTC date of a local midnight).

const zones = ['Asia/Tokyo', 'Europe/Berlin', 'America/Los_Angeles', 'Pacific/Auckland', 'UTC'];

describe(`REST all-day dates east and west of UTC [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();

  const userIn = async (index: number, timezone: string) => {
    const user = { id: 3300 + index };
    const me = await suite.server.rest(user, 'PATCH', '/api/me', { payload: { timezone } });
    expect(me.statusCode).toBe(200);
    return user;
  };

  async function listJuly(user: { id: number }) {
    const response = await suite.server.rest(user, 'GET', '/api/events?start=2026-06-25&end=2026-07-20');
    expect(response.statusCode).toBe(200);
    return response.json().occurrences as Array<{
      eventId: string;
      recurrenceId: string | null;
      start: string;
      end: string;
      allDay: boolean;
      summary: string;
    }>;
  }

  it.each(zones.map((zone, index) => [zone, index] as const))(
    'lists, patches and moves all-day dates as written in %s',
    async (zone, index) => {
      const user = await userIn(index, zone);
      const holiday = await suite.server.rest(user, 'POST', '/api/events', {
        payload: { summary: 'Holiday', start: '2026-07-01', end: '2026-07-03', allDay: true },
      });
      expect(holiday.statusCode).toBe(201);
      const series = await suite.server.rest(user, 'POST', '/api/events', {
        payload: {
          summary: 'Bins',
          start: '2026-07-06',
          end: '2026-07-07',
          allDay: true,
          rrule: 'FREQ=WEEKLY;COUNT=2',
        },
      });
      expect(series.statusCode).toBe(201);
      let listed = await listJuly(user);
      expect(listed.map((o) => [o.summary, o.start, o.end, o.recurrenceId, o.allDay])).toEqual([
        ['Holiday', '2026-07-01', '2026-07-03', null, true],
        ['Bins', '2026-07-06', '2026-07-07', '2026-07-06', true],
        ['Bins', '2026-07-13', '2026-07-14', '2026-07-13', true],
      ]);

      // A calendar app reads the dates as written.
      const ical = (await suite.server.caldavGet(user.id, `${holiday.json().uid}.ics`)).body;
      expect(ical).toContain('DTSTART;VALUE=DATE:20260701\r\n');
      expect(ical).toContain('DTEND;VALUE=DATE:20260703\r\n');

      // Changing the dates keeps them as given.
      const moved = await suite.server.rest(user, 'PATCH', `/api/events/${holiday.json().id}`, {
        payload: { start: '2026-07-02', end: '2026-07-05' },
      });
      expect(moved.json()).toMatchObject({ start: '2026-07-02', end: '2026-07-05', allDay: true });
      // One occurrence of the series, named by the date the listing gave.
      const second = listed[2];
      const shifted = await suite.server.rest(user, 'PATCH', `/api/events/${second?.eventId}`, {
        payload: {
          recurrenceId: second?.recurrenceId,
          scope: 'this',
          start: '2026-07-15',
          end: '2026-07-16',
        },
      });
      expect(shifted.statusCode).toBe(200);
      listed = await listJuly(user);
      expect(listed.map((o) => [o.summary, o.start, o.end, o.recurrenceId])).toEqual([
        ['Holiday', '2026-07-02', '2026-07-05', null],
        ['Bins', '2026-07-06', '2026-07-07', '2026-07-06'],
        ['Bins', '2026-07-15', '2026-07-16', '2026-07-13'],
      ]);
      const seriesIcal = (await suite.server.caldavGet(user.id, `${series.json().uid}.ics`)).body;
      expect(seriesIcal).toContain('RECURRENCE-ID;VALUE=DATE:20260713\r\n');
      expect(seriesIcal).toContain('DTSTART;VALUE=DATE:20260715\r\n');

      // Deleting it by the same date leaves an EXDATE of that date.
      const removed = await suite.server.rest(
        user,
        'DELETE',
        `/api/events/${second?.eventId}?recurrenceId=2026-07-13&scope=this`,
      );
      expect(removed.statusCode).toBe(204);
      expect((await suite.server.caldavGet(user.id, `${series.json().uid}.ics`)).body).toContain(
        'EXDATE;VALUE=DATE:20260713\r\n',
      );
    },
  );

  it('lists an all-day event a calendar app stored by its dates in Tokyo', async () => {
    const user = await userIn(20, 'Asia/Tokyo');
    const calendar = await suite.server.services.calendars.defaultCalendar(user.id);
    await suite.server.services.calendars.putObject(
      user.id,
      calendar.id,
      'trip.ics',
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'BEGIN:VEVENT',
        'UID:trip@test',
        'DTSTAMP:20260601T000000Z',
        'DTSTART;VALUE=DATE:20260710',
        'DTEND;VALUE=DATE:20260712',
        'SUMMARY:Trip',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    const [trip] = await listJuly(user);
    expect(trip).toMatchObject({ summary: 'Trip', start: '2026-07-10', end: '2026-07-12', allDay: true });
  });
});
