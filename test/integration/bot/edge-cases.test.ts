import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

describe('bot: odd input, stored data and agenda freshness', () => {
  // A fixed moment early on a Monday, so "today" and "this week" never cross midnight mid-test.
  const now = new Date('2030-03-04T07:30:00Z');
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a message it cannot read (a shared location) with what it can read', async () => {
    const user = { id: 7001, first_name: 'Lou' };
    h.emulator.sendLocation(user, 48.2, 16.37);
    expect((await h.next(user)).plain_text).toContain('I can read text messages and .ics calendar files');
  });

  it('escapes a hostile title in the quick-add preview and the saved message', async () => {
    const user = { id: 7002, first_name: 'Max' };
    await h.say(user, '/timezone UTC');
    const preview = await h.say(user, 'Party <b>&</b> <script>x</script> tomorrow at 8pm');
    expect(preview.parse_mode).toBe('HTML');
    expect(preview.plain_text).toContain('Party <b>&</b> <script>x</script>');
    const saved = await h.press(user, preview, 'qa:save');
    expect(saved.plain_text).toContain('Saved Party <b>&</b> <script>x</script>');
  });

  it('shows an edited or deleted event in the next /today, never a remembered older one', async () => {
    const user = { id: 7003, first_name: 'Nia' };
    await h.say(user, '/timezone UTC');
    const at = (hour: number) => new Date(Date.UTC(2030, 2, 4, hour));
    const series = await h.services.calendars.createEvent(user.id, {
      summary: 'Standup',
      start: at(9),
      end: at(10),
      rrule: 'FREQ=DAILY;COUNT=10',
    });
    const single = await h.services.calendars.createEvent(user.id, {
      summary: 'Lunch',
      start: at(12),
      end: at(13),
    });
    expect((await h.say(user, '/today')).plain_text).toMatch(/Standup[\s\S]*Lunch/);

    await h.services.calendars.updateEvent(user.id, series.id, {
      summary: 'Daily sync',
      start: at(8),
      end: at(9),
    });
    await h.services.calendars.deleteEvent(user.id, single.id);
    const after = await h.say(user, '/today');
    expect(after.plain_text).toContain('08:00–09:00  Daily sync');
    expect(after.plain_text).not.toContain('Standup');
    expect(after.plain_text).not.toContain('Lunch');
  });

  it('still shows the week when one stored event is unreadable, leaving that one out', async () => {
    const user = { id: 7004, first_name: 'Oz' };
    await h.say(user, '/timezone UTC');
    const start = new Date(now.getTime() + 3_600_000);
    const event = await h.services.calendars.createEvent(user.id, {
      summary: 'Soon',
      start,
      end: new Date(start.getTime() + 3_600_000),
    });
    await h.services.calendars.createEvent(user.id, {
      summary: 'Dentist',
      start: new Date(start.getTime() + 86_400_000),
      end: new Date(start.getTime() + 90_000_000),
    });
    // Data damaged outside Televent (a manual edit of the table): the agenda cannot be built.
    await h.database.db
      .updateTable('calendar_objects')
      .set({ ical: sql<string>`'BEGIN:VCALENDAR' || chr(13) || chr(10) || 'garbage'` })
      .where('id', '=', event.id)
      .execute();
    const week = await h.say(user, '/week');
    expect(week.plain_text).toContain('Dentist');
    expect(week.plain_text).not.toContain('Soon');
    expect((await h.say(user, '/help')).plain_text).toContain('What I can do');
  });

  it('refreshes a changed name, and writes nothing for a returning user whose names are unchanged', async () => {
    const user = { id: 7005, first_name: 'Pia', username: 'pia' };
    await h.say(user, '/help');
    // xmin is the id of the transaction that wrote the row version: any UPDATE, even one that
    // changes nothing, gives the row a new one.
    const rowVersion = async () =>
      (
        await h.database.db
          .selectFrom('users')
          .select(sql<string>`xmin::text`.as('version'))
          .where('telegram_id', '=', user.id)
          .executeTakeFirstOrThrow()
      ).version;
    const before = await rowVersion();
    await h.say(user, '/help');
    await h.say(user, '/today');
    expect(await rowVersion()).toBe(before);
    const again = await h.services.accounts.ensureUser({
      telegramId: user.id,
      firstName: 'Pia',
      username: 'pia',
    });
    expect(again.created).toBe(false);
    expect(await rowVersion()).toBe(before);

    await h.say({ ...user, first_name: 'Pia Maria' }, '/help');
    expect((await h.services.accounts.getUser(user.id)).firstName).toBe('Pia Maria');
    expect(await rowVersion()).not.toBe(before);
  });
});

describe('bot: conversation state writes', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('stores a pending quick add once and does not rewrite it for updates that leave it as it was', async () => {
    const user = { id: 7201, first_name: 'Rae' };
    await h.say(user, '/timezone UTC');
    const sessionVersion = async () =>
      (
        await h.database.db
          .selectFrom('bot_sessions')
          .select(sql<string>`xmin::text`.as('version'))
          .where('key', '=', String(user.id))
          .executeTakeFirst()
      )?.version;
    const preview = await h.say(user, 'Yoga tomorrow at 7am');
    // A user's updates run one after another, and the session is written when its update ends:
    // once the next update is answered, the previous one's write (if any) is done.
    await h.say(user, '/help');
    const stored = await sessionVersion();
    expect(stored).toBeDefined();
    await h.say(user, '/today');
    await h.say(user, '/week');
    await h.say(user, 'Yoga tomorrow at 7am');
    await h.say(user, '/help');
    expect(await sessionVersion()).toBe(stored);
    // The suggestion is still there and can be saved.
    expect((await h.press(user, preview, 'qa:save')).plain_text).toContain('Saved Yoga');
    await h.say(user, '/help');
    const after = await h.database.db
      .selectFrom('bot_sessions')
      .select('value')
      .where('key', '=', String(user.id))
      .executeTakeFirst();
    expect(JSON.stringify(after?.value ?? {})).not.toContain('quickAdd');
  });
});

describe('bot: /list at a fixed moment', () => {
  // 12:00 UTC on a fixed day: what ended this morning is past, what runs now is still upcoming.
  const now = new Date('2030-06-10T12:00:00Z');
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists what is running or still to come and leaves out what already ended today', async () => {
    const user = { id: 7101, first_name: 'Quy' };
    await h.say(user, '/timezone UTC');
    const at = (hour: number) => new Date(Date.UTC(2030, 5, 10, hour));
    for (const [summary, from, to] of [
      ['Breakfast', 8, 9],
      ['Workshop', 11, 13],
      ['Dinner', 19, 20],
    ] as const) {
      await h.services.calendars.createEvent(user.id, { summary, start: at(from), end: at(to) });
    }
    const list = await h.say(user, '/list');
    expect(list.plain_text).toContain('11:00–13:00  Workshop');
    expect(list.plain_text).toContain('19:00–20:00  Dinner');
    expect(list.plain_text).not.toContain('Breakfast');
    expect((await h.say(user, '/today')).plain_text).toMatch(/Breakfast[\s\S]*Workshop[\s\S]*Dinner/);
  });
});
