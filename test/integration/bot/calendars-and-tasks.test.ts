import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCallback } from '../../../src/telegram/callback-data.ts';
import type { SentMessage, TelegramUser } from '../../support/telegram-emulator.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';
import { Transcript } from './edit-support.ts';

// Monday 4 March 2030, 07:30 UTC: 08:30 in Berlin, 10:30 in Moscow.
const now = new Date('2030-03-04T07:30:00Z');

describe('bot: several calendars and tasks', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  async function newUser(user: TelegramUser, zone = 'Europe/Berlin'): Promise<void> {
    await h.say(user, `/timezone ${zone}`);
  }

  async function addWork(user: TelegramUser, components = ['VEVENT', 'VTODO']) {
    return h.services.calendarCollections.createCalendar(user.id, { slug: 'work', name: 'Work', components });
  }

  async function eventsIn(user: TelegramUser, calendarId: string): Promise<string[]> {
    const listed = await h.services.calendars.listOccurrences(
      user.id,
      { start: new Date('2030-03-01T00:00:00Z'), end: new Date('2030-04-01T00:00:00Z') },
      { calendarId },
    );
    return listed.occurrences.map((o) => o.summary ?? '');
  }

  const dataOf = (message: SentMessage, text: string) => {
    const button = buttonsOf(message).find((b) => b.text.includes(text));
    if (!button) throw new Error(`no button "${text}" in ${JSON.stringify(buttonsOf(message))}`);
    return button.data;
  };

  it('shows a one-calendar user no calendar choice anywhere', async () => {
    const user = { id: 8101, first_name: 'Una' };
    await newUser(user);
    const preview = await h.say(user, 'Dentist tomorrow at 9am');
    expect(preview.plain_text).not.toContain('Calendar');
    expect(buttonsOf(preview).map((b) => b.text)).toEqual(['Save', 'Edit', 'Cancel']);
    const saved = await h.press(user, preview, 'qa:save');
    expect(saved.plain_text).not.toContain('📅');
    const tomorrow = await h.say(user, '/tomorrow');
    expect(tomorrow.plain_text).toContain('09:00–10:00  Dentist');
    expect(tomorrow.plain_text).not.toContain('📅');

    await h.say(user, '/create');
    await h.say(user, 'Gym');
    await h.say(user, 'tomorrow 18:00');
    const repeat = await h.say(user, '1h');
    const reminders = await h.press(user, repeat, 'cf:rep:none');
    await h.press(user, reminders, 'cf:skip');
    await h.say(user, '/skip'); // notes
    const done = await h.say(user, '/skip'); // place: saved, no calendar question
    expect(done.plain_text).toContain('Gym');
    expect(done.plain_text).not.toContain('calendar');

    const settings = await h.say(user, '/settings');
    expect(settings.plain_text).not.toContain('Default calendar');
    expect(buttonsOf(settings).map((b) => b.data)).not.toContain('st:calendar');
  });

  it('lets a two-calendar user pick "Work" in /create and in quick add, and shows it in the agenda', async () => {
    const user = { id: 8102, first_name: 'Wes' };
    await newUser(user);
    const personal = await h.services.calendars.defaultCalendar(user.id);
    const work = await addWork(user);

    // /create: "Which calendar?" after the other questions, the default marked.
    await h.say(user, '/create');
    await h.say(user, 'Planning');
    await h.say(user, 'tomorrow 10:00');
    const length = await h.say(user, '1h');
    const reminders = await h.press(user, length, 'cf:rep:none');
    await h.press(user, reminders, 'cf:skip');
    await h.say(user, '/skip');
    const which = await h.say(user, '/skip');
    expect(which.plain_text).toContain('Which calendar should it go into?');
    expect(buttonsOf(which).map((b) => b.text)).toEqual([`📅 ${personal.name} ✓`, '📅 Work']);
    const saved = await h.press(
      user,
      which,
      encodeCallback({ kind: 'create-calendar', calendarId: work.id }),
    );
    expect(saved.plain_text).toContain('Planning');
    expect(saved.plain_text).toContain('📅 Calendar: Work');
    expect(await eventsIn(user, work.id)).toEqual(['Planning']);

    // Quick add: the preview names the calendar, and [📅 … ▾] moves the event to the next one.
    const preview = await h.say(user, 'Lunch with Anna friday 13:00');
    expect(preview.plain_text).toContain(`📅 Calendar: ${personal.name}`);
    const moved = await h.press(user, preview, dataOf(preview, '▾'));
    expect(moved.edited).toBe(true);
    expect(moved.plain_text).toContain('📅 Calendar: Work');
    expect(buttonsOf(moved).map((b) => b.text)).toContain('📅 Work ▾');
    const kept = await h.press(user, moved, 'qa:save');
    expect(kept.plain_text).toContain('📅 Calendar: Work');
    expect(await eventsIn(user, work.id)).toEqual(['Planning', 'Lunch with Anna']);
    expect(await eventsIn(user, personal.id)).toEqual([]);

    // Agenda lines name the calendar once there are several.
    await h.services.calendars.createEvent(user.id, {
      summary: 'Dentist',
      start: new Date('2030-03-05T14:00:00Z'),
      end: new Date('2030-03-05T15:00:00Z'),
    });
    const tomorrow = await h.say(user, '/tomorrow');
    expect(tomorrow.plain_text).toContain('10:00–11:00  Planning · 📅 Work');
    expect(tomorrow.plain_text).toContain(`15:00–16:00  Dentist · 📅 ${personal.name}`);
    const week = await h.say(user, '/week');
    expect(week.plain_text).toContain('13:00–14:00  Lunch with Anna · 📅 Work');
  });

  it('changes where quick add puts events with /settings → Default calendar', async () => {
    const user = { id: 8103, first_name: 'Dee' };
    await newUser(user);
    const personal = await h.services.calendars.defaultCalendar(user.id);
    const work = await addWork(user);
    const menu = await h.say(user, '/settings');
    expect(menu.plain_text).toContain(`Default calendar: ${personal.name}`);
    const screen = await h.press(user, menu, 'st:calendar');
    expect(screen.plain_text).toContain('Which calendar should new events go into');
    const chosen = await h.press(
      user,
      screen,
      encodeCallback({ kind: 'settings-calendar', calendarId: work.id }),
    );
    expect(chosen.plain_text).toContain('✅ New events go into Work.');
    expect(chosen.plain_text).toContain('Default calendar: Work');
    expect(await h.services.preferences.getDefaultCalendarId(user.id)).toBe(work.id);

    const preview = await h.say(user, 'Standup tomorrow at 9am');
    expect(preview.plain_text).toContain('📅 Calendar: Work');
    await h.press(user, preview, 'qa:save');
    expect(await eventsIn(user, work.id)).toEqual(['Standup']);

    // Another user's calendar, or a calendar without events, cannot be the default.
    await expect(h.services.preferences.setDefaultCalendar(8102, work.id)).rejects.toMatchObject({
      reason: 'calendar-not-found',
    });
    const todo = await h.services.calendarCollections.createCalendar(user.id, {
      slug: 'todo',
      name: 'Todo',
      components: ['VTODO'],
    });
    await expect(h.services.preferences.setDefaultCalendar(user.id, todo.id)).rejects.toMatchObject({
      reason: 'unsupported-component',
    });
    // Deleting the default calendar sends new events back to the first one.
    await h.services.calendarCollections.deleteCalendar(user.id, work.id);
    expect(await h.services.preferences.getDefaultCalendarId(user.id)).toBeNull();
  });

  it('makes tasks from plain text, lists them in /tasks and completes one with ✓', async () => {
    const user = { id: 8104, first_name: 'Tom' };
    const chat = new Transcript(h, user);
    await newUser(user);
    chat.note('Monday 4 March 2030, 08:30 in Berlin. A user with no tasks yet.');
    const empty = await chat.say('/tasks');
    expect(empty.plain_text).toContain('No open tasks.');
    expect(empty.plain_text).toContain('todo buy milk');

    const milk = await chat.say('todo buy milk');
    expect(milk.plain_text).toBe('☑️ Task added: buy milk');
    expect(buttonsOf(milk).map((b) => b.text)).toEqual(['✓ Done', '🗑 Delete']);
    const anna = await chat.say('remind me to call Anna on friday');
    expect(anna.plain_text).toBe('☑️ Task added: call Anna\nDue: Fri, 8 Mar 2030');
    const report = await chat.say('to do: send the report tomorrow at 17:00');
    expect(report.plain_text).toContain('Due: Tue, 5 Mar 2030 17:00');

    const tasks = await h.services.tasks.list(user.id, 'open');
    expect(tasks.map((t) => [t.summary, t.due])).toEqual(
      expect.arrayContaining([
        ['buy milk', null],
        ['call Anna', '2030-03-08'],
        ['send the report', '2030-03-05T16:00:00.000Z'],
      ]),
    );
    // None of these became an event.
    const week = await h.say(user, '/week');
    expect(week.plain_text).toContain('Nothing planned this week.');

    const list = await chat.say('/tasks');
    expect(list.plain_text).toContain(
      [
        'Open tasks',
        '',
        '1. send the report — due Tue, 5 Mar 2030 17:00',
        '2. call Anna — due Fri, 8 Mar 2030',
        '3. buy milk',
      ].join('\n'),
    );
    const milkTask = tasks.find((t) => t.summary === 'buy milk');
    if (!milkTask) throw new Error('no milk task');
    const ticked = await chat.press(list, encodeCallback({ kind: 'task-done', taskId: milkTask.id }));
    expect(ticked.edited).toBe(true);
    expect(ticked.message_id).toBe(list.message_id);
    expect(ticked.plain_text).toContain('✅ Done: buy milk');
    expect(ticked.plain_text).not.toContain('3. buy milk');
    const answer = h.emulator.calls('answerCallbackQuery').at(-1);
    expect(answer?.params.text).toBe('Done: buy milk');
    const done = await h.services.tasks.list(user.id, 'done');
    expect(done.map((t) => t.summary)).toEqual(['buy milk']);
    expect(done[0]?.status).toBe('COMPLETED');
    expect(done[0]?.completed).toEqual(now);

    // [Undo] opens it again, in the same message.
    const undone = await chat.press(ticked, encodeCallback({ kind: 'task-reopen', taskId: milkTask.id }));
    expect(undone.plain_text).toContain('Open again: buy milk');
    expect(undone.plain_text).toContain('3. buy milk');
    expect(await h.services.tasks.list(user.id, 'done')).toEqual([]);

    // ✓ under the new task's own message says it is done, with [Undo].
    const annaTask = tasks.find((t) => t.summary === 'call Anna');
    if (!annaTask) throw new Error('no Anna task');
    const annaDone = await chat.press(anna, encodeCallback({ kind: 'task-done', taskId: annaTask.id }));
    expect(annaDone.message_id).toBe(anna.message_id);
    expect(annaDone.plain_text).toBe('✅ Done: call Anna');
    expect(buttonsOf(annaDone).map((b) => b.text)).toEqual(['↩️ Undo']);

    // [Delete] under a new task removes it.
    const typo = await chat.say('task: buy mlik');
    const deleted = await chat.press(typo, dataOf(typo, 'Delete'));
    expect(deleted.plain_text).toBe('🗑 Deleted: buy mlik');
    expect((await h.services.tasks.list(user.id, 'all')).map((t) => t.summary)).not.toContain('buy mlik');

    // An ordinary event phrase is still an event.
    const lunch = await h.say(user, 'lunch with Anna friday 13:00');
    expect(lunch.plain_text).toContain('Save this event?');

    chat.writeIfAsked(
      'tasks.md',
      [
        '# Tasks in the chat',
        '',
        'Recorded through the Bot API emulator by `test/integration/bot/calendars-and-tasks.test.ts`',
        '(`WRITE_TRANSCRIPTS=1`): a user in Berlin on Monday 4 March 2030 looks at `/tasks`, adds tasks',
        'in plain words ("todo …", "remind me to …", "to do: … tomorrow at 17:00"), ticks one off with ✓',
        'in the list, undoes it, completes another under its own message and deletes a typo. The tasks',
        'are VTODOs in the default calendar, so Apple Reminders, Thunderbird and tasks.org see them too.',
      ].join('\n'),
    );
  });

  it('reads Russian task phrases, with the due date in the user zone', async () => {
    const user = { id: 8105, first_name: 'Оля', language_code: 'ru' };
    await newUser(user, 'Europe/Moscow');
    const milk = await h.say(user, 'задача купить молоко');
    expect(milk.plain_text).toBe('☑️ Задача добавлена: купить молоко');
    expect(buttonsOf(milk).map((b) => b.text)).toEqual(['✓ Готово', '🗑 Удалить']);
    const anna = await h.say(user, 'напомни позвонить Анне в пятницу');
    expect(anna.plain_text).toMatch(/^☑️ Задача добавлена: позвонить Анне\nСрок: пт, 8 мар/);
    const report = await h.say(user, 'надо сдать отчёт завтра в 10:00');
    expect(report.plain_text).toMatch(/Срок: вт, 5 мар.* 10:00/);
    const tasks = await h.services.tasks.list(user.id, 'open');
    expect(tasks.map((t) => [t.summary, t.due])).toEqual(
      expect.arrayContaining([
        ['купить молоко', null],
        ['позвонить Анне', '2030-03-08'],
        ['сдать отчёт', '2030-03-05T07:00:00.000Z'],
      ]),
    );
    const list = await h.say(user, '/tasks');
    expect(list.plain_text).toContain('Открытые задачи');
    expect(list.plain_text).toContain('1. сдать отчёт — срок');
    // An ordinary Russian event is still an event.
    const meeting = await h.say(user, 'Встреча завтра в 15:00');
    expect(meeting.plain_text).toContain('Сохранить это событие?');
  });

  it('puts tasks in the default calendar when it holds tasks, else in the first that does', async () => {
    const user = { id: 8106, first_name: 'Kit' };
    await newUser(user);
    const personal = await h.services.calendars.defaultCalendar(user.id);
    const work = await addWork(user);
    await h.services.preferences.setDefaultCalendar(user.id, work.id);
    await h.say(user, 'todo book flights');
    const [flights] = await h.services.tasks.list(user.id, 'open');
    expect(flights?.calendarId).toBe(work.id);

    const events = await h.services.calendarCollections.createCalendar(user.id, {
      slug: 'events',
      name: 'Events only',
      components: ['VEVENT'],
    });
    await h.services.preferences.setDefaultCalendar(user.id, events.id);
    await h.say(user, 'todo pack bags');
    const packed = (await h.services.tasks.list(user.id, 'open')).find((t) => t.summary === 'pack bags');
    expect(packed?.calendarId).toBe(personal.id);
  });

  it('bounds a hostile or huge task title like an event title', async () => {
    const user = { id: 8107, first_name: 'Hal' };
    await newUser(user);
    const hostile = await h.say(user, 'todo <b>&</b> <script>x</script>');
    expect(hostile.parse_mode).toBe('HTML');
    expect(hostile.plain_text).toBe('☑️ Task added: <b>&</b> <script>x</script>');
    const huge = await h.say(user, `todo ${'x'.repeat(5000)}`);
    expect(huge.plain_text).toBe('A task title has at most 200 characters.');
    const long = await h.say(user, `remind me to ${'y'.repeat(250)} tomorrow`);
    expect(long.plain_text).toBe('A task title has at most 200 characters.');
    const titles = (await h.services.tasks.list(user.id, 'all')).map((t) => t.summary);
    expect(titles).toEqual(['<b>&</b> <script>x</script>']);
  });

  it('pages a long /tasks list with ‹ ›', async () => {
    const user = { id: 8108, first_name: 'Pam' };
    await newUser(user);
    for (let i = 1; i <= 10; i++) await h.services.tasks.create(user.id, { summary: `chore ${i}` });
    const first = await h.say(user, '/tasks');
    expect(first.plain_text).toContain('Page 1 of 2');
    expect(buttonsOf(first).filter((b) => b.text.startsWith('✓'))).toHaveLength(8);
    const second = await h.press(user, first, encodeCallback({ kind: 'tasks-page', page: 1 }));
    expect(second.plain_text).toContain('Page 2 of 2');
    expect(buttonsOf(second).filter((b) => b.text.startsWith('✓'))).toHaveLength(2);
  });

  it('lists /tasks in /help and in the command menu', async () => {
    const user = { id: 8109, first_name: 'Hel' };
    const help = await h.say(user, '/help');
    expect(help.plain_text).toContain('/tasks — your open tasks');
    const commands = h.emulator.calls('setMyCommands')[0]?.params.commands as Array<{ command: string }>;
    expect(commands.map((c) => c.command)).toContain('tasks');
  });
});
