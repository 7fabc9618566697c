import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

// A replace with one exact If-Match ETag — what calendar apps send — is written in one statement
// (app/object-writes.ts, replaceObjectInOneStatement) unless it needs what only the transaction
// does; either way the rows and refusals are the same. A write re-plans reminders only when one of
// its versions may have a reminder that matters now (app/reminder-planning.ts, mayHaveReminders).

const alice = 1001;
const bob = 1002;
const dayMs = 86_400_000;

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function eventText(
  uid: string,
  start: Date,
  extra: { summary?: string; lines?: string[]; component?: 'VEVENT' | 'VTODO' } = {},
): string {
  const component = extra.component ?? 'VEVENT';
  const when =
    component === 'VEVENT'
      ? [`DTSTART:${stamp(start)}`, `DTEND:${stamp(new Date(start.getTime() + 3_600_000))}`]
      : [`DUE:${stamp(start)}`];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Televent tests//EN',
    `BEGIN:${component}`,
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    ...when,
    `SUMMARY:${extra.summary ?? 'Planning'}`,
    ...(extra.lines ?? []),
    `END:${component}`,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Soon', 'TRIGGER:-PT15M', 'END:VALARM'];
const attendee = [
  'ORGANIZER:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com',
];

describe(`One-statement replace and re-planning only where it matters [${testEngine}]`, () => {
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

  async function jobsAt(rev: number): Promise<string[]> {
    const rows = await database.db
      .selectFrom('outbox_messages')
      .select('kind')
      .where('dedupe_key', 'like', `%:${calendarId}:${rev}`)
      .orderBy('kind')
      .execute();
    return rows.map((r) => r.kind);
  }

  async function changesAt(rev: number) {
    return database.db
      .selectFrom('calendar_changes')
      .select(['href_name', 'operation'])
      .where('calendar_id', '=', calendarId)
      .where('revision', '=', rev)
      .execute();
  }

  async function put(userId: number, href: string, text: string, ifMatch?: string) {
    return services.calendars.putObject(
      userId,
      calendarId,
      href,
      text,
      ifMatch ? { ifMatch } : { ifNoneMatch: '*' },
    );
  }

  it('replaces with the revision, change row and re-planning job of a transaction', async () => {
    const soon = new Date(Date.now() + dayMs);
    const created = await put(alice, 'soon.ics', eventText('soon', soon));
    const before = await revision();
    const replaced = await put(
      alice,
      'soon.ics',
      eventText('soon', soon, { summary: 'Moved' }),
      created.object.etag,
    );
    expect(replaced.created).toBe(false);
    expect(replaced.object).toMatchObject({ summary: 'Moved', revision: before + 1 });
    expect(await revision()).toBe(before + 1);
    expect(await changesAt(before + 1)).toEqual([{ href_name: 'soon.ics', operation: 'modified' }]);
    const job = await database.db
      .selectFrom('outbox_messages')
      .select(['kind', 'payload', 'user_id'])
      .where('dedupe_key', '=', `calendar.object-changed:${calendarId}:${before + 1}`)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({
      kind: 'calendar.object-changed',
      user_id: alice,
      payload: {
        userId: alice,
        calendarId,
        hrefName: 'soon.ics',
        operation: 'modified',
        revision: before + 1,
        objectId: created.object.id,
      },
    });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['operation', 'changed_columns'])
      .where('row_key', '=', created.object.id)
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toMatchObject({ operation: 'update' });
    expect(audit.at(-1)?.changed_columns).toContain('summary');
    // The calendar's revision bump is no audit row of its own: the object's row says it all.
    const calendarAudit = await database.db
      .selectFrom('audit_log')
      .select('changed_columns')
      .where('table_name', '=', 'calendars')
      .where('row_key', '=', calendarId)
      .execute();
    expect(calendarAudit.filter((row) => row.changed_columns.includes('sync_revision'))).toEqual([]);
  });

  it('refuses a stale ETag, a changed UID and a component the calendar does not take, writing nothing', async () => {
    const created = await put(alice, 'kept.ics', eventText('kept', new Date(Date.now() + 3 * dayMs)));
    const before = await revision();
    // Each attempt starts only after the one before was refused: started together, a refusal
    // could arrive while an earlier one is still awaited and count as unhandled.
    const refusals: Array<[string, () => Promise<unknown>]> = [
      ['etag-mismatch', () => put(alice, 'kept.ics', eventText('kept', new Date()), '"not-the-stored-tag"')],
      ['uid-conflict', () => put(alice, 'kept.ics', eventText('other-uid', new Date()), created.object.etag)],
      [
        'etag-mismatch',
        () => put(alice, 'missing.ics', eventText('missing', new Date()), created.object.etag),
      ],
    ];
    for (const [reason, attempt] of refusals) {
      await expect(attempt()).rejects.toMatchObject({ name: 'AppError', reason });
    }
    await database.db
      .updateTable('calendars')
      .set({ supported_components: ['VEVENT'] })
      .where('id', '=', calendarId)
      .execute();
    const noTasks = await revision();
    await expect(
      put(alice, 'kept.ics', eventText('kept', new Date(), { component: 'VTODO' }), created.object.etag),
    ).rejects.toMatchObject({ reason: 'unsupported-component' });
    await database.db
      .updateTable('calendars')
      .set({ supported_components: ['VEVENT', 'VTODO'] })
      .where('id', '=', calendarId)
      .execute();
    expect(noTasks).toBe(before);
    expect(await revision()).toBe(before);
    expect(await changesAt(before + 1)).toEqual([]);
    const stored = await services.calendars.getObject(alice, calendarId, 'kept.ics');
    expect(stored.etag).toBe(created.object.etag);
  });

  it('lets only one of two replaces with the same ETag through; the other gets etag-mismatch', async () => {
    const created = await put(alice, 'race.ics', eventText('race', new Date(Date.now() + 2 * dayMs)));
    const before = await revision();
    const results = await Promise.allSettled([
      put(alice, 'race.ics', eventText('race', new Date(), { summary: 'First' }), created.object.etag),
      put(alice, 'race.ics', eventText('race', new Date(), { summary: 'Second' }), created.object.etag),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { reason: 'etag-mismatch' },
    });
    expect(await revision()).toBe(before + 1);
  });

  it('still hands a replace of an event with attendees to the scheduler, and lets a sharee with write access replace', async () => {
    const far = new Date(Date.now() + 200 * dayMs);
    const created = await put(alice, 'meeting.ics', eventText('meeting', far, { lines: attendee }));
    const kept = await put(
      alice,
      'meeting.ics',
      eventText('meeting', far, { summary: 'Agenda', lines: attendee }),
      created.object.etag,
    );
    const scheduled = await database.db
      .selectFrom('outbox_messages')
      .select(['payload', 'user_id'])
      .where('dedupe_key', '=', `invitations.object-changed:${calendarId}:${kept.object.revision}`)
      .executeTakeFirstOrThrow();
    expect(scheduled).toEqual({
      user_id: alice,
      payload: {
        calendarId,
        ownerId: alice,
        writerId: alice,
        uid: 'meeting',
        hrefName: 'meeting.ics',
        deleted: false,
      },
    });
    const invited = kept;
    // The new version has no attendee left: the scheduler must still see that Bob was dropped.
    const before = await revision();
    await put(alice, 'meeting.ics', eventText('meeting', far, { summary: 'Alone' }), invited.object.etag);
    expect(await jobsAt(before + 1)).toContain('invitations.object-changed');

    const share = await services.sharing.share(alice, calendarId, { telegramId: bob }, 'write');
    await services.sharing.accept(bob, share.id);
    const current = await services.calendars.getObject(alice, calendarId, 'meeting.ics');
    const byBob = await put(
      bob,
      'meeting.ics',
      eventText('meeting', far, { summary: 'Bob was here' }),
      current.etag,
    );
    expect(byBob.object.summary).toBe('Bob was here');
    await services.sharing.changeAccess(alice, calendarId, share.id, 'read');
    await expect(
      put(bob, 'meeting.ics', eventText('meeting', far, { summary: 'Again' }), byBob.object.etag),
    ).rejects.toMatchObject({ reason: 'calendar-shared-read-only' });
  });

  it('goes straight to the transaction where the caller says the one statement cannot write, with the same refusal', async () => {
    // Statements the services run, counted as their results come back.
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements++;
        return args.result;
      },
    };
    const counted = createServices(database.db.withPlugin(counting)).calendars;
    const created = await put(alice, 'straight.ics', eventText('straight', new Date(Date.now() + 5 * dayMs)));
    const stale = eventText('straight', new Date(), { summary: 'Stale' });
    const attempt = async (options: { oneStatement?: boolean }) => {
      statements = 0;
      await expect(
        counted.putObject(alice, calendarId, 'straight.ics', stale, { ifMatch: '"stale"' }, options),
      ).rejects.toMatchObject({ reason: 'etag-mismatch' });
      return statements;
    };
    const tryingFirst = await attempt({});
    const straight = await attempt({ oneStatement: false });
    expect(straight).toBe(tryingFirst - 1);
    const stored = await services.calendars.getObject(alice, calendarId, 'straight.ics');
    expect(stored.etag).toBe(created.object.etag);
  });

  it('re-plans reminders when a version may have one that matters now, and not for events far away', async () => {
    const far = new Date(Date.now() + 200 * dayMs);
    const soon = new Date(Date.now() + 3_600_000);
    let rev = await revision();
    const created = await put(alice, 'far.ics', eventText('far', far));
    expect(await jobsAt(++rev)).toEqual([]);
    const edited = await put(
      alice,
      'far.ics',
      eventText('far', far, { summary: 'Still far' }),
      created.object.etag,
    );
    expect(await jobsAt(++rev)).toEqual([]);
    // A relative alarm like a default reminder reaches no further; an absolute or far one may.
    const relative = await put(alice, 'far.ics', eventText('far', far, { lines: alarm }), edited.object.etag);
    expect(await jobsAt(++rev)).toEqual([]);
    const absolute = [
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Then',
      `TRIGGER;VALUE=DATE-TIME:${stamp(soon)}`,
      'END:VALARM',
    ];
    const withAbsolute = await put(
      alice,
      'far.ics',
      eventText('far', far, { lines: absolute }),
      relative.object.etag,
    );
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
    const longLead = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Early', 'TRIGGER:-P30D', 'END:VALARM'];
    const withLongLead = await put(
      alice,
      'far.ics',
      eventText('far', far, { lines: longLead }),
      withAbsolute.object.etag,
    );
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
    // Brought near: its default reminder is due soon, and once planned it is pending.
    const near = await put(alice, 'far.ics', eventText('far', soon), withLongLead.object.etag);
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
    const window = { start: new Date(Date.now() - 600_000), end: new Date(Date.now() + 2 * dayMs) };
    expect(
      (await services.reminderPlanning.planEvent({ userId: alice, objectId: near.object.id }, window))
        .planned,
    ).toBe(1);
    // Sent far again: the pending reminder must go, so the write is re-planned.
    const away = await put(alice, 'far.ics', eventText('far', far), near.object.etag);
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
    expect(
      (await services.reminderPlanning.planEvent({ userId: alice, objectId: near.object.id }, window))
        .cancelled,
    ).toBe(1);
    await put(alice, 'far.ics', eventText('far', far, { summary: 'Far again' }), away.object.etag);
    expect(await jobsAt(++rev)).toEqual([]);
    await put(alice, 'task.ics', eventText('task', far, { component: 'VTODO' }));
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
    // Deleting: re-planned only when the deleted version could have had a reminder.
    await services.calendars.deleteObject(alice, calendarId, 'far.ics');
    expect(await jobsAt(++rev)).toEqual([]);
    await put(alice, 'near.ics', eventText('near', soon));
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
    await services.calendars.deleteObject(alice, calendarId, 'near.ics');
    expect(await jobsAt(++rev)).toEqual(['calendar.object-changed']);
  });
});
