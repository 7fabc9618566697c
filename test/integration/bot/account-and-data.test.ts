import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icalFixture } from '../../fixtures/ical/index.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

const goodIcs = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Other//Calendar//EN',
  'BEGIN:VEVENT',
  'UID:import-1@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20261201T090000Z',
  'DTEND:20261201T100000Z',
  'SUMMARY:Imported one',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:import-2@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20261202T090000Z',
  'DTEND:20261202T100000Z',
  'SUMMARY:Imported two',
  'RRULE:FREQ=WEEKLY;COUNT=3',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const partlyBrokenIcs = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Other//Calendar//EN',
  'BEGIN:VEVENT',
  'UID:import-1@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20261201T090000Z',
  'DTEND:20261201T100000Z',
  'SUMMARY:Imported one',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:import-2@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20261202T110000Z',
  'DTEND:20261202T120000Z',
  'SUMMARY:Imported two (moved)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20261203T090000Z',
  'SUMMARY:No uid <here>',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:bad-time@example.com',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Mars/Olympus:20261204T090000',
  'SUMMARY:Martian meeting',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('bot: devices, export, import, web login and account deletion', () => {
  // A fixed moment late in a UTC day: the erase date 30 days ahead must not depend on when the test runs.
  const now = new Date('2030-03-04T23:30:00Z');
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ env: { PUBLIC_URL: 'http://calendar.test:8080' }, now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('/device add shows the password once with the server, user name and app steps; list and revoke work', async () => {
    const user = { id: 5001, first_name: 'Mo' };
    const added = await h.say(user, '/device add My <iPhone>');
    expect(added.plain_text).toContain('Password for My <iPhone>');
    expect(added.plain_text).toContain('Server: http://calendar.test:8080/');
    expect(added.plain_text).toContain('User name: 5001');
    expect(added.plain_text).toMatch(/Apple[\s\S]*Thunderbird[\s\S]*DAVx5/);
    const password = /<code>([^<]+)<\/code>/.exec(added.text ?? '')?.[1] ?? '';
    const [device] = await h.services.devices.listDevices(user.id);
    expect(await h.services.devices.verify(user.id, password)).toBe(device?.id);

    const list = await h.say(user, '/device list');
    expect(list.plain_text).toContain('My <iPhone> — created');
    expect(list.plain_text).toContain('never used');
    expect((await h.say(user, '/device add My <iPhone>')).plain_text).toContain('already exists');

    const revoke = await h.say(user, '/device revoke');
    expect(buttonsOf(revoke).map((b) => b.data)).toEqual([`dv:${device?.id}`, 'dv:keep']);
    expect((await h.press(user, revoke, `dv:${device?.id}`)).plain_text).toContain('Revoked My <iPhone>');
    expect(await h.services.devices.listDevices(user.id)).toEqual([]);
    expect((await h.say(user, '/device add')).plain_text).toContain('Give the device a name');
  });

  it('/export sends the calendar as an .ics document and the data as JSON', async () => {
    const user = { id: 5002, first_name: 'Ned' };
    await h.say(user, '/help');
    const start = new Date(now.getTime() + 86_400_000);
    await h.services.calendars.createEvent(user.id, {
      summary: 'Exported',
      start,
      end: new Date(start.getTime() + 60_000),
    });
    h.emulator.sendText(user, '/export');
    const ics = await h.emulator.waitForMessage(user.id, (m) => m.document !== undefined);
    expect(ics.document?.file_name).toBe('televent.ics');
    expect(ics.document?.content.toString()).toContain('SUMMARY:Exported');
    expect(ics.caption).toContain('1 item');
    const json = await h.emulator.waitForMessage(user.id, (m) => m.document !== undefined);
    expect(json.document?.file_name).toBe('televent-data.json');
    const data = JSON.parse(json.document?.content.toString() ?? '{}');
    expect(data.user.telegramId).toBe(user.id);
    expect(data.events[0].summary).toBe('Exported');
  });

  it('imports a good .ics, then reports updated, unchanged and rejected items of a broken one', async () => {
    const user = { id: 5003, first_name: 'Ola' };
    h.emulator.sendDocument(user, { fileName: 'other.ics', mimeType: 'text/calendar', content: goodIcs });
    const first = await h.next(user);
    expect(first.plain_text).toContain('2 created, 0 updated, 0 unchanged');
    const calendar = await h.services.calendars.defaultCalendar(user.id);
    const stored = await h.services.calendars.getObject(user.id, calendar.id, 'import-2@example.com.ics');
    expect(stored.rrule).toContain('FREQ=WEEKLY');

    h.emulator.sendDocument(user, {
      fileName: 'broken.ics',
      mimeType: 'text/calendar',
      content: partlyBrokenIcs,
    });
    const second = await h.next(user);
    expect(second.plain_text).toContain('0 created, 1 updated, 1 unchanged');
    expect(second.plain_text).toContain('2 items could not be imported');
    expect(second.plain_text).toContain('No uid <here>: It has no UID.');
    expect(second.plain_text).toContain('Martian meeting');
    const moved = await h.services.calendars.getObject(user.id, calendar.id, 'import-2@example.com.ics');
    expect(moved.summary).toBe('Imported two (moved)');

    h.emulator.sendDocument(user, {
      fileName: 'garbage.ics',
      mimeType: 'text/calendar',
      content: 'not a calendar',
    });
    expect((await h.next(user)).plain_text).toContain('not an iCalendar');
    h.emulator.sendDocument(user, { fileName: 'photo.png', mimeType: 'image/png', content: 'png' });
    expect((await h.next(user)).plain_text).toContain('.ics calendar files');
  });

  it('imports a Google Calendar export: one event per UID, the moved instance kept with its series', async () => {
    const user = { id: 5006, first_name: 'Gia' };
    h.emulator.sendDocument(user, {
      fileName: 'alice@example.com.ics',
      mimeType: 'text/calendar',
      content: icalFixture('google-calendar-export'),
    });
    expect((await h.next(user)).plain_text).toContain('2 created, 0 updated, 0 unchanged');
    const calendar = await h.services.calendars.defaultCalendar(user.id);
    const series = await h.services.calendars.getObject(
      user.id,
      calendar.id,
      '5k0q3r7c2d9mbd8m4hcg6o1nsv@google.com.ics',
    );
    expect(series.summary).toBe('Team sync');
    const { occurrences } = await h.services.calendars.listOccurrences(user.id, {
      start: new Date('2026-12-07T00:00:00Z'),
      end: new Date('2026-12-14T00:00:00Z'),
    });
    expect(occurrences.map((o) => [o.start.toISOString(), o.summary])).toEqual([
      ['2026-12-08T09:00:00.000Z', 'Team sync (Tuesday this week)'],
    ]);
  });

  it('/web sends a one-time login link that the login service redeems once', async () => {
    const user = { id: 5004, first_name: 'Pat' };
    const reply = await h.say(user, '/web');
    expect(reply.plain_text).toContain('works once, for 10 minutes');
    const url = /(http:\/\/calendar\.test:8080\S+)/.exec(reply.plain_text ?? '')?.[1] ?? '';
    const token = new URL(url).searchParams.get('token') ?? new URL(url).pathname.split('/').at(-1) ?? '';
    const redeemed = await h.services.logins.redeemLoginLink(token);
    expect(redeemed.userId).toBe(user.id);
  });

  it('/deleteaccount confirms, states the erase date 30 days ahead, blocks other commands, and can be undone', async () => {
    const user = { id: 5005, first_name: 'Quin' };
    await h.say(user, '/timezone UTC');
    const ask = await h.say(user, '/deleteaccount');
    expect(ask.plain_text).toContain('30 days');
    const done = await h.press(user, ask, 'acct:delete');
    expect(done.plain_text).toContain(`will be erased on`);
    expect(done.plain_text).toContain('3 Apr 2030');
    expect((await h.services.accounts.getUser(user.id)).deletionRequestedAt).not.toBeNull();

    const guarded = await h.say(user, '/today');
    expect(guarded.plain_text).toContain('scheduled for deletion');
    expect((await h.say(user, '/undelete')).plain_text).toContain('will not be deleted');
    expect((await h.services.accounts.getUser(user.id)).deletionRequestedAt).toBeNull();

    const again = await h.say(user, '/deleteaccount');
    const scheduled = await h.press(user, again, 'acct:delete');
    const undone = await h.press(user, scheduled, 'acct:undo');
    expect(undone.plain_text).toContain('will not be deleted');
    expect((await h.say(user, '/deleteaccount')).plain_text).toContain('Continue?');
  });
});
