import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

// Monday 4 March 2030, 07:30 UTC: 08:30 in Berlin, 10:30 in Moscow.
const now = new Date('2030-03-04T07:30:00Z');

// Every repeat phrase of quick add, in English and its Russian counterpart, through the bot: the
// preview spells the rule out, [Save] stores the RRULE. The rules themselves are unit-tested in
// src/domain/recurrence/repeating-event.test.ts; this proves the chat reaches them in both languages.
const phrases: Array<{ en: string; ru: string; title: [string, string]; rrule: string }> = [
  {
    en: 'Gym every monday at 7am',
    ru: 'Спортзал каждый понедельник в 7 утра',
    title: ['Gym', 'Спортзал'],
    rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO',
  },
  {
    en: 'Standup every day at 9',
    ru: 'Планёрка каждый день в 9',
    title: ['Standup', 'Планёрка'],
    rrule: 'RRULE:FREQ=DAILY',
  },
  {
    en: 'Sync every 2 weeks on tue and thu until march 31',
    ru: 'Созвон каждые 2 недели по вторникам и четвергам до 31 марта',
    title: ['Sync', 'Созвон'],
    rrule: 'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20300331',
  },
  {
    en: 'Rent every month on the 15th',
    ru: 'Аренда каждый месяц 15 числа',
    title: ['Rent', 'Аренда'],
    rrule: 'RRULE:FREQ=MONTHLY;BYMONTHDAY=15',
  },
  {
    en: 'Mum birthday every year on 5 May',
    ru: 'День рождения мамы каждый год 5 мая',
    title: ['Mum birthday', 'День рождения мамы'],
    rrule: 'RRULE:FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5',
  },
  {
    en: 'Standup weekdays at 8:30',
    ru: 'Планёрка по будням в 8:30',
    title: ['Standup', 'Планёрка'],
    rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  },
];

describe('bot: every repeat phrase in English and Russian', () => {
  let h: BotHarness;
  let nextUser = 7300;
  beforeAll(async () => {
    h = await startBotHarness({ now: () => now });
  });
  afterAll(async () => {
    await h.close();
  });

  async function saveThroughChat(phrase: string, language: 'en' | 'ru', title: string): Promise<string> {
    nextUser += 1;
    const user = { id: nextUser, first_name: 'Pat', ...(language === 'ru' ? { language_code: 'ru' } : {}) };
    await h.say(user, `/timezone ${language === 'ru' ? 'Europe/Moscow' : 'Europe/Berlin'}`);
    const preview = await h.say(user, phrase);
    expect(preview.plain_text?.split('\n')[0]).toBe(title);
    expect(preview.plain_text).toContain('🔁 ');
    const saved = await h.press(user, preview, 'qa:save');
    expect(saved.plain_text).toContain(language === 'ru' ? '✅ Сохранено' : '✅ Saved');
    const row = await h.database.db
      .selectFrom('calendar_objects')
      .select('ical')
      .where('owner_id', '=', user.id)
      .executeTakeFirstOrThrow();
    return row.ical.replace(/\r\n[ \t]/g, '');
  }

  it.each(phrases)('$en is saved as its title with the rule', async (p) => {
    const ical = await saveThroughChat(p.en, 'en', p.title[0]);
    expect(ical).toContain(p.rrule);
    expect(ical).toMatch(/DTSTART;(TZID=Europe\/Berlin|VALUE=DATE):/);
  });

  it.each(phrases)('$ru is saved as its title with the rule', async (p) => {
    const ical = await saveThroughChat(p.ru, 'ru', p.title[1]);
    expect(ical).toContain(p.rrule);
    expect(ical).toMatch(/DTSTART;(TZID=Europe\/Moscow|VALUE=DATE):/);
  });
});
