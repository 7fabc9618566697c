import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

describe('bot: first contact, time zone and agenda', () => {
  // A fixed moment early on a Monday, so "today", "tomorrow" and "this week" never cross midnight mid-test.
  const now = new Date('2030-03-04T07:30:00Z');
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates the user on /start, welcomes them with the feature list and asks for a time zone', async () => {
    const alice = { id: 2001, first_name: 'Alice', username: 'alice' };
    const welcome = await h.say(alice, '/start');
    expect(welcome.plain_text).toContain('Welcome to Televent, Alice');
    expect(welcome.plain_text).toContain('/create');
    const zonePrompt = await h.next(alice);
    expect(zonePrompt.plain_text).toContain('which time zone');
    expect(buttonsOf(zonePrompt).map((b) => b.data)).toContain('tz:Europe/Berlin');
    expect((await h.services.accounts.getUser(alice.id)).username).toBe('alice');

    const set = await h.press(alice, zonePrompt, 'tz:Europe/Berlin');
    expect(set.edited).toBe(true);
    expect(set.plain_text).toContain('Time zone set to Europe/Berlin');
    expect((await h.services.accounts.getUser(alice.id)).timeZone).toBe('Europe/Berlin');
    expect(h.emulator.calls('answerCallbackQuery').length).toBeGreaterThan(0);
  });

  it('accepts a typed city after the prompt and an IANA name with /timezone', async () => {
    const bob = { id: 2002, first_name: 'Bob' };
    await h.say(bob, '/start');
    await h.next(bob);
    const city = await h.say(bob, 'new york');
    expect(city.plain_text).toContain('America/New_York');
    const direct = await h.say(bob, '/timezone asia/tokyo');
    expect(direct.plain_text).toContain('Asia/Tokyo');
    const unknown = await h.say(bob, '/timezone Atlantis/Nowhere');
    expect(unknown.plain_text).toContain("I don't know the time zone");
    expect((await h.services.accounts.getUser(bob.id)).timeZone).toBe('Asia/Tokyo');
  });

  it('answers an unknown place after the prompt, and stops reading words as places after another command', async () => {
    const finn = { id: 2006, first_name: 'Finn' };
    await h.say(finn, '/start');
    await h.next(finn);
    expect((await h.say(finn, 'Atlantis')).plain_text).toContain('I don\'t know the time zone "Atlantis"');
    await h.say(finn, '/help');
    expect((await h.say(finn, 'Atlantis')).plain_text).toContain('could not find a date');
  });

  it('lists today with recurring occurrences expanded, in the user zone, and escapes hostile titles', async () => {
    const carol = { id: 2003, first_name: 'Carol' };
    await h.say(carol, '/timezone UTC');
    const at = (hour: number) => new Date(Date.UTC(2030, 2, 4, hour));
    await h.services.calendars.createEvent(carol.id, {
      summary: '<b>& Standup',
      start: at(9),
      end: at(10),
      rrule: 'FREQ=DAILY;COUNT=30',
      location: 'Room <1>',
    });
    await h.services.calendars.createEvent(carol.id, { summary: 'Lunch', start: at(12), end: at(13) });
    const today = await h.say(carol, '/today');
    expect(today.parse_mode).toBe('HTML');
    expect(today.text).toContain('&lt;b&gt;&amp; Standup');
    expect(today.plain_text).toContain('09:00–10:00  <b>& Standup · 📍 Room <1> 🔁');
    expect(today.plain_text).toContain('12:00–13:00  Lunch');
    const tomorrow = await h.say(carol, '/tomorrow');
    expect(tomorrow.plain_text).toContain('<b>& Standup');
    expect(tomorrow.plain_text).not.toContain('Lunch');
    const week = await h.say(carol, '/week');
    expect(week.plain_text?.match(/Standup/g)).toHaveLength(7);
  });

  it('pages through /list with buttons whose data fits in 64 bytes', async () => {
    const dave = { id: 2004, first_name: 'Dave' };
    await h.say(dave, '/timezone Europe/Berlin');
    const start = new Date(now.getTime() + 86_400_000);
    await h.services.calendars.createEvent(dave.id, {
      summary: 'Daily check',
      start,
      end: new Date(start.getTime() + 1_800_000),
      rrule: 'FREQ=DAILY;COUNT=25',
    });
    const first = await h.say(dave, '/list');
    expect(first.plain_text).toContain('Page 1 of 3');
    const buttons = buttonsOf(first);
    expect(buttons.map((b) => b.data)).toEqual(['ag:list:1', 'ed:ag:list:0']);
    for (const b of buttons) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);
    const second = await h.press(dave, first, 'ag:list:1');
    expect(second.edited).toBe(true);
    expect(second.plain_text).toContain('Page 2 of 3');
    expect(buttonsOf(second).map((b) => b.data)).toEqual(['ag:list:0', 'ag:list:2', 'ed:ag:list:1']);

    // A second tap on the same page would change nothing: no edit is sent, the tap is answered.
    const edits = h.emulator.calls('editMessageText').length;
    const tap = h.emulator.sendCallback(dave, 'ag:list:1', second);
    await expect.poll(() => h.emulator.callbackAnswer(tap)).toBeDefined();
    expect(h.emulator.calls('editMessageText')).toHaveLength(edits);
  });

  it('answers /help, unknown commands and text without a date helpfully', async () => {
    const erin = { id: 2005, first_name: 'Erin' };
    expect((await h.say(erin, '/help')).plain_text).toContain('What I can do');
    expect((await h.say(erin, '/frobnicate')).plain_text).toContain("I don't know the command /frobnicate");
    expect((await h.say(erin, 'hello there')).plain_text).toContain('could not find a date');
    const empty = await h.say(erin, '/today');
    expect(empty.plain_text).toContain('Nothing planned today');
  });
});
