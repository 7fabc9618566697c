import { describe, expect, it } from 'vitest';
import { takeRepeatPhrase } from './repeat-phrase.ts';
import { parseRepeatingQuickAdd } from './repeating-event.ts';

// Monday 4 March 2030, 08:30 in Berlin (CET, UTC+1) and 10:30 in Moscow (UTC+3).
const now = new Date('2030-03-04T07:30:00Z');
const berlin = { timeZone: 'Europe/Berlin', now };
const moscow = { timeZone: 'Europe/Moscow', now, language: 'ru' as const };

const cases: Array<{
  en: string;
  ru: string;
  title: [string, string];
  rrule: string;
  /** Local start in Berlin and in Moscow, or the day for all-day events. */
  start: [string, string];
  allDay: boolean;
}> = [
  {
    en: 'Gym every monday at 7am',
    ru: 'Спортзал каждый понедельник в 7 утра',
    title: ['Gym', 'Спортзал'],
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    // 07:00 today has passed in both zones: next Monday.
    start: ['2030-03-11T06:00:00.000Z', '2030-03-11T04:00:00.000Z'],
    allDay: false,
  },
  {
    en: 'Standup every day at 9',
    ru: 'Планёрка каждый день в 9',
    title: ['Standup', 'Планёрка'],
    rrule: 'FREQ=DAILY',
    // 09:00 is still ahead in Berlin (08:30), passed in Moscow (10:30).
    start: ['2030-03-04T08:00:00.000Z', '2030-03-05T06:00:00.000Z'],
    allDay: false,
  },
  {
    en: 'Sync every 2 weeks on tue and thu until march 31',
    ru: 'Созвон каждые 2 недели по вторникам и четвергам до 31 марта',
    title: ['Sync', 'Созвон'],
    rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20300331',
    start: ['2030-03-04T23:00:00.000Z', '2030-03-04T21:00:00.000Z'],
    allDay: true,
  },
  {
    en: 'Rent every month on the 15th',
    ru: 'Аренда каждый месяц 15 числа',
    title: ['Rent', 'Аренда'],
    rrule: 'FREQ=MONTHLY;BYMONTHDAY=15',
    start: ['2030-03-14T23:00:00.000Z', '2030-03-14T21:00:00.000Z'],
    allDay: true,
  },
  {
    en: 'Mum birthday every year on 5 May',
    ru: 'День рождения мамы каждый год 5 мая',
    title: ['Mum birthday', 'День рождения мамы'],
    rrule: 'FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5',
    start: ['2030-05-04T22:00:00.000Z', '2030-05-04T21:00:00.000Z'],
    allDay: true,
  },
  {
    en: 'Standup weekdays at 8:30',
    ru: 'Планёрка по будням в 8:30',
    title: ['Standup', 'Планёрка'],
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    // 08:30 is now in Berlin (kept), passed in Moscow: Tuesday.
    start: ['2030-03-04T07:30:00.000Z', '2030-03-05T05:30:00.000Z'],
    allDay: false,
  },
];

describe('parseRepeatingQuickAdd', () => {
  it.each(cases)('reads "$en" into a title without the repeat words and its RRULE', (c) => {
    const parsed = parseRepeatingQuickAdd(c.en, berlin);
    expect(parsed).toMatchObject({ title: c.title[0], rrule: c.rrule, allDay: c.allDay });
    expect(parsed?.start.toISOString()).toBe(c.start[0]);
  });

  it.each(cases)('reads the Russian "$ru" the same way', (c) => {
    const parsed = parseRepeatingQuickAdd(c.ru, moscow);
    expect(parsed).toMatchObject({ title: c.title[1], rrule: c.rrule, allDay: c.allDay });
    expect(parsed?.start.toISOString()).toBe(c.start[1]);
  });

  it('keeps the length from "for 1h" / "на час" and the default hour otherwise', () => {
    const en = parseRepeatingQuickAdd('Swim every friday at 18:00 for 45 min', berlin);
    expect((en?.end.getTime() ?? 0) - (en?.start.getTime() ?? 0)).toBe(45 * 60_000);
    const ru = parseRepeatingQuickAdd('Бассейн каждую пятницу в 18:00 на полчаса', moscow);
    expect(ru).toMatchObject({ title: 'Бассейн', rrule: 'FREQ=WEEKLY;BYDAY=FR' });
    expect((ru?.end.getTime() ?? 0) - (ru?.start.getTime() ?? 0)).toBe(30 * 60_000);
  });

  it('writes UNTIL of a timed series as the UTC end of that local day (RFC 5545 §3.3.10)', () => {
    const parsed = parseRepeatingQuickAdd('Sync every week on tue until april 2 at 10:00', berlin);
    // 2 April 2030 ends at 23:59:59 CEST (UTC+2).
    expect(parsed?.rrule).toBe('FREQ=WEEKLY;BYDAY=TU;UNTIL=20300402T215959Z');
  });

  it('says nothing for text without repetition', () => {
    expect(parseRepeatingQuickAdd('Dentist tomorrow at 9am', berlin)).toBeNull();
    expect(parseRepeatingQuickAdd('Стоматолог завтра в 9:00', moscow)).toBeNull();
  });
});

describe('takeRepeatPhrase', () => {
  it('reads intervals, "other" and several days', () => {
    expect(takeRepeatPhrase('Review every other week')?.rule).toMatchObject({ freq: 'WEEKLY', interval: 2 });
    expect(takeRepeatPhrase('Gym every mon, wed and fri at 18:00')).toMatchObject({
      rule: { freq: 'WEEKLY', byDay: ['MO', 'WE', 'FR'] },
      rest: 'Gym at 18:00',
    });
    expect(takeRepeatPhrase('Бассейн каждую среду и пятницу в 19:00', 'ru')).toMatchObject({
      rule: { freq: 'WEEKLY', byDay: ['WE', 'FR'] },
      rest: 'Бассейн в 19:00',
    });
    expect(takeRepeatPhrase('Отчёт ежемесячно', 'ru')?.rule).toMatchObject({ freq: 'MONTHLY', interval: 1 });
  });
});
