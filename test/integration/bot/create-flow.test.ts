import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

// The bot and the services read this clock: "tomorrow", "on Friday" and "upcoming" never depend on
// when the test runs (early on Monday 4 March 2030, UTC).
const now = new Date('2030-03-04T07:30:00Z');

async function upcoming(h: BotHarness, userId: number) {
  const { occurrences } = await h.services.calendars.listOccurrences(userId, {
    start: new Date(now.getTime() - 86_400_000),
    end: new Date(now.getTime() + 30 * 86_400_000),
  });
  return occurrences;
}

describe('bot: /create conversation', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('walks title → when → duration → repeat → reminders → description → location and saves the event', async () => {
    const user = { id: 3001, first_name: 'Ann' };
    await h.say(user, '/timezone Europe/Berlin');
    expect((await h.say(user, '/create')).plain_text).toContain('What is the event called?');
    expect((await h.say(user, 'Planning <session> & co')).plain_text).toContain('When is it?');
    const duration = await h.say(user, 'tomorrow 10am');
    expect(duration.plain_text).toContain('How long');
    expect(buttonsOf(duration).map((b) => b.data)).toEqual([
      'cf:dur:30',
      'cf:dur:60',
      'cf:dur:120',
      'cf:skip',
    ]);
    const repeat = await h.say(user, '1h30');
    expect(repeat.plain_text).toContain('Does it repeat?');
    expect(buttonsOf(repeat).map((b) => b.data)).toEqual([
      'cf:rep:none',
      'cf:rep:daily',
      'cf:rep:weekly',
      'cf:rep:monthly',
      'cf:rep:yearly',
    ]);
    const reminders = await h.press(user, repeat, 'cf:rep:none');
    expect(reminders.plain_text).toContain('When should I remind you?');
    expect(buttonsOf(reminders).map((b) => b.data)).toEqual([
      'cf:rem:5',
      'cf:rem:10',
      'cf:rem:15',
      'cf:rem:30',
      'cf:rem:60',
      'cf:rem:1440',
      'cf:skip',
    ]);
    expect((await h.press(user, reminders, 'cf:skip')).plain_text).toContain('Any notes');
    expect((await h.say(user, 'Bring the roadmap')).plain_text).toContain('Where is it?');
    const saved = await h.say(user, 'Room 4');
    expect(saved.plain_text).toContain('✅ Saved Planning <session> & co');
    expect(saved.plain_text).toMatch(/10:00–11:30/);
    expect(saved.plain_text).not.toContain('🔁');
    const [event] = await upcoming(h, user.id);
    expect(event).toMatchObject({
      summary: 'Planning <session> & co',
      location: 'Room 4',
      description: 'Bring the roadmap',
    });
    // "tomorrow 10am" in Berlin on Monday 4 March: Tuesday 09:00Z (CET).
    expect(event?.start.toISOString()).toBe('2030-03-05T09:00:00.000Z');
    expect((event?.end.getTime() ?? 0) - (event?.start.getTime() ?? 0)).toBe(90 * 60_000);
  });

  it('re-prompts with an example on bad input at every step', async () => {
    const user = { id: 3002, first_name: 'Ben' };
    await h.say(user, '/create');
    const emptyTitle = await h.say(user, 'x'.repeat(201));
    expect(emptyTitle.plain_text).toContain('A title has 1 to 200 characters');
    await h.say(user, 'Dentist');
    const badWhen = await h.say(user, 'whenever suits');
    expect(badWhen.plain_text).toContain("couldn't read that as a date");
    expect(badWhen.plain_text).toContain('tomorrow 10am');
    await h.say(user, 'tomorrow 9:00');
    const badDuration = await h.say(user, 'a while');
    expect(badDuration.plain_text).toContain('not a length I understand');
    expect(badDuration.plain_text).toContain('1h30');
    const tooLong = await h.say(user, '9 days');
    expect(tooLong.plain_text).toContain('not a length I understand');
    await h.say(user, '45m');
    // Typed text at a button question asks it again.
    expect((await h.say(user, 'weekly please')).plain_text).toContain('Does it repeat?');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    const longNotes = await h.say(user, 'n'.repeat(2001));
    expect(longNotes.plain_text).toContain('up to 2000 characters');
    await h.say(user, '/skip');
    const longPlace = await h.say(user, 'p'.repeat(201));
    expect(longPlace.plain_text).toContain('up to 200 characters');
    const saved = await h.say(user, '/skip');
    expect(saved.plain_text).toContain('Saved Dentist');
    const [event] = await upcoming(h, user.id);
    expect(event).toMatchObject({ summary: 'Dentist', location: null, description: null });
    expect((event?.end.getTime() ?? 0) - (event?.start.getTime() ?? 0)).toBe(45 * 60_000);
  });

  it('uses the Skip button and the duration buttons, and refuses to skip the title', async () => {
    const user = { id: 3003, first_name: 'Cat' };
    await h.say(user, '/create');
    expect((await h.say(user, '/skip')).plain_text).toContain('The title cannot be skipped');
    await h.say(user, 'Gym');
    const duration = await h.say(user, 'tomorrow 18:00');
    const repeat = await h.press(user, duration, 'cf:dur:120');
    const reminders = await h.press(user, repeat, 'cf:rep:none');
    const notes = await h.press(user, reminders, 'cf:skip');
    expect(notes.plain_text).toContain('Any notes');
    const place = await h.press(user, notes, 'cf:skip');
    expect(place.plain_text).toContain('Where is it?');
    const saved = await h.press(user, place, 'cf:skip');
    expect(saved.plain_text).toContain('Saved Gym');
    const [event] = await upcoming(h, user.id);
    expect((event?.end.getTime() ?? 0) - (event?.start.getTime() ?? 0)).toBe(120 * 60_000);
  });

  it('makes an all-day event from a bare date and skips the duration step', async () => {
    const user = { id: 3004, first_name: 'Dan' };
    await h.say(user, '/create');
    await h.say(user, 'Holiday');
    expect((await h.say(user, 'tomorrow')).plain_text).toContain('Does it repeat?');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    const saved = await h.say(user, '/skip');
    expect(saved.plain_text).toContain('all day');
    const [event] = await upcoming(h, user.id);
    expect(event?.allDay).toBe(true);
  });

  it('stops on /cancel without saving anything', async () => {
    const user = { id: 3005, first_name: 'Eve' };
    await h.say(user, '/create');
    await h.say(user, 'Never happens');
    expect((await h.say(user, '/cancel')).plain_text).toContain('nothing was saved');
    expect(await upcoming(h, user.id)).toEqual([]);
    // Plain text afterwards is no longer read as a flow answer.
    expect((await h.say(user, 'hello')).plain_text).toContain('could not find a date');
  });

  it('continues a /create flow where the user was after the bot restarts', async () => {
    const user = { id: 3006, first_name: 'Fay' };
    await h.say(user, '/create');
    await h.say(user, 'Survives restarts');
    await h.restart();
    const duration = await h.say(user, 'tomorrow 8am');
    expect(duration.plain_text).toContain('How long');
    await h.say(user, '30m');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    expect((await h.say(user, '/skip')).plain_text).toContain('Saved Survives restarts');
    expect(await upcoming(h, user.id)).toHaveLength(1);
  });

  it('keeps the flow in bot_sessions while it runs and removes the row when it ends', async () => {
    const user = { id: 3007, first_name: 'Gil' };
    const row = () =>
      h.database.db
        .selectFrom('bot_sessions')
        .select('value')
        .where('key', '=', String(user.id))
        .executeTakeFirst();
    await h.say(user, '/create');
    await h.say(user, 'Stored');
    // The session is written after the reply went out, so wait for it.
    await expect
      .poll(async () => (await row())?.value)
      .toMatchObject({ createFlow: { step: 'when', draft: { title: 'Stored' } } });
    await h.say(user, '/cancel');
    await expect.poll(row).toBeUndefined();
  });
});
