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

describe('bot: quick add and deleting events', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  it('reads a one-line event, shows it with Save/Edit/Cancel, and saves it on Save', async () => {
    const user = { id: 4001, first_name: 'Gus' };
    await h.say(user, '/timezone Europe/Vienna');
    const preview = await h.say(user, 'Lunch with Anna on Friday at 1pm for 1h at Cafe Central');
    expect(preview.plain_text).toContain('Lunch with Anna');
    expect(preview.plain_text).toMatch(/Fri, .*13:00–14:00/);
    expect(preview.plain_text).toContain('📍 Cafe Central');
    expect(buttonsOf(preview).map((b) => b.data)).toEqual(['qa:save', 'qa:edit', 'qa:cancel']);
    const saved = await h.press(user, preview, 'qa:save');
    expect(saved).toMatchObject({ edited: true, message_id: preview.message_id });
    expect(saved.plain_text).toContain('✅ Saved Lunch with Anna');
    const [event] = await upcoming(h, user.id);
    expect(event).toMatchObject({ summary: 'Lunch with Anna', location: 'Cafe Central' });
    // The Friday after Monday 4 March, 13:00 in Vienna (CET).
    expect(event?.start.toISOString()).toBe('2030-03-08T12:00:00.000Z');
  });

  it('discards a quick add on Cancel and lets Edit continue in the /create steps', async () => {
    const user = { id: 4002, first_name: 'Hal' };
    const first = await h.say(user, 'Call mum tomorrow at 6pm');
    expect((await h.press(user, first, 'qa:cancel')).plain_text).toContain('Discarded');
    expect(await upcoming(h, user.id)).toEqual([]);

    const second = await h.say(user, 'Call dad tomorrow at 7pm');
    await h.press(user, second, 'qa:edit');
    const titlePrompt = await h.next(user);
    expect(titlePrompt.plain_text).toContain('now: Call dad');
    await h.say(user, 'Call dad and uncle');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    await h.say(user, '/skip');
    const saved = await h.say(user, 'Home');
    expect(saved.plain_text).toContain('Saved Call dad and uncle');
    const [event] = await upcoming(h, user.id);
    expect(event).toMatchObject({ summary: 'Call dad and uncle', location: 'Home' });
    expect(event?.start.getUTCMinutes()).toBe(0);
  });

  it('says a pressed button expired once the suggestion is gone', async () => {
    const user = { id: 4003, first_name: 'Ida' };
    const preview = await h.say(user, 'Swim tomorrow at 7am');
    await h.press(user, preview, 'qa:cancel');
    h.emulator.sendCallback(user, 'qa:save', { ...preview, reply_markup: undefined });
    const expired = await h.next(user);
    expect(expired.plain_text).toContain('expired');
  });

  it('answers a button it no longer knows, or one left under a finished /create, as expired', async () => {
    const user = { id: 4007, first_name: 'Max' };
    const help = await h.say(user, '/help');
    const expired = { params: { text: 'This button has expired.' } };
    for (const data of ['cf:later', 'cf:skip', 'cf:dur:30']) {
      const tap = h.emulator.sendCallback(user, data, help);
      await expect.poll(() => h.emulator.callbackAnswer(tap)).toMatchObject(expired);
    }
  });

  it('/cancel lists upcoming events as buttons, confirms and deletes the chosen one', async () => {
    const user = { id: 4004, first_name: 'Jon' };
    await h.say(user, '/help');
    const start = new Date(now.getTime() + 2 * 86_400_000);
    const event = await h.services.calendars.createEvent(user.id, {
      summary: 'Review <draft>',
      start,
      end: new Date(start.getTime() + 3_600_000),
    });
    const list = await h.say(user, '/cancel');
    expect(list.plain_text).toContain('Which event');
    const choice = buttonsOf(list).find((b) => b.text.includes('Review <draft>'));
    expect(choice?.data).toBe(`rm:${event.id}:0`);
    const confirm = await h.press(user, list, choice?.data ?? '');
    expect(confirm.plain_text).toContain('Delete Review <draft>');
    const done = await h.press(user, confirm, `rms:${event.id}`);
    expect(done.plain_text).toContain('Deleted Review <draft>');
    expect(await upcoming(h, user.id)).toEqual([]);
  });

  it('deletes one occurrence of a recurring event or the whole series', async () => {
    const user = { id: 4005, first_name: 'Kim' };
    await h.say(user, '/timezone UTC');
    const start = new Date(now.getTime() + 86_400_000);
    start.setUTCHours(8, 0, 0, 0);
    const series = await h.services.calendars.createEvent(user.id, {
      summary: 'Standup',
      start,
      end: new Date(start.getTime() + 900_000),
      rrule: 'FREQ=DAILY;COUNT=5',
    });
    const list = await h.say(user, '/cancel');
    const first = buttonsOf(list)[0];
    expect(first?.data).toBe(`rm:${series.id}:${start.getTime() / 1000}`);
    const ask = await h.press(user, list, first?.data ?? '');
    expect(ask.plain_text).toContain('repeats');
    const one = await h.press(user, ask, `rmo:${series.id}:${start.getTime() / 1000}`);
    expect(one.plain_text).toContain('the rest of the series stays');
    const left = await upcoming(h, user.id);
    expect(left).toHaveLength(4);
    expect(left.map((o) => o.start.getTime())).not.toContain(start.getTime());

    const again = await h.say(user, '/cancel');
    const ask2 = await h.press(user, again, buttonsOf(again)[0]?.data ?? '');
    const all = await h.press(user, ask2, `rms:${series.id}`);
    expect(all.plain_text).toContain('Deleted Standup');
    expect(await upcoming(h, user.id)).toEqual([]);
  });

  it('says so when there is nothing to delete', async () => {
    const user = { id: 4006, first_name: 'Lou' };
    expect((await h.say(user, '/cancel')).plain_text).toContain('no upcoming events');
  });
});
