import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvitationService } from '../../../src/app/invitations.ts';
import { type AppServices, createServices } from '../../../src/app/services.ts';
import { attendeeLine } from '../../support/ical-lines.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';

// Anyone may name any Telegram user's address in an event (issue 14 item 3): one organizer's
// invitations per day are bounded, so an account cannot turn events into a stream of messages.

describe(`invitations per organizer and day [${testEngine}]`, () => {
  let database: TestDatabase;
  let services: AppServices;

  beforeAll(async () => {
    database = await openTestDatabase();
    services = createServices(database.db);
    for (const id of [6101, 6102, 6103, 6104]) await services.accounts.ensureUser({ telegramId: id });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('invites up to the day’s limit and records the rest as not delivered, messaging nobody else', async () => {
    const limited = new InvitationService({
      db: database.db,
      preferences: services.preferences,
      calendars: services.calendars,
      dailyInvitations: 2,
    });
    const calendar = await services.calendars.defaultCalendar(6101);
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//limits test//EN',
      'BEGIN:VEVENT',
      'UID:spam-1',
      'DTSTAMP:20261201T000000Z',
      'DTSTART:20261220T100000Z',
      'DTEND:20261220T110000Z',
      'SUMMARY:Free prizes',
      'ORGANIZER:mailto:6101@telegram.invalid',
      'ATTENDEE:mailto:6102@telegram.invalid',
      'ATTENDEE:mailto:6103@telegram.invalid',
      'ATTENDEE:mailto:6104@telegram.invalid',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await services.calendars.putObject(6101, calendar.id, 'spam.ics', text);
    await limited.process({
      calendarId: calendar.id,
      ownerId: 6101,
      writerId: 6101,
      uid: 'spam-1',
      hrefName: 'spam.ics',
      deleted: false,
    });
    const invited = await Promise.all([6102, 6103, 6104].map((id) => limited.invitationsFor(id)));
    expect(invited.map((list) => list.length)).toEqual([1, 1, 0]);
    const notices = await database.db
      .selectFrom('outbox_messages')
      .select('payload')
      .where('kind', '=', 'invitation.notice')
      .execute();
    expect(notices.map((n) => (n.payload as { recipientId: number }).recipientId).sort()).toEqual([
      6102, 6103,
    ]);
    const stored = (await services.calendars.getObject(6101, calendar.id, 'spam.ics')).ical;
    expect(attendeeLine(stored, 'mailto:6102@telegram.invalid')).toContain('SCHEDULE-STATUS=1.2');
    expect(attendeeLine(stored, 'mailto:6104@telegram.invalid')).toContain('SCHEDULE-STATUS=5.1');
  });
});
