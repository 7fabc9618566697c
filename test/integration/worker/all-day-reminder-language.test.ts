import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcToZoned, zonedToUtc } from '../../../src/domain/time/time-zone.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, eventually, jobsOf, openWorkerTest, type WorkerTest } from './worker-support.ts';

describe(`an all-day event's default reminder, in the user's language [${testEngine}]`, () => {
  let test: WorkerTest;

  beforeAll(async () => {
    test = await openWorkerTest();
    test.start({ workerId: 'all-day' });
  });
  afterAll(async () => {
    await test.close();
  });

  it('fires at 09:00 on the day in the user zone, not 15 minutes before midnight, and speaks Russian', async () => {
    const user = 3901;
    await test.services.accounts.ensureUser({ telegramId: user, timeZone: 'Europe/Moscow', locale: 'ru' });
    // Tomorrow in Moscow, all day (within the two-day planning horizon).
    const today = utcToZoned(test.clock.now(), 'Europe/Moscow');
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
    const local = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const start = zonedToUtc(local, 'Europe/Moscow');
    const event = await test.services.calendars.createEvent(user, {
      summary: 'Отпуск',
      start,
      end: new Date(start.getTime() + 86_400_000),
      allDay: true,
      timeZone: 'Europe/Moscow',
    });
    const nine = zonedToUtc({ ...local, hour: 9 }, 'Europe/Moscow');
    const planned = await eventually(async () => {
      await drained(test, 'calendar.object-changed');
      const rows = (await jobsOf(test, 'reminder.send')).filter((r) =>
        r.dedupe_key?.startsWith(`reminder:${event.id}:`),
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(planned.map((r) => r.run_at.toISOString())).toEqual([nine.toISOString()]);

    test.clock.set(new Date(nine.getTime() + 1_000));
    const message = await test.telegram.waitForMessage(user, undefined, 10_000);
    expect(message.plain_text).toContain('⏰ Отпуск');
    expect(message.plain_text).toContain('весь день');
    expect(message.reply_markup).toMatchObject({
      inline_keyboard: [[{ text: 'Отложить на 10 мин' }, { text: 'Открыть' }, { text: 'Изменить' }]],
    });
    test.clock.offsetMs = 0;
  });
});
