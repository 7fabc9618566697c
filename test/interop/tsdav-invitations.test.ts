import { calendarMultiGet, type DAVCalendar, type DAVClient } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../src/worker/run-worker.ts';
import { attendeeLine, unfold } from '../support/ical-lines.ts';
import { startInProcessWorker } from '../support/in-process-worker.ts';
import { testEngine } from '../support/test-database.ts';
import { type RunningCaldavServer, startCaldavServer } from './support/start-caldav-server.ts';
import { tsdavClient } from './support/tsdav-client.ts';

// An invitation between two tsdav clients (issue 14 items 3 and 5): the organizer's client stores
// an event with an ATTENDEE (as Apple Calendar writes one, with the address the server gave it in
// calendar-user-address-set); the attendee accepts (the bot's [Accept] does what `answer` does);
// the organizer's client syncs the new PARTSTAT, the attendee's finds the event in their calendar,
// then declines in their own copy, which reaches the organizer; the organizer's delete takes it away.

const attendee = 4343;

function invitation(partstat: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//tsdav interop//EN',
    'BEGIN:VEVENT',
    'UID:standup-4242',
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260310T090000Z',
    'DTEND:20260310T093000Z',
    'SUMMARY:Standup',
    'ORGANIZER;CN=Interop:mailto:4242@telegram.invalid',
    'ATTENDEE;CN=Interop;PARTSTAT=ACCEPTED:mailto:4242@telegram.invalid',
    `ATTENDEE;CN=Guest;PARTSTAT=${partstat};RSVP=TRUE:mailto:4343@telegram.invalid`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Standup',
    'TRIGGER:-PT10M',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const copy0 = (objects: Array<{ data?: string }>) => unfold(objects[0]?.data);

describe(`tsdav: an invitation between two users [${testEngine}]`, () => {
  let server: RunningCaldavServer;
  let worker: WorkerHandle;
  let organizer: DAVClient;
  let guest: DAVClient;
  let organizerCalendar: DAVCalendar;
  let guestCalendar: DAVCalendar;

  beforeAll(async () => {
    server = await startCaldavServer();
    worker = startInProcessWorker(server.services);
    await server.services.accounts.ensureUser({ telegramId: attendee, username: 'guest', timeZone: 'UTC' });
    const guestPassword = (await server.services.devices.createDevice(attendee, 'guest laptop')).password;
    const client = (userId: number, secret: string) => tsdavClient(server.baseUrl, userId, secret);
    organizer = client(server.user.id, server.user.password);
    guest = client(attendee, guestPassword);
    await organizer.login();
    await guest.login();
    [organizerCalendar] = (await organizer.fetchCalendars()) as [DAVCalendar];
    [guestCalendar] = (await guest.fetchCalendars()) as [DAVCalendar];
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
  });

  const pendingInvitations = () => server.services.invitations.invitationsFor(attendee);
  const organizerCopy = async () =>
    unfold((await organizer.fetchCalendarObjects({ calendar: organizerCalendar }))[0]?.data);

  it("puts the attendee's accept into the organizer's event and the event into the attendee's calendar", async () => {
    const created = await organizer.createCalendarObject({
      calendar: organizerCalendar,
      filename: 'standup.ics',
      iCalString: invitation('NEEDS-ACTION'),
    });
    expect(created.status).toBe(201);
    await expect.poll(async () => (await pendingInvitations()).length).toBe(1);
    const [invited] = await pendingInvitations();
    expect(invited).toMatchObject({
      summary: 'Standup',
      answer: 'NEEDS-ACTION',
      organizer: { telegramId: 4242 },
    });
    expect(await guest.fetchCalendarObjects({ calendar: guestCalendar })).toEqual([]);

    await server.services.invitations.answer(attendee, invited?.id ?? '', 'ACCEPTED');
    const synced = await organizer.smartCollectionSyncDetailed({
      collection: {
        ...organizerCalendar,
        objects: await organizer.fetchCalendarObjects({ calendar: organizerCalendar }),
        objectMultiGet: calendarMultiGet,
      },
      method: 'webdav',
    });
    const guestLine = attendeeLine(
      unfold(synced.objects.updated[0]?.data ?? (await organizerCopy())),
      'mailto:4343@telegram.invalid',
    );
    expect(guestLine).toContain('PARTSTAT=ACCEPTED');
    expect(guestLine).toContain('SCHEDULE-STATUS=1.2'); // RFC 6638 §3.2.9: delivered
    expect(copy0(await guest.fetchCalendarObjects({ calendar: guestCalendar }))).not.toContain(
      'SCHEDULE-STATUS',
    );
    const [copy] = await guest.fetchCalendarObjects({ calendar: guestCalendar });
    expect(unfold(copy?.data)).toContain('UID:standup-4242');
    expect(unfold(copy?.data)).toContain('PARTSTAT=ACCEPTED:mailto:4343@telegram.invalid');
    expect(copy?.data).not.toContain('VALARM'); // the organizer's reminder is not the attendee's
  });

  it('takes a decline written in the attendee’s own copy to the organizer', async () => {
    const [copy] = await guest.fetchCalendarObjects({ calendar: guestCalendar });
    const declined = unfold(copy?.data).replace(
      'PARTSTAT=ACCEPTED:mailto:4343@telegram.invalid',
      'PARTSTAT=DECLINED:mailto:4343@telegram.invalid',
    );
    const written = await guest.updateCalendarObject({
      calendarObject: { url: copy?.url ?? '', etag: copy?.etag ?? '', data: declined },
    });
    expect(written.status).toBe(204);
    await expect
      .poll(async () => attendeeLine(await organizerCopy(), 'mailto:4343@telegram.invalid'))
      .toContain('PARTSTAT=DECLINED');
    expect((await pendingInvitations())[0]?.answer).toBe('DECLINED');
  });

  it("removes the attendee's copy when the organizer deletes the event", async () => {
    const [event] = await organizer.fetchCalendarObjects({ calendar: organizerCalendar });
    const deleted = await organizer.deleteCalendarObject({
      calendarObject: { url: event?.url ?? '', etag: event?.etag ?? '' },
    });
    expect(deleted.status).toBe(204);
    await expect
      .poll(async () => (await guest.fetchCalendarObjects({ calendar: guestCalendar })).length)
      .toBe(0);
    expect(await pendingInvitations()).toEqual([]);
  });
});
