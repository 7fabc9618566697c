import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { restAndCaldavPerFile } from './rest-caldav-support.ts';
import { expectProblem } from './rest-support.ts';

// Editing and deleting occurrences of a repeating event over REST (scope this / following / all),
// checked through the listing and through what a CalDAV client reads back.

type Occurrence = {
  eventId: string;
  recurrenceId: string | null;
  start: string;
  summary: string;
  etag: string;
};

let userCount = 0;

describe(`REST occurrences of a repeating event [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();

  /** A new user in Berlin with a weekly standup: Mondays 09:00 from 2 March 2026, five times. */
  async function standup() {
    const user = { id: 3100 + ++userCount };
    expect(
      (await suite.server.rest(user, 'PATCH', '/api/me', { payload: { timezone: 'Europe/Berlin' } }))
        .statusCode,
    ).toBe(200);
    const created = await suite.server.rest(user, 'POST', '/api/events', {
      payload: {
        summary: 'Standup',
        start: '2026-03-02T09:00',
        end: '2026-03-02T09:30',
        rrule: 'FREQ=WEEKLY;COUNT=5',
        reminders: [10],
      },
    });
    expect(created.statusCode).toBe(201);
    const event = created.json() as { id: string; etag: string; uid: string };
    return { user, event };
  }

  async function list(user: { id: number }): Promise<Occurrence[]> {
    const response = await suite.server.rest(
      user,
      'GET',
      '/api/events?start=2026-03-01T00:00:00Z&end=2026-04-30T00:00:00Z',
    );
    expect(response.statusCode).toBe(200);
    return response.json().occurrences;
  }

  async function stored(user: { id: number }, uid: string) {
    const response = await suite.server.caldavGet(user.id, `${uid}.ics`);
    expect(response.statusCode).toBe(200);
    return response.body;
  }

  /** Everything a failed request must leave alone: the objects' texts and the sync token. */
  async function snapshot(user: { id: number }) {
    const objects = await suite.database.db
      .selectFrom('calendar_objects')
      .select(['href_name', 'ical'])
      .where('owner_id', '=', user.id)
      .orderBy('href_name')
      .execute();
    const calendars = (await suite.server.rest(user, 'GET', '/api/calendars')).json() as {
      syncRevision: number;
    }[];
    return { objects, syncRevision: calendars[0]?.syncRevision };
  }

  it('lists each occurrence with its recurrenceId, rule, reminders and the series ETag', async () => {
    const { user, event } = await standup();
    const occurrences = await list(user);
    expect(occurrences.map((o) => o.recurrenceId)).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-09T08:00:00.000Z',
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(occurrences[0]).toMatchObject({
      eventId: event.id,
      rrule: 'FREQ=WEEKLY;COUNT=5',
      reminders: [10],
      timezone: 'Europe/Berlin',
      allDay: false,
      etag: event.etag,
      location: null,
      description: null,
      status: null,
    });
  });

  it('changes only this occurrence: a RECURRENCE-ID override that CalDAV clients see', async () => {
    const { user, event } = await standup();
    const response = await suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, {
      headers: { 'if-match': event.etag },
      payload: {
        recurrenceId: '2026-03-16T08:00:00.000Z',
        scope: 'this',
        summary: 'Standup (late)',
        start: '2026-03-16T11:00',
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).not.toBe(event.etag);
    const occurrences = await list(user);
    expect(occurrences.map((o) => [o.start, o.summary])).toEqual([
      ['2026-03-02T08:00:00.000Z', 'Standup'],
      ['2026-03-09T08:00:00.000Z', 'Standup'],
      ['2026-03-16T10:00:00.000Z', 'Standup (late)'],
      ['2026-03-23T08:00:00.000Z', 'Standup'],
      ['2026-03-30T07:00:00.000Z', 'Standup'],
    ]);
    expect(occurrences[2]?.recurrenceId).toBe('2026-03-16T08:00:00.000Z');
    const ical = await stored(user, event.uid);
    expect(ical).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000\r\n');
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20260316T110000\r\n');
    expect(ical).toContain('DTEND;TZID=Europe/Berlin:20260316T113000\r\n');
  });

  it('changes this and following occurrences: the series ends with UNTIL and a new series carries the change', async () => {
    const { user, event } = await standup();
    const response = await suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, {
      payload: { recurrenceId: '2026-03-23T08:00:00.000Z', scope: 'following', summary: 'Standup v2' },
    });
    expect(response.statusCode).toBe(200);
    const tail = response.json() as { id: string; uid: string; rrule: string };
    expect(tail.id).not.toBe(event.id);
    expect(tail.rrule).toBe('FREQ=WEEKLY;COUNT=2');
    const occurrences = await list(user);
    expect(occurrences.map((o) => [o.start, o.summary, o.eventId === event.id])).toEqual([
      ['2026-03-02T08:00:00.000Z', 'Standup', true],
      ['2026-03-09T08:00:00.000Z', 'Standup', true],
      ['2026-03-16T08:00:00.000Z', 'Standup', true],
      ['2026-03-23T08:00:00.000Z', 'Standup v2', false],
      ['2026-03-30T07:00:00.000Z', 'Standup v2', false],
    ]);
    expect(await stored(user, event.uid)).toContain('RRULE:FREQ=WEEKLY;UNTIL=20260323T075959Z\r\n');
    const newSeries = await stored(user, tail.uid);
    expect(newSeries).toContain('DTSTART;TZID=Europe/Berlin:20260323T090000\r\n');
    expect(newSeries).toContain('SUMMARY:Standup v2\r\n');
  });

  it('changes all occurrences from one of them: the whole series moves by as much as that occurrence', async () => {
    const { user, event } = await standup();
    // The fourth Monday moves from 09:00 to 10:15 and lasts an hour; so does every Monday.
    const response = await suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, {
      payload: {
        recurrenceId: '2026-03-23T08:00:00.000Z',
        scope: 'all',
        start: '2026-03-23T10:15',
        end: '2026-03-23T11:15',
      },
    });
    expect(response.statusCode).toBe(200);
    expect((await list(user)).map((o) => o.start)).toEqual([
      '2026-03-02T09:15:00.000Z',
      '2026-03-09T09:15:00.000Z',
      '2026-03-16T09:15:00.000Z',
      '2026-03-23T09:15:00.000Z',
      '2026-03-30T08:15:00.000Z',
    ]);
    const ical = await stored(user, event.uid);
    expect(ical).toContain('DTSTART;TZID=Europe/Berlin:20260302T101500\r\n');
    expect(ical).toContain('DTEND;TZID=Europe/Berlin:20260302T111500\r\n');
  });

  it('deletes this occurrence (EXDATE), this and following (UNTIL), and all', async () => {
    const { user, event } = await standup();
    const url = `/api/events/${event.id}`;
    const removeThis = await suite.server.rest(
      user,
      'DELETE',
      `${url}?recurrenceId=2026-03-09T08:00:00.000Z&scope=this`,
    );
    expect(removeThis.statusCode).toBe(204);
    expect(await stored(user, event.uid)).toMatch(/EXDATE[;:].*20260309T080000Z\r\n/);
    const removeFollowing = await suite.server.rest(
      user,
      'DELETE',
      `${url}?recurrenceId=${encodeURIComponent('2026-03-23T08:00:00.000Z')}&scope=following`,
    );
    expect(removeFollowing.statusCode).toBe(204);
    expect(await stored(user, event.uid)).toContain('UNTIL=20260323T075959Z');
    expect((await list(user)).map((o) => o.start)).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-16T08:00:00.000Z',
    ]);
    const removeAll = await suite.server.rest(
      user,
      'DELETE',
      `${url}?recurrenceId=2026-03-16T08:00:00.000Z&scope=all`,
    );
    expect(removeAll.statusCode).toBe(204);
    expect(await list(user)).toEqual([]);
    expect((await suite.server.caldavGet(user.id, `${event.uid}.ics`)).statusCode).toBe(404);
  });

  it('deleting following from the first occurrence deletes the event', async () => {
    const { user, event } = await standup();
    const response = await suite.server.rest(
      user,
      'DELETE',
      `/api/events/${event.id}?recurrenceId=2026-03-02T08:00:00.000Z&scope=following`,
    );
    expect(response.statusCode).toBe(204);
    expect(await list(user)).toEqual([]);
  });

  it('ignores a scope on a single event and changes or deletes the event itself', async () => {
    const user = { id: 3190 };
    const created = await suite.server.rest(user, 'POST', '/api/events', {
      payload: { summary: 'Once', start: '2026-03-04T10:00:00Z', end: '2026-03-04T11:00:00Z' },
    });
    const event = created.json() as { id: string };
    const patched = await suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, {
      payload: { scope: 'all', recurrenceId: null, summary: 'Just once' },
    });
    expect(patched.json()).toMatchObject({ summary: 'Just once' });
    expect((await suite.server.rest(user, 'DELETE', `/api/events/${event.id}?scope=this`)).statusCode).toBe(
      204,
    );
  });

  it('refuses a stale If-Match with 412 and changes nothing', async () => {
    const { user, event } = await standup();
    await suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, { payload: { location: 'Room 1' } });
    const before = await snapshot(user);
    for (const request of [
      () =>
        suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, {
          headers: { 'if-match': event.etag },
          payload: { recurrenceId: '2026-03-16T08:00:00.000Z', scope: 'following', summary: 'Lost update' },
        }),
      () =>
        suite.server.rest(
          user,
          'DELETE',
          `/api/events/${event.id}?recurrenceId=2026-03-16T08:00:00.000Z&scope=this`,
          {
            headers: { 'if-match': event.etag },
          },
        ),
    ]) {
      expectProblem(await request(), 412, 'etag-mismatch');
    }
    expect(await snapshot(user)).toEqual(before);
  });

  it.each([
    ['recurrenceId', { recurrenceId: '2026-03-10T08:00:00.000Z', scope: 'this', summary: 'x' }],
    ['recurrenceId', { recurrenceId: '2026-04-06T07:00:00.000Z', scope: 'all', summary: 'x' }],
    ['recurrenceId', { scope: 'following', summary: 'x' }],
    ['rrule', { recurrenceId: '2026-03-16T08:00:00.000Z', scope: 'this', rrule: 'FREQ=DAILY' }],
    ['end', { recurrenceId: '2026-03-16T08:00:00.000Z', scope: 'this', end: '2026-03-16T08:00' }],
    ['scope', { recurrenceId: '2026-03-16T08:00:00.000Z', scope: 'some' }],
    ['recurrenceId', { recurrenceId: 'next monday', scope: 'this' }],
  ])('answers 400 naming %s for %j and changes nothing', async (field, payload) => {
    const { user, event } = await standup();
    const before = await snapshot(user);
    const response = await suite.server.rest(user, 'PATCH', `/api/events/${event.id}`, { payload });
    expectProblem(response, 400);
    const problem = response.json() as { field?: string; invalidParams?: { name: string }[] };
    const named = [problem.field, ...(problem.invalidParams ?? []).map((p) => p.name)];
    expect(named).toContainEqual(expect.stringMatching(new RegExp(`(^|\\.)${field}$`)));
    expect(await snapshot(user)).toEqual(before);
  });

  it('answers 400 naming recurrenceId for a DELETE of an instant the series does not have', async () => {
    const { user, event } = await standup();
    const before = await snapshot(user);
    const response = await suite.server.rest(
      user,
      'DELETE',
      `/api/events/${event.id}?recurrenceId=2026-03-03T08:00:00.000Z&scope=this`,
    );
    expectProblem(response, 400);
    expect(response.json()).toMatchObject({ field: 'recurrenceId' });
    expect(await snapshot(user)).toEqual(before);
  });
});
