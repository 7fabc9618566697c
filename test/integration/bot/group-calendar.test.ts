import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../src/app/errors.ts';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { startInProcessWorker } from '../../support/in-process-worker.ts';
import type { EmulatedGroup, SentMessage, TelegramUser } from '../../support/telegram-emulator.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';

// A Telegram group with three members and its calendar (issue 14 item 2): the bot added,
// /groupcalendar, members adding it (with and without having started the bot), announcements
// of changes, the group's agenda, read-only for members by an admin, reminders to the group,
// members leaving, the bot removed, and the group becoming a supergroup.

const olga = { id: 5701, first_name: 'Olga', username: 'olga_hikes' }; // made the group
const pavel = { id: 5702, first_name: 'Pavel', username: 'pavel_hikes' };
const rita = { id: 5703, first_name: 'Rita' }; // has not started the bot yet
const stan = { id: 5704, first_name: 'Stan' }; // uses the bot, not in the group

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000);

describe(`bot: a group's calendar [${testEngine}]`, () => {
  let h: BotHarness;
  let group: EmulatedGroup;
  let card: SentMessage;

  beforeAll(async () => {
    h = await startBotHarness();
    for (const user of [olga, pavel, stan]) await h.say(user, '/help');
    group = h.emulator.createGroup('Hiking club', [
      { user: olga, status: 'creator' },
      { user: pavel },
      { user: rita },
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const inGroup = (predicate: (m: SentMessage) => boolean = () => true, chat = group) =>
    h.emulator.waitForMessage(chat.id, predicate);
  /** Writes in the group; resolves with the bot's next new message there (not an edit of an older one). */
  const sayInGroup = (user: TelegramUser, text: string, chat = group) => {
    h.emulator.sendGroupText(chat, user, text);
    return inGroup((m) => m.edited !== true, chat);
  };
  /** Presses a button of a group message; resolves with the bot's answer to the press (its toast or link). */
  const pressInGroup = async (user: TelegramUser, message: SentMessage, label: string) => {
    const button = buttonsOf(message).find((b) => b.text.includes(label));
    if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(buttonsOf(message))}`);
    const update = h.emulator.sendCallback(user, button.data, message);
    return vi.waitFor(
      () => {
        const answer = h.emulator.callbackAnswer(update);
        if (!answer) throw new Error('not answered yet');
        return answer.params as { text?: string; url?: string };
      },
      { timeout: 5_000, interval: 20 },
    );
  };
  const groupCalendarOf = async (userId: number) =>
    (await h.services.calendars.listCalendars(userId)).find((c) => c.name === 'Hiking club');
  /** Runs the worker until `done` resolves (a worker a minute ahead, so a window's announcement is due). */
  const withWorker = async <T>(done: () => Promise<T>): Promise<T> => {
    const worker: WorkerHandle = startInProcessWorker(h.services, {
      config: h.config,
      now: () => new Date(Date.now() + 60_000),
    });
    try {
      return await done();
    } finally {
      await worker.stop();
    }
  };

  it('says hello when added, and /groupcalendar makes the calendar and gives it to its maker', async () => {
    h.emulator.addBotToGroup(group, olga);
    expect((await inGroup()).plain_text).toContain('Send /groupcalendar');
    card = await sayInGroup(olga, '/groupcalendar@televent_test_bot');
    expect(card.plain_text).toContain('This group has a calendar now: Hiking club');
    expect(card.plain_text).toContain('Members with the calendar: 1');
    expect(await groupCalendarOf(olga.id)).toMatchObject({ access: 'write', readOnly: false });
    expect(await groupCalendarOf(pavel.id)).toBeUndefined();
  });

  it('gives the calendar to members who tap the button, sending those new to the bot to it first', async () => {
    const answer = await pressInGroup(pavel, card, 'Add to my calendars');
    expect(answer.text).toContain('“Hiking club” is in your calendars now');
    card = await inGroup((m) => m.edited === true);
    expect(card.plain_text).toContain('Members with the calendar: 2');
    expect(await groupCalendarOf(pavel.id)).toMatchObject({ access: 'write', readOnly: false });

    const link = await pressInGroup(rita, card, 'Add to my calendars');
    expect(link.url).toBe(`https://t.me/televent_test_bot?start=group_${group.id}`);
    const joined = await h.say(rita, `/start group_${group.id}`);
    expect(joined.plain_text).toContain("Hiking club, your group's calendar, is in your calendars now");
    expect((await h.next(rita)).plain_text).toContain('Welcome'); // and the bot's own welcome
    expect(await groupCalendarOf(rita.id)).toMatchObject({ access: 'write' });

    // Someone outside the group cannot take the link's calendar.
    const refused = await h.say(stan, `/start group_${group.id}`);
    expect(refused.plain_text).toContain('Only members of the group can add Hiking club');
    expect(await groupCalendarOf(stan.id)).toBeUndefined();
  });

  it("tells the group about its members' changes in one message, and shows its agenda", async () => {
    const calendar = await groupCalendarOf(pavel.id);
    if (!calendar) throw new Error('Pavel has no group calendar');
    const walk = await h.services.calendars.createEvent(
      pavel.id,
      { summary: 'Ridge walk', start: inHours(30), end: inHours(33), timeZone: 'UTC' },
      calendar.id,
    );
    await h.services.calendars.updateEvent(pavel.id, walk.id, { summary: 'Ridge walk (long route)' });
    const picnic = await h.services.calendars.createEvent(
      rita.id,
      { summary: 'Picnic', start: inHours(50), end: inHours(52), timeZone: 'UTC' },
      calendar.id,
    );
    await h.services.calendars.deleteEvent(rita.id, picnic.id);
    const typo = await h.services.calendars.createEvent(
      olga.id,
      { summary: 'Gear check', start: inHours(26), end: inHours(27), timeZone: 'UTC' },
      calendar.id,
    );

    const told = await withWorker(() => inGroup((m) => (m.plain_text ?? '').includes('Changes in')));
    // One event added then renamed is "added" under its new name; one added and deleted is not told at all.
    expect(told.plain_text).toContain('Pavel added Ridge walk (long route)');
    expect(told.plain_text).toContain('Olga added Gear check');
    expect(told.plain_text).not.toContain('Picnic');
    expect(
      h.emulator.sentMessages(group.id).filter((m) => m.plain_text?.includes('Changes in')),
    ).toHaveLength(1);

    const week = await sayInGroup(pavel, '/week');
    expect(week.plain_text).toContain('Ridge walk (long route)');
    expect(week.plain_text).toContain('Gear check');
    expect(buttonsOf(week).some((b) => b.text.includes('Edit'))).toBe(false); // edits are personal
    expect(typo.summary).toBe('Gear check');
  });

  it("lets an admin make it read-only for members; members' writes are refused, admins' are not", async () => {
    const notAdmin = await pressInGroup(pavel, card, 'Members: read only');
    expect(notAdmin.text).toContain("Only the group's admins can change that");
    const done = await pressInGroup(olga, card, 'Members: read only');
    expect(done.text).toContain('Members can only see the events now');
    card = await inGroup((m) => m.edited === true && (m.plain_text ?? '').includes('admins add and change'));
    expect(buttonsOf(card).some((b) => b.text.includes('Members: can change events'))).toBe(true);

    const calendar = await groupCalendarOf(pavel.id);
    expect(calendar).toMatchObject({ access: 'read', readOnly: true });
    const refused = await h.services.calendars
      .createEvent(pavel.id, { summary: 'Sneaky', start: inHours(5), end: inHours(6) }, calendar?.id)
      .catch((error: unknown) => error);
    expect(isAppError(refused) && refused.reason).toBe('calendar-shared-read-only');
    expect(await groupCalendarOf(olga.id)).toMatchObject({ access: 'write' });
    await h.services.calendars.createEvent(
      olga.id,
      { summary: 'Summit', start: inHours(5.5 / 60), end: inHours(1), timeZone: 'UTC', reminders: [5] },
      calendar?.id,
    );
  });

  it('reminds the group itself, without buttons that only make sense for one person', async () => {
    const reminder = await withWorker(() => inGroup((m) => (m.plain_text ?? '').startsWith('⏰ Summit')));
    expect(reminder.reply_markup).toBeUndefined();
    expect(h.emulator.sentMessages(olga.id).some((m) => m.plain_text?.includes('⏰ Summit'))).toBe(false);
  });

  it('takes the calendar from a member who leaves the group, and from everyone when the bot is removed', async () => {
    h.emulator.leaveGroup(group, pavel);
    await vi.waitFor(async () => expect(await groupCalendarOf(pavel.id)).toBeUndefined(), {
      timeout: 5_000,
      interval: 20,
    });
    expect(await groupCalendarOf(olga.id)).toBeDefined();

    h.emulator.removeBotFromGroup(group, olga);
    await vi.waitFor(async () => expect(await groupCalendarOf(olga.id)).toBeUndefined(), {
      timeout: 5_000,
      interval: 20,
    });
    expect(await groupCalendarOf(rita.id)).toBeUndefined();

    // Back in the group, the calendar (and its events) is too; members add it again.
    h.emulator.addBotToGroup(group, olga);
    const back = await inGroup((m) => (m.plain_text ?? '').includes("I'm back"));
    expect(back.plain_text).toContain('Members with the calendar: 0');
    await pressInGroup(olga, back, 'Add to my calendars');
    const week = await sayInGroup(olga, '/week');
    expect(week.plain_text).toContain('Gear check');
  });

  it('moves with the group when Telegram makes it a supergroup', async () => {
    const moved = h.emulator.migrateGroup(group, olga);
    const card = await sayInGroup(olga, '/groupcalendar', moved);
    expect(card.plain_text).toContain("This group's calendar: Hiking club");
    const calendar = await groupCalendarOf(olga.id);
    await h.services.calendars.createEvent(
      olga.id,
      { summary: 'Lake swim', start: inHours(40), end: inHours(41), timeZone: 'UTC' },
      calendar?.id,
    );
    const told = await withWorker(() =>
      inGroup((m) => (m.plain_text ?? '').includes('Olga added Lake swim'), moved),
    );
    expect(told.chat_id).toBe(moved.id);
    group = moved;
  });

  it('keeps out of everything else said in a group, and says nothing for a group without a calendar', async () => {
    const other = h.emulator.createGroup('Book club', [{ user: stan, status: 'creator' }]);
    h.emulator.addBotToGroup(other, stan);
    await inGroup(() => true, other); // hello
    h.emulator.sendGroupText(other, stan, 'Dinner tomorrow at 7pm'); // would be a quick add in a private chat
    const none = await sayInGroup(stan, '/week', other);
    expect(none.plain_text).toContain('This group has no calendar yet');
    expect(h.emulator.sentMessages(other.id).map((m) => m.plain_text)).not.toContainEqual(
      expect.stringContaining('Dinner'),
    );
    expect((await h.services.calendars.listCalendars(stan.id)).map((c) => c.name)).toEqual(['Televent']);
  });
});
