import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, buttonsOf, startBotHarness } from './bot-harness.ts';
import { type CaldavReader, startCaldavReader, Transcript } from './edit-support.ts';

// Monday 4 March 2030, 07:30 UTC: 10:30 in Moscow (UTC+3 all year).
const now = new Date('2030-03-04T07:30:00Z');
const seconds = (iso: string) => new Date(iso).getTime() / 1000;

describe(`bot: a Russian-speaking user edits one occurrence [${testEngine}]`, () => {
  let h: BotHarness;
  let caldav: CaldavReader;

  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
    caldav = await startCaldavReader(h);
  });
  afterAll(async () => {
    await caldav?.close();
    await h?.close();
  });

  it('moves only the one on 18 March, all in Russian, stored as a RECURRENCE-ID override', async () => {
    const user = { id: 7451, first_name: 'Ольга', language_code: 'ru' };
    await h.services.accounts.ensureUser({ telegramId: user.id, timeZone: 'Europe/Moscow' });
    // Mondays 09:00 in Moscow, five times from 11 March.
    const standup = await h.services.calendars.createEvent(user.id, {
      summary: 'Планёрка',
      start: new Date('2030-03-11T06:00:00Z'),
      end: new Date('2030-03-11T06:30:00Z'),
      rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5',
    });
    const chat = new Transcript(h, user);

    const agenda = await chat.say('/list');
    expect(agenda.plain_text).toContain('Предстоящие');
    const picker = await chat.press(agenda, 'ed:ag:list:0');
    expect(picker.plain_text).toBe('Какое из них изменить?');
    const second = `ed:${standup.id}:${seconds('2030-03-18T06:00:00Z')}`;
    expect(buttonsOf(picker).find((b) => b.data === second)?.text).toBe(
      'пн, 18 мар. 2030 г. 09:00 · Планёрка 🔁',
    );

    const menu = await chat.press(picker, second);
    expect(menu.plain_text).toContain('✏️ Что изменить?');
    expect(menu.plain_text).toContain('🕒 пн, 18 мар. 2030 г., 09:00–09:30');
    expect(menu.plain_text).toContain('🔁 каждый понедельник в 09:00, 5 раз');
    expect(menu.plain_text).toContain('Событие повторяется; это повторение от пн, 18 мар. 2030 г.');
    const askWhen = await chat.press(menu, 'ed:f:when');
    expect(askWhen.plain_text).toContain('Сейчас: пн, 18 мар. 2030 г., 09:00–09:30');
    const scope = await chat.say('11:00');
    expect(scope.plain_text).toBe(
      'Планёрка повторяется. Изменить только событие пн, 18 мар. 2030 г., его и следующие или все?',
    );
    expect(buttonsOf(scope).map((b) => b.text)).toEqual(['Только это', 'Это и следующие', 'Все', '‹ Назад']);
    const saved = await chat.press(scope, 'ed:sc:this');
    expect(saved.edited).toBe(true);
    expect(saved.plain_text).toContain('✅ Изменено');
    expect(saved.plain_text).toContain('🕒 пн, 18 мар. 2030 г., 11:00–11:30');
    // The series keeps its own time; only this one moved.
    expect(saved.plain_text).toContain('🔁 каждый понедельник в 09:00, 5 раз');
    expect(saved.plain_text).toContain(
      'Изменено только событие пн, 18 мар. 2030 г.; остальная серия осталась.',
    );
    await chat.press(saved, 'ed:done');

    const { occurrences } = await h.services.calendars.listOccurrences(user.id, {
      start: new Date('2030-03-01T00:00:00Z'),
      end: new Date('2030-05-01T00:00:00Z'),
    });
    expect(occurrences.map((o) => o.start.toISOString())).toEqual([
      '2030-03-11T06:00:00.000Z',
      '2030-03-18T08:00:00.000Z',
      '2030-03-25T06:00:00.000Z',
      '2030-04-01T06:00:00.000Z',
      '2030-04-08T06:00:00.000Z',
    ]);
    const ical = await caldav.get(user.id, standup.href);
    expect(ical).toContain('RRULE:FREQ=WEEKLY;COUNT=5;BYDAY=MO\r\n');
    expect(ical).toContain('RECURRENCE-ID;TZID=Europe/Moscow:20300318T090000\r\n');
    expect(ical).toContain('DTSTART;TZID=Europe/Moscow:20300318T110000\r\n');
  });
});
