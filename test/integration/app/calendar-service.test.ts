import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/app/errors.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { icalFixture } from '../../fixtures/ical/index.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

const alice = 1001;
const bob = 1002;

const appleEvent = icalFixture('apple-calendar-moved-instance');

function expectAppError(reason: string) {
  return expect.objectContaining({ name: 'AppError', reason }) as unknown as AppError;
}

describe(`CalendarService [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;
  let calendarId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db);
    await services.accounts.ensureUser({ telegramId: alice, username: 'alice', timeZone: 'Europe/Berlin' });
    await services.accounts.ensureUser({ telegramId: bob, username: 'bob' });
    calendarId = (await services.calendars.defaultCalendar(alice)).id;
  });
  afterAll(async () => {
    await database.close();
  });

  async function revision(): Promise<number> {
    const row = await database.db
      .selectFrom('calendars')
      .select('sync_revision')
      .where('id', '=', calendarId)
      .executeTakeFirstOrThrow();
    return row.sync_revision;
  }

  it('creates an event with TZID and VTIMEZONE, bumping the revision with a change row, audit row and outbox job', async () => {
    const before = await revision();
    // Written the day before: its reminder matters now, so the write is re-planned.
    const dayBefore = createServices(database.db, { now: () => new Date('2026-03-09T12:00:00Z') });
    const event = await dayBefore.calendars.createEvent(alice, {
      summary: 'Dentist',
      start: new Date('2026-03-10T14:00:00Z'),
      end: new Date('2026-03-10T15:00:00Z'),
      reminders: [30],
    });
    expect(event.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(event.timeZone).toBe('Europe/Berlin');
    expect(event.reminders).toEqual([30]);
    const stored = await services.calendars.getObject(alice, calendarId, event.href);
    expect(stored.ical).toContain('DTSTART;TZID=Europe/Berlin:20260310T150000');
    expect(stored.ical).toContain('BEGIN:VTIMEZONE');

    expect(await revision()).toBe(before + 1);
    const change = await database.db
      .selectFrom('calendar_changes')
      .selectAll()
      .where('calendar_id', '=', calendarId)
      .where('revision', '=', before + 1)
      .executeTakeFirstOrThrow();
    expect(change).toMatchObject({ href_name: event.href, operation: 'created' });
    const audit = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('table_name', '=', 'calendar_objects')
      .where('row_key', '=', event.id)
      .execute();
    expect(audit.map((a) => a.operation)).toEqual(['insert']);
    expect(audit[0]?.user_id).toBe(alice);
    const job = await database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('dedupe_key', '=', `calendar.object-changed:${calendarId}:${before + 1}`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ kind: 'calendar.object-changed', status: 'pending', user_id: alice });
  });

  it('keeps a client’s alarms, attendees and X- properties when the summary is edited through the service', async () => {
    const { object } = await services.calendars.putObject(alice, calendarId, 'apple-1.ics', appleEvent, {
      ifNoneMatch: '*',
    });
    expect(object.ical).toBe(appleEvent);
    const edited = await services.calendars.updateEvent(alice, object.id, { summary: 'Team standup' });
    const stored = await services.calendars.getObject(alice, calendarId, 'apple-1.ics');
    expect(stored.summary).toBe('Team standup');
    expect(edited.etag).not.toBe(object.etag);
    for (const kept of [
      'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
      'ATTENDEE;CN=Bob Meyer;CUTYPE=INDIVIDUAL;EMAIL=bob@example.com;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com',
      'CATEGORIES:Work,Planning',
      'ACTION:AUDIO',
      'X-WR-ALARMUID:8F2A3B4C-AAAA-BBBB-CCCC-DDDDEEEEFFFF',
      'X-APPLE-EWS-BUSYSTATUS:BUSY',
      'SUMMARY:Team sync (moved)',
    ]) {
      // RFC 5545 §3.1: a long line may come back folded (unfold before comparing), and a parameter
      // value needs no quotes unless it holds ":", ";" or "," (§3.2), so they may be dropped.
      expect(stored.ical.replace(/\r\n[ \t]/g, '')).toContain(kept);
    }
    expect(stored.sequence).toBe(3);
  });

  it('refuses an update with a stale ETag and leaves the stored event untouched', async () => {
    const event = await services.calendars.createEvent(alice, {
      summary: 'Original',
      start: new Date('2026-04-01T08:00:00Z'),
      end: new Date('2026-04-01T09:00:00Z'),
    });
    await services.calendars.updateEvent(
      alice,
      event.id,
      { summary: 'First writer' },
      { ifMatch: event.etag },
    );
    await expect(
      services.calendars.updateEvent(alice, event.id, { summary: 'Second writer' }, { ifMatch: event.etag }),
    ).rejects.toThrow(expectAppError('etag-mismatch'));
    expect((await services.calendars.getEvent(alice, event.id)).summary).toBe('First writer');
  });

  it('stores each of several PUTs of one new href sent at once, at a revision of its own, the last one kept', async () => {
    const before = await revision();
    const version = (n: number) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'BEGIN:VEVENT',
        'UID:same-time@test',
        'DTSTAMP:20260101T000000Z',
        'DTSTART:20260501T080000Z',
        `SUMMARY:Version ${n}`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    const writes = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        services.calendars.putObject(alice, calendarId, 'same-time.ics', version(n)),
      ),
    );
    expect(writes.filter((w) => w.created)).toHaveLength(1);
    expect(await revision()).toBe(before + 6);
    const changes = await database.db
      .selectFrom('calendar_changes')
      .select(['revision', 'operation'])
      .where('calendar_id', '=', calendarId)
      .where('revision', '>', before)
      .orderBy('revision')
      .execute();
    expect(changes.map((c) => c.operation)).toEqual(['created', ...Array(5).fill('modified')]);
    const stored = await database.db
      .selectFrom('calendar_objects')
      .select(['revision', 'etag'])
      .where('calendar_id', '=', calendarId)
      .where('href_name', '=', 'same-time.ics')
      .executeTakeFirstOrThrow();
    expect(stored.revision).toBe(before + 6);
    expect(writes.map((w) => w.object.etag)).toContain(stored.etag);
  });

  it('refuses a second object with the same UID at another href', async () => {
    await expect(
      services.calendars.putObject(alice, calendarId, 'other-name.ics', appleEvent, { ifNoneMatch: '*' }),
    ).rejects.toThrow(expectAppError('uid-conflict'));
  });

  it('refuses invalid iCalendar with a readable reason and stores nothing', async () => {
    const before = await revision();
    await expect(
      services.calendars.putObject(alice, calendarId, 'broken.ics', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'),
    ).rejects.toThrow(expectAppError('invalid-calendar-data'));
    expect(await revision()).toBe(before);
  });

  it('hides another user’s event as not found', async () => {
    const event = await services.calendars.createEvent(alice, {
      summary: 'Private',
      start: new Date('2026-05-01T08:00:00Z'),
      end: new Date('2026-05-01T09:00:00Z'),
    });
    await expect(services.calendars.getEvent(bob, event.id)).rejects.toThrow(
      expectAppError('event-not-found'),
    );
    await expect(services.calendars.deleteEvent(bob, event.id)).rejects.toThrow(
      expectAppError('event-not-found'),
    );
    expect((await services.calendars.getEvent(alice, event.id)).summary).toBe('Private');
  });

  it('lists a weekly series as occurrences in local time across the DST change', async () => {
    await services.calendars.createEvent(alice, {
      summary: 'Yoga',
      start: new Date('2026-03-19T08:00:00Z'), // Thursday 09:00 in Berlin (CET)
      end: new Date('2026-03-19T09:00:00Z'),
      rrule: 'FREQ=WEEKLY;COUNT=4',
    });
    const { occurrences } = await services.calendars.listOccurrences(alice, {
      start: new Date('2026-03-16T00:00:00Z'),
      end: new Date('2026-04-13T00:00:00Z'),
    });
    const yoga = occurrences.filter((o) => o.summary === 'Yoga').map((o) => o.start.toISOString());
    // 09:00 Berlin is 08:00Z before 29 March and 07:00Z after it.
    expect(yoga).toEqual([
      '2026-03-19T08:00:00.000Z',
      '2026-03-26T08:00:00.000Z',
      '2026-04-02T07:00:00.000Z',
      '2026-04-09T07:00:00.000Z',
    ]);
  });

  it('deletes with a tombstone in the change log', async () => {
    const event = await services.calendars.createEvent(alice, {
      summary: 'Temporary',
      start: new Date('2026-06-01T08:00:00Z'),
      end: new Date('2026-06-01T09:00:00Z'),
    });
    await services.calendars.deleteEvent(alice, event.id, { ifMatch: event.etag });
    await expect(services.calendars.getEvent(alice, event.id)).rejects.toThrow(
      expectAppError('event-not-found'),
    );
    const tombstone = await database.db
      .selectFrom('calendar_changes')
      .selectAll()
      .where('calendar_id', '=', calendarId)
      .where('href_name', '=', event.href)
      .orderBy('revision', 'desc')
      .executeTakeFirstOrThrow();
    expect(tombstone.operation).toBe('deleted');
  });

  it('rejects an error from the service as an AppError kind the doors can map', async () => {
    const error = await services.calendars.getEvent(alice, 'not-a-uuid').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('not-found');
  });
});
