import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { registerCaldav } from '../../../src/caldav/plugin.ts';
import { loadConfig } from '../../../src/config.ts';
import type { TypedApp } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { describeTables, useCanonicalOutput } from '../../../src/storage/data-transfer/table-catalog.ts';
import { nonEmptyTables, tallyTable } from '../../../src/storage/data-transfer/table-rows.ts';
import type { DatabaseHandle } from '../../../src/storage/database.ts';
import { buildTestServer } from '../http/build-test-server.ts';

/** The real CalDAV door over `database`, signed in as Alice with her device password. */
export interface CaldavClient {
  app: TypedApp;
  request(method: string, url: string, body?: string, depth?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function caldavOver(database: DatabaseHandle, password: string): Promise<CaldavClient> {
  const services = createServices(database.db);
  const { app } = await buildTestServer(database, {
    registerRootRoutes: (root) =>
      registerCaldav(root, { services, config: loadConfig({}), logger: createLogger('silent') }),
  });
  const authorization = `Basic ${Buffer.from(`1001:${password}`).toString('base64')}`;
  return {
    app,
    request: (method, url, body, depth) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization,
          ...(depth ? { depth } : {}),
          ...(body === undefined
            ? {}
            : {
                'content-type': body.startsWith('BEGIN:VCALENDAR')
                  ? 'text/calendar; charset=utf-8'
                  : 'application/xml; charset=utf-8',
              }),
        },
        ...(body === undefined ? {} : { payload: body }),
      }),
    close: () => app.close(),
  };
}

const calendarUrl = '/calendars/1001/default/';

const ics = (lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Transfer test//EN', ...lines, 'END:VCALENDAR', ''].join(
    '\r\n',
  );

/** What a calendar app holds: each object's body and ETag, and the sync token of its last sync. */
export interface ClientState {
  objects: Map<string, { body: string; etag: string }>;
  syncToken: string;
}

