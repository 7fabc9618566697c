import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { utcToZoned, zonedToUtc } from '../../../src/domain/time/time-zone.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import type { OutboxMessageRow } from '../../../src/storage/schema.ts';
import { encodeCallback } from '../../../src/telegram/callback-data.ts';
import type { WorkerHandle } from '../../../src/worker/run-worker.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, eventually, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

// Tasks (VTODO) are reminded of when they are due, through the same planning as events: every
// write of the task (REST, CalDAV) re-plans it, so completing, deleting or moving DUE cancels or
// moves the pending reminder.

const zone = 'Europe/Berlin';
let nextUser = 13_401;

/** `daysAhead` days after today in Berlin: its date (YYYYMMDD for iCalendar) and a wall-clock time on it. */
function berlinDay(daysAhead: number) {
  const today = utcToZoned(new Date(), zone);
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + daysAhead));
  const parts = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
  const iso = day.toISOString().slice(0, 10);
  return {
    iso,
    ical: iso.replaceAll('-', ''),
    at: (hour: number, minutes = 0) => zonedToUtc({ ...parts, hour, minute: minutes, second: 0 }, zone),
  };
}

/** "20261203T090000Z" */
function utcStamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A VTODO as a CalDAV client writes it: DUE (DATE-TIME or DATE), DTSTART and VALARM TRIGGER lines optional. */
function todoText(task: {
  uid: string;
  summary: string;
  due?: string;
  dtstart?: string;
  triggers?: string[];
  status?: string;
}): string {
  const alarms = (task.triggers ?? []).flatMap((trigger) => [
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Reminder',
    trigger,
    'END:VALARM',
  ]);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Televent tests//EN',
    'BEGIN:VTODO',
    `UID:${task.uid}`,
    'DTSTAMP:20261201T000000Z',
    `SUMMARY:${task.summary}`,
    ...(task.dtstart ? [task.dtstart] : []),
    ...(task.due ? [task.due] : []),
    `STATUS:${task.status ?? 'NEEDS-ACTION'}`,
    ...alarms,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe(`task reminders [${testEngine}]`, () => {
  let test: WorkerTest;
  let worker: WorkerHandle;
  let user: number;

  beforeAll(async () => {
    test = await openWorkerTest();
    worker = test.start({ workerId: 'task-reminders' });
  });
  afterAll(async () => {
    await worker.stop();
    await test.close();
  });
  beforeEach(async () => {
    user = nextUser++;
    test.clock.offsetMs = 0;
    await test.services.accounts.ensureUser({ telegramId: user, timeZone: zone });
    await test.services.preferences.updatePreferences(user, { defaultReminderMinutes: 15 });
  });

  async function remindersOf(taskId: string): Promise<OutboxMessageRow[]> {
    await drained(test, 'calendar.object-changed');
    return (await jobsOf(test, 'reminder.send')).filter((r) =>
      r.dedupe_key?.startsWith(`reminder:${taskId}:`),
    );
  }

  async function pendingTimes(taskId: string): Promise<string[]> {
    return (await remindersOf(taskId))
      .filter((r) => r.status === 'pending')
      .map((r) => r.run_at.toISOString());
  }

  /** Stores a VTODO in the user's calendar as a CalDAV PUT does; returns its id and a way to rewrite it. */
  async function putTask(task: Parameters<typeof todoText>[0]) {
    const calendar = await test.services.calendars.defaultCalendar(user);
    const href = `${task.uid}.ics`;
    const { object } = await test.services.calendars.putObject(user, calendar.id, href, todoText(task));
    return {
      id: object.id,
      rewrite: (changed: Parameters<typeof todoText>[0]) =>
        test.services.calendars.putObject(user, calendar.id, href, todoText(changed)),
    };
  }

  it('reminds of a task due tomorrow 10:00 at 09:45 by the default, with the task and [✓ Done]', async () => {
    const tomorrow = berlinDay(1);
    const task = await test.services.tasks.create(user, {
      summary: 'Buy milk',
      due: `${tomorrow.iso}T10:00`,
    });
    const due = tomorrow.at(10);
    const fireAt = tomorrow.at(9, 45);
    expect(await pendingTimes(task.id)).toEqual([fireAt.toISOString()]);

    test.clock.set(new Date(fireAt.getTime() + 2_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.plain_text).toBe('☑️ Task due: Buy milk — today 10:00');
    expect(message.text).toContain('<b>Buy milk</b>');
    expect(message.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: '✓ Done', callback_data: encodeCallback({ kind: 'task-done', taskId: task.id }) },
          {
            text: 'Snooze 10 min',
            callback_data: encodeCallback({ kind: 'snooze', eventId: task.id, occurrenceStart: due }),
          },
        ],
      ],
    });
    await eventually(async () => (await remindersOf(task.id))[0]?.status === 'done');
    expect(test.telegram.sentMessages(user)).toHaveLength(1);
  });

  it('speaks Russian to a Russian-speaking user', async () => {
    await test.services.accounts.setLanguage(user, 'ru');
    const tomorrow = berlinDay(1);
    const task = await test.services.tasks.create(user, {
      summary: 'Купить молоко',
      due: `${tomorrow.iso}T18:00`,
    });
    const fireAt = tomorrow.at(17, 45);
    expect(await pendingTimes(task.id)).toEqual([fireAt.toISOString()]);
    test.clock.set(new Date(fireAt.getTime() + 2_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.plain_text).toBe('☑️ Срок задачи: Купить молоко — сегодня 18:00');
    expect(JSON.stringify(message.reply_markup)).toContain('✓ Готово');
  });

  it("follows the task's own alarms: RELATED=END counts from DUE, a plain trigger from DTSTART", async () => {
    const tomorrow = berlinDay(1);
    const { id } = await putTask({
      uid: 'related-end',
      summary: 'Send the report',
      dtstart: `DTSTART:${utcStamp(tomorrow.at(8))}`,
      due: `DUE:${utcStamp(tomorrow.at(10))}`,
      triggers: ['TRIGGER;RELATED=END:-PT30M', 'TRIGGER:-PT10M'],
    });
    // The default (15 min before DUE) is not added: the task has alarms of its own.
    expect(await pendingTimes(id)).toEqual([
      tomorrow.at(7, 50).toISOString(),
      tomorrow.at(9, 30).toISOString(),
    ]);

    test.clock.set(new Date(tomorrow.at(9, 30).getTime() + 2_000));
    const message = await test.telegram.waitForMessage(
      user,
      (m) => m.plain_text?.includes('Send the report') === true,
      10_000,
    );
    expect(message.plain_text).toBe('☑️ Task due: Send the report — today 10:00');
  });

  it('reminds at the due time when the task has an alarm there (as Apple Reminders and tasks.org write it)', async () => {
    const tomorrow = berlinDay(1);
    const { id } = await putTask({
      uid: 'at-due',
      summary: 'Water the plants',
      due: `DUE:${utcStamp(tomorrow.at(10))}`,
      triggers: [`TRIGGER;VALUE=DATE-TIME:${utcStamp(tomorrow.at(10))}`, 'TRIGGER;RELATED=END:PT0S'],
    });
    // Both alarms are kept as written (each trigger is its own reminder), none added.
    expect(await pendingTimes(id)).toEqual([tomorrow.at(10).toISOString(), tomorrow.at(10).toISOString()]);
  });

  it('reminds of a date-only DUE at 09:00 on the day, or 18:00 the evening before for a lead of a day', async () => {
    const tomorrow = berlinDay(1);
    await test.services.preferences.updatePreferences(user, { defaultReminderMinutes: 1440 });
    const dayAfter = berlinDay(2);
    const gift = await putTask({
      uid: 'date-due-2',
      summary: 'Buy a gift',
      due: `DUE;VALUE=DATE:${dayAfter.ical}`,
    });
    expect(await pendingTimes(gift.id)).toEqual([tomorrow.at(18).toISOString()]);
    await test.services.tasks.delete(user, gift.id);

    await test.services.preferences.updatePreferences(user, { defaultReminderMinutes: 15 });
    const rent = await putTask({
      uid: 'date-due',
      summary: 'Pay rent',
      due: `DUE;VALUE=DATE:${tomorrow.ical}`,
    });
    expect(await pendingTimes(rent.id)).toEqual([tomorrow.at(9).toISOString()]);

    test.clock.set(new Date(tomorrow.at(9).getTime() + 2_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.plain_text).toBe('☑️ Task due: Pay rent — today');
  });

  it('cancels the reminder when the task is completed (and plans it again when reopened or deleted)', async () => {
    const tomorrow = berlinDay(1);
    const task = await test.services.tasks.create(user, {
      summary: 'Call Anna',
      due: `${tomorrow.iso}T10:00`,
    });
    const fireAt = tomorrow.at(9, 45);
    expect(await pendingTimes(task.id)).toEqual([fireAt.toISOString()]);

    await test.services.tasks.complete(user, task.id);
    expect(await pendingTimes(task.id)).toEqual([]);
    expect((await remindersOf(task.id)).map((r) => r.status)).toEqual(['cancelled']);

    await test.services.tasks.reopen(user, task.id);
    expect(await pendingTimes(task.id)).toEqual([fireAt.toISOString()]);
    await test.services.tasks.delete(user, task.id);
    expect(await pendingTimes(task.id)).toEqual([]);

    test.clock.set(new Date(fireAt.getTime() + 2_000));
    await drained(test, 'reminder.send');
    expect(test.telegram.sentMessages(user)).toEqual([]);
  });

  it('cancels the reminder of a task a client marks COMPLETED or CANCELLED', async () => {
    const tomorrow = berlinDay(1);
    const task = { uid: 'client-done', summary: 'Renew passport', due: `DUE:${utcStamp(tomorrow.at(10))}` };
    const { id, rewrite } = await putTask(task);
    expect(await pendingTimes(id)).toEqual([tomorrow.at(9, 45).toISOString()]);
    await rewrite({ ...task, status: 'CANCELLED' });
    expect(await pendingTimes(id)).toEqual([]);
    await rewrite({ ...task, status: 'NEEDS-ACTION' });
    expect(await pendingTimes(id)).toEqual([tomorrow.at(9, 45).toISOString()]);
    await rewrite({ ...task, status: 'COMPLETED' });
    expect(await pendingTimes(id)).toEqual([]);
  });

  it('moves the pending reminder when DUE moves', async () => {
    const tomorrow = berlinDay(1);
    const task = { uid: 'moving', summary: 'Book flights', due: `DUE:${utcStamp(tomorrow.at(10))}` };
    const { id, rewrite } = await putTask(task);
    expect(await pendingTimes(id)).toEqual([tomorrow.at(9, 45).toISOString()]);

    await rewrite({ ...task, due: `DUE:${utcStamp(tomorrow.at(12))}` });
    expect(await pendingTimes(id)).toEqual([tomorrow.at(11, 45).toISOString()]);
    expect((await remindersOf(id)).filter((r) => r.status === 'cancelled')).toHaveLength(1);

    test.clock.set(new Date(tomorrow.at(11, 45).getTime() + 2_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.plain_text).toBe('☑️ Task due: Book flights — today 12:00');
    expect(test.telegram.sentMessages(user)).toHaveLength(1);
  });

  it('plans a task due beyond the horizon once the hourly roll reaches it', async () => {
    const inThreeDays = berlinDay(3);
    const task = await test.services.tasks.create(user, {
      summary: 'Visa appointment',
      due: `${inThreeDays.iso}T10:00`,
    });
    expect(await remindersOf(task.id)).toEqual([]);

    test.clock.set(berlinDay(2).at(12));
    await enqueueMessages(test.database.db, [
      { kind: 'reminders.roll-horizon', payload: {}, dedupeKey: `task-roll-${user}` },
    ]);
    await drained(test, 'reminders.roll-horizon');
    expect(await pendingTimes(task.id)).toEqual([inThreeDays.at(9, 45).toISOString()]);
  });

  it('plans nothing for a task without DUE, nor by default when the default reminder is "none"', async () => {
    const undated = await test.services.tasks.create(user, { summary: 'Someday: learn Welsh' });
    expect(await remindersOf(undated.id)).toEqual([]);

    await test.services.preferences.updatePreferences(user, { defaultReminderEnabled: false });
    const tomorrow = berlinDay(1);
    const quiet = await test.services.tasks.create(user, {
      summary: 'Tidy up',
      due: `${tomorrow.iso}T10:00`,
    });
    expect(await remindersOf(quiet.id)).toEqual([]);
    // A task's own alarm still reminds.
    const { id } = await putTask({
      uid: 'own-alarm',
      summary: 'Pick up parcel',
      due: `DUE:${utcStamp(tomorrow.at(10))}`,
      triggers: ['TRIGGER;RELATED=END:-PT1H'],
    });
    expect(await pendingTimes(id)).toEqual([tomorrow.at(9).toISOString()]);
  });

  it('snoozes a task reminder for 10 minutes, and drops the snooze once the task is done', async () => {
    const tomorrow = berlinDay(1);
    const task = await test.services.tasks.create(user, {
      summary: 'Take pills',
      due: `${tomorrow.iso}T10:00`,
    });
    const due = tomorrow.at(10);
    test.clock.set(new Date(tomorrow.at(9, 45).getTime() + 2_000));
    await test.telegram.waitForMessage(user, undefined, 10_000);

    const snoozedUntil = await test.services.reminders.snooze(user, task.id, due);
    test.clock.set(new Date(snoozedUntil.getTime() + 2_000));
    const again = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(again.plain_text).toBe('☑️ Task due: Take pills — today 10:00');

    const snoozedAgain = await test.services.reminders.snooze(user, task.id, due);
    await test.services.tasks.complete(user, task.id);
    test.clock.set(new Date(snoozedAgain.getTime() + 2_000));
    await eventually(async () => {
      const rows = await jobsOf(test, 'reminder.send');
      return (
        rows.find((r) => r.dedupe_key === `snooze:${task.id}:${snoozedAgain.toISOString()}`)?.status ===
        'done'
      );
    });
    expect(test.telegram.sentMessages(user)).toHaveLength(2);
  });
});
