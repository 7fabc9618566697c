import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { attendeeLine } from '../../support/ical-lines.ts';
import { startInProcessWorker } from '../../support/in-process-worker.ts';
import type { SentMessage } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';
import { startSmtpCapture } from '../worker/smtp-capture.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

// Invitations with RSVP (issue 14 item 3): an event with attendees, written as a calendar app
// writes it, invites two Televent users (one by Televent address, one by the e-mail they gave
// /email) in Telegram and one outside person by iMIP mail; answers reach the organizer's event and
// the attendees' calendars; the organizer's change and cancellation reach everyone.

const olga = { id: 5801, first_name: 'Olga' };
const pavel = { id: 5802, first_name: 'Pavel', username: 'pavel_rsvp' };
const rita = { id: 5803, first_name: 'Rita' };

function dinner(start: string, sequence: number): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 15//EN',
    'BEGIN:VEVENT',
    'UID:dinner-5801',
    'DTSTAMP:20261201T090000Z',
    `DTSTART:${start}`,
    'DURATION:PT2H',
    'SUMMARY:Dinner at Olga’s',
    `SEQUENCE:${sequence}`,
    'ORGANIZER;CN=Olga:mailto:5801@telegram.invalid',
    'ATTENDEE;CN=Olga;PARTSTAT=ACCEPTED:mailto:5801@telegram.invalid',
    'ATTENDEE;CN=Pavel;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:5802@telegram.invalid',
    'ATTENDEE;CN=Rita;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:Rita@Example.com',
    'ATTENDEE;CN=Ann;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ann@example.org',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Dinner',
    'TRIGGER:-PT1H',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe(`bot: invitations with RSVP [${testEngine}]`, () => {
  let h: BotHarness;
  let worker: WorkerHandle;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let olgaCalendar: string;
  let pavelInvite: SentMessage;
  let ritaInvite: SentMessage;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    h = await startBotHarness({ env: { SMTP_URL: smtp.url } });
    worker = startInProcessWorker(h.services, { config: h.config });
    for (const user of [olga, pavel, rita]) await h.say(user, '/help');
    await h.say(rita, '/email rita@example.com');
    olgaCalendar = (await h.services.calendars.defaultCalendar(olga.id)).id;
  });
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
    await smtp?.close();
  });

  const organizerEvent = async () =>
    (await h.services.calendars.getObject(olga.id, olgaCalendar, 'dinner.ics')).ical.replace(/\r\n /g, '');
  const copyOf = async (userId: number) => {
    const calendar = await h.services.calendars.defaultCalendar(userId);
    const listed = await h.services.calendars.listOccurrences(userId, {
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
    return { calendar, occurrences: listed.occurrences.filter((o) => o.summary === 'Dinner at Olga’s') };
  };
  const press = (user: { id: number }, message: SentMessage, label: string) => {
    const button = buttonsOf(message).find((b) => b.text.includes(label));
    if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(message))}`);
    return h.press(user, message, button.data);
  };

  it('invites Televent users in Telegram and anyone else by iMIP mail', async () => {
    await h.services.calendars.putObject(olga.id, olgaCalendar, 'dinner.ics', dinner('20261211T180000Z', 0));
    pavelInvite = await h.next(pavel);
    expect(pavelInvite.plain_text).toContain('Olga invites you to Dinner at Olga’s');
    expect(pavelInvite.plain_text).toContain('Fri, 11 Dec 2026');
    expect(buttonsOf(pavelInvite).map((b) => b.text)).toEqual(['✅ Accept', '🤔 Maybe', 'Decline']);
    ritaInvite = await h.next(rita); // found by the e-mail address she gave /email
    expect(ritaInvite.plain_text).toContain('Olga invites you to Dinner');

    await expect.poll(() => smtp.received.length).toBe(1);
    const mail = smtp.received[0];
    expect(mail?.to).toEqual(['ann@example.org']);
    expect(mail?.data).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(mail?.data).toContain('METHOD:REQUEST');
    expect(mail?.data).not.toContain('BEGIN:VALARM'); // the organizer's alarms stay hers
    // Nobody has the event in their own calendar before answering.
    expect((await copyOf(pavel.id)).occurrences).toEqual([]);
  });

  it("writes an accept into the organizer's event and puts the event in the attendee's calendar", async () => {
    const accepted = await press(pavel, pavelInvite, 'Accept');
    expect(accepted.plain_text).toContain('You accepted Dinner at Olga’s: it is in your calendar');
    expect((await h.next(olga)).plain_text).toContain('Pavel accepted Dinner at Olga’s');
    const pavelLine = attendeeLine(await organizerEvent(), 'mailto:5802@telegram.invalid');
    expect(pavelLine).toContain('PARTSTAT=ACCEPTED');
    // RFC 6638 §3.2.9: the organizer's event says each invitation was delivered (1.2) or mailed (1.1).
    expect(pavelLine).toContain('SCHEDULE-STATUS=1.2');
    expect(attendeeLine(await organizerEvent(), 'mailto:ann@example.org')).toContain('SCHEDULE-STATUS=1.1');
    const copy = await copyOf(pavel.id);
    expect(copy.occurrences).toHaveLength(1);
    const stored = await h.services.calendars.getEvent(pavel.id, copy.occurrences[0]?.eventId ?? '');
    expect(stored.summary).toBe('Dinner at Olga’s');
  });

  it('takes a decline to the organizer and keeps the event out of the calendar of who declined', async () => {
    const declined = await press(rita, ritaInvite, 'Decline');
    expect(declined.plain_text).toContain('You declined Dinner');
    expect((await h.next(olga)).plain_text).toContain('Rita declined Dinner');
    expect(attendeeLine(await organizerEvent(), 'mailto:rita@example.com')).toContain('PARTSTAT=DECLINED');
    expect((await copyOf(rita.id)).occurrences).toEqual([]);
  });

  it("tells everyone of the organizer's change; the accepted copy follows with the answer kept", async () => {
    const answered = await organizerEvent();
    const moved = dinner('20261212T190000Z', 1)
      .replace('PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:5802', 'PARTSTAT=ACCEPTED:mailto:5802')
      .replace('PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:Rita', 'PARTSTAT=DECLINED:mailto:Rita');
    expect(answered).toContain('PARTSTAT=ACCEPTED');
    await h.services.calendars.putObject(olga.id, olgaCalendar, 'dinner.ics', moved);
    const changed = await h.next(pavel);
    expect(changed.plain_text).toContain('Olga changed Dinner at Olga’s. Still coming?');
    expect(changed.plain_text).toContain('Sat, 12 Dec 2026');
    expect((await h.next(rita)).plain_text).toContain('Olga changed Dinner');
    const copy = await copyOf(pavel.id);
    expect(copy.occurrences.map((o) => o.start.toISOString())).toEqual(['2026-12-12T19:00:00.000Z']);
    await expect.poll(() => smtp.received.length).toBe(2);
    expect(smtp.received[1]?.data).toContain('DTSTART:20261212T190000Z');
  });

  it('cancels for everyone when the organizer deletes the event; a late answer is told it is off', async () => {
    await h.services.calendars.deleteObject(olga.id, olgaCalendar, 'dinner.ics');
    expect((await h.next(pavel)).plain_text).toContain('Olga cancelled Dinner at Olga’s');
    expect((await h.next(rita)).plain_text).toContain('Olga cancelled Dinner');
    expect((await copyOf(pavel.id)).occurrences).toEqual([]);
    await expect.poll(() => smtp.received.length).toBe(3);
    expect(smtp.received[2]?.data).toMatch(/method=CANCEL/i);
    expect(smtp.received[2]?.data).toContain('STATUS:CANCELLED');

    const late = await press(rita, ritaInvite, 'Accept');
    expect(late.plain_text).toContain('The organizer has cancelled this event');
    expect((await copyOf(rita.id)).occurrences).toEqual([]);
  });

  it('invites from the chat: 👥 on /edit, then an @username or an e-mail address', async () => {
    const picnic = await h.services.calendars.createEvent(olga.id, {
      summary: 'Picnic',
      start: new Date('2026-12-15T12:00:00Z'),
      end: new Date('2026-12-15T14:00:00Z'),
      timeZone: 'UTC',
    });
    const menu = await h.press(olga, await h.say(olga, '/edit'), `ed:${picnic.id}:0`);
    const asked = await press(olga, menu, 'Invite people');
    expect(asked.plain_text).toContain('Who should come to Picnic?');
    expect((await h.say(olga, '@pavel_rsvp')).plain_text).toContain('Invited @pavel_rsvp to Picnic');
    expect((await h.next(pavel)).plain_text).toContain('Olga invites you to Picnic');
    expect((await h.say(olga, 'bob@example.net')).plain_text).toContain('Invited bob@example.net to Picnic');
    await expect.poll(() => smtp.received.some((m) => m.to.includes('bob@example.net'))).toBe(true);
    expect((await h.say(olga, 'somebody')).plain_text).toContain('Send a contact, an @username or an e-mail');
    const unknown = await h.say(olga, '@nobody_uses_this');
    expect(unknown.plain_text).toContain('has not started the bot');
  });
});