export const syncCollection = (token: string) =>
  `<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;

export function syncTokenOf(body: string): string {
  return /<d:sync-token>([^<]*)<\/d:sync-token>/.exec(body)?.[1] ?? '';
}

/** The hrefs a sync-collection answer names, each with its status (200 or 404). */
export function syncMembers(body: string): string[] {
  return [...body.matchAll(/<d:response><d:href>([^<]*)<\/d:href>(.*?)<\/d:response>/g)].map(
    ([, href, rest]) => `${href?.split('/').pop()} ${rest?.includes('404') ? '404' : '200'}`,
  );
}

/**
 * Fills every table of the schema: users with preferences and a device, CalDAV writes (a weekly
 * series with an exception, an EXDATE and an alarm; an all-day event; a task; an event changed
 * twice; one deleted, so the change log holds a tombstone), a group calendar with its share and
 * announcement, a share, an invitation, a feed, a subscription, bot and web sessions, a login link.
 * Returns Alice's device password and her calendar app's state after a full sync.
 */
export async function seedEveryTable(
  database: DatabaseHandle,
): Promise<{ password: string; client: ClientState }> {
  const services = createServices(database.db);
  await services.accounts.ensureUser({ telegramId: 1001, username: 'alice', timeZone: 'Europe/Berlin' });
  await services.accounts.ensureUser({ telegramId: 1002, username: 'bob', timeZone: 'Asia/Tokyo' });
  const { password } = await services.devices.createDevice(1001, 'laptop');
  await services.logins.createLoginLink(1001, 'https://cal.example.org');

  const dav = await caldavOver(database, password);
  try {
    const puts: Array<[string, string]> = [
      [
        'standup.ics',
        ics([
          'BEGIN:VEVENT',
          'UID:standup@transfer',
          'DTSTAMP:20261201T000000Z',
          'DTSTART;TZID=Europe/Berlin:20261207T093000',
          'DURATION:PT15M',
          'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR',
          'EXDATE;TZID=Europe/Berlin:20261209T093000',
          'SUMMARY:Stand-up ☕ — «daily»',
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          'TRIGGER:-PT10M',
          'DESCRIPTION:Stand-up',
          'END:VALARM',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:standup@transfer',
          'RECURRENCE-ID;TZID=Europe/Berlin:20261211T093000',
          'DTSTAMP:20261201T000000Z',
          'DTSTART;TZID=Europe/Berlin:20261211T100000',
          'DURATION:PT30M',
          'SUMMARY:Stand-up (long)',
          'END:VEVENT',
        ]),
      ],
      [
        'holiday.ics',
        ics([
          'BEGIN:VEVENT',
          'UID:holiday@transfer',
          'DTSTAMP:20261201T000000Z',
          'DTSTART;VALUE=DATE:20261224',
          'DTEND;VALUE=DATE:20261227',
          'SUMMARY:Holidays',
          'DESCRIPTION:Line one\\nline two\\, with a comma',
          'END:VEVENT',
        ]),
      ],
      [
        'taxes.ics',
        ics([
          'BEGIN:VTODO',
          'UID:taxes@transfer',
          'DTSTAMP:20261201T000000Z',
          'DUE;VALUE=DATE:20261231',
          'SUMMARY:Taxes',
          'END:VTODO',
        ]),
      ],
      [
        'dentist.ics',
        ics([
          'BEGIN:VEVENT',
          'UID:dentist@transfer',
          'DTSTAMP:20261201T000000Z',
          'DTSTART:20261215T140000Z',
          'DTEND:20261215T150000Z',
          'SUMMARY:Dentist',
          'END:VEVENT',
        ]),
      ],
      [
        'dentist.ics',
        ics([
          'BEGIN:VEVENT',
          'UID:dentist@transfer',
          'DTSTAMP:20261202T000000Z',
          'DTSTART:20261215T150000Z',
          'DTEND:20261215T160000Z',
          'SUMMARY:Dentist (moved)',
          'SEQUENCE:1',
          'END:VEVENT',
        ]),
      ],
      [
        'gone.ics',
        ics([
          'BEGIN:VEVENT',
          'UID:gone@transfer',
          'DTSTAMP:20261201T000000Z',
          'DTSTART:20261216T140000Z',
          'DTEND:20261216T150000Z',
          'SUMMARY:Cancelled',
          'END:VEVENT',
        ]),
      ],
    ];
    for (const [name, body] of puts) {
      expect((await dav.request('PUT', `${calendarUrl}${name}`, body)).statusCode).toBeLessThan(300);
    }
    expect((await dav.request('DELETE', `${calendarUrl}gone.ics`)).statusCode).toBe(204);
    const client = await fullSync(dav);

    const aliceCalendar = (await services.calendars.defaultCalendar(1001)).id;
    const { group } = await services.groups.create(
      { chatId: -4_100_001, title: 'Book club' },
      {
        telegramId: 1001,
        admin: true,
      },
    );
    const db = database.db;
    await db
      .insertInto('group_announcements')
      .values({
        group_id: group.groupId,
        href_name: 'meeting.ics',
        operation: 'created',
        actor_id: 1001,
        summary: 'Meeting',
      })
      .execute();
    await db
      .insertInto('calendar_shares')
      .values({
        calendar_id: aliceCalendar,
        owner_id: 1001,
        sharee_id: 1002,
        access: 'read',
        status: 'accepted',
        slug: 'alice',
        invite_token_hash: null,
        accepted_at: new Date(),
      })
      .execute();
    await db
      .insertInto('event_invitations')
      .values({
        organizer_id: 1001,
        calendar_id: aliceCalendar,
        uid: 'dentist@transfer',
        organizer_address: 'mailto:1001@telegram.invalid',
        attendee_address: 'mailto:carol@example.org',
        attendee_id: null,
        attendee_name: 'Carol',
        summary: 'Dentist (moved)',
        start_at: new Date('2026-12-15T15:00:00Z'),
        fingerprint: 'f1',
      })
      .execute();
    await db
      .insertInto('calendar_feeds')
      .values({ calendar_id: aliceCalendar, token_hash: 'a'.repeat(64) })
      .execute();
    const holidays = await db
      .insertInto('calendars')
      .values({ owner_id: 1001, slug: 'holidays', name: 'Holidays (feed)' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('calendar_subscriptions')
      .values({
        calendar_id: holidays.id,
        url: 'https://example.org/holidays.ics',
        refresh_interval_seconds: 3600,
      })
      .execute();
    await db
      .insertInto('bot_sessions')
      .values({ key: '1001', value: JSON.stringify({ step: 'edit', big: 9007199254740993n.toString() }) })
      .execute();
    await sql`insert into web_sessions (token_hash, user_id, expires_at)
      values (${'b'.repeat(64)}, 1001, now() + interval '7 days 0.123456 seconds')`.execute(db);
    return { password, client };
  } finally {
    await dav.close();
  }
}

/** A calendar app's first sync: every member's body and ETag, and the token. */
export async function fullSync(dav: CaldavClient): Promise<ClientState> {
  const answer = await dav.request('REPORT', calendarUrl, syncCollection(''), '1');
  expect(answer.statusCode).toBe(207);
  const objects = new Map<string, { body: string; etag: string }>();
  for (const member of syncMembers(answer.body)) {
    const name = member.split(' ')[0] ?? '';
    const got = await dav.request('GET', `${calendarUrl}${name}`);
    objects.set(name, { body: got.body, etag: String(got.headers.etag) });
  }
  return { objects, syncToken: syncTokenOf(answer.body) };
}

/**
 * What a calendar app notices on `database` after a move or restore: its next sync-collection with
 * its old token reports nothing, every object comes back byte for byte with its ETag, and a new
 * write is reported alone (the change log, revisions and identity columns carry on).
 */
export async function expectCalendarAppCarriesOn(
  database: DatabaseHandle,
  password: string,
  before: ClientState,
): Promise<void> {
  const dav = await caldavOver(database, password);
  try {
    const next = await dav.request('REPORT', calendarUrl, syncCollection(before.syncToken), '1');
    expect(next.statusCode).toBe(207);
    expect(syncMembers(next.body)).toEqual([]);
    expect(syncTokenOf(next.body)).toBe(before.syncToken);
    for (const [name, { body, etag }] of before.objects) {
      const got = await dav.request('GET', `${calendarUrl}${name}`);
      expect(got.statusCode).toBe(200);
      expect(got.body).toBe(body);
      expect(got.headers.etag).toBe(etag);
    }
    const later = ics([
      'BEGIN:VEVENT',
      'UID:later@transfer',
      'DTSTAMP:20261203T000000Z',
      'DTSTART:20261217T090000Z',
      'DTEND:20261217T100000Z',
      'SUMMARY:After',
      'END:VEVENT',
    ]);
    expect((await dav.request('PUT', `${calendarUrl}later.ics`, later)).statusCode).toBe(201);
    const after = await dav.request('REPORT', calendarUrl, syncCollection(before.syncToken), '1');
    expect(syncMembers(after.body)).toEqual(['later.ics 200']);
  } finally {
    await dav.close();
  }
}

/** Each table's count and checksum as the database holds it now. */
export async function tallies(database: DatabaseHandle) {
  return database.db.transaction().execute(async (trx) => {
    await useCanonicalOutput(trx);
    const result = [];
    for (const table of await describeTables(trx)) result.push(await tallyTable(trx, table));
    return result;
  });
}

/** The seed reached every table: a table a new migration adds must be seeded here too. */
export async function expectEveryTableSeeded(database: DatabaseHandle): Promise<void> {
  const tables = await describeTables(database.db);
  const filled = new Set((await nonEmptyTables(database.db, tables)).map((t) => t.table));
  expect(tables.map((t) => t.name).filter((name) => !filled.has(name))).toEqual([]);
}
