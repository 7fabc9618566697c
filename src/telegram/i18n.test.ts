import { describe, expect, it } from 'vitest';
import { type RepeatRule, repeatRule } from '../domain/recurrence/repeat-phrase.ts';
import { catalogueKeys, languageFor, translate } from './i18n.ts';
import { describeRepeat } from './repeat-text.ts';
import { formatDay, formatSpan } from './when.ts';

const rule = ({ freq = 'WEEKLY', ...parts }: Partial<RepeatRule>) => repeatRule(freq, parts);

describe('the message catalogue', () => {
  it('says everything in both languages: the English and Russian files have the same keys', () => {
    const en = catalogueKeys('en');
    const ru = catalogueKeys('ru').filter((key) => !key.startsWith('error-reason-'));
    expect(en.length).toBeGreaterThan(150);
    expect(new Set(ru)).toEqual(new Set(en));
  });

  it('speaks Russian to ru* Telegram clients unless the user chose otherwise', () => {
    expect(languageFor(null, 'ru')).toBe('ru');
    expect(languageFor(null, 'ru-RU')).toBe('ru');
    expect(languageFor(null, 'de')).toBe('en');
    expect(languageFor(null, null)).toBe('en');
    expect(languageFor('en', 'ru')).toBe('en');
    expect(languageFor('ru', 'en')).toBe('ru');
  });

  it('chooses Russian plural forms and falls back to English for a missing key', () => {
    expect(translate('ru', 'export-calendar-caption', { count: 1 })).toContain('1 запись');
    expect(translate('ru', 'export-calendar-caption', { count: 3 })).toContain('3 записи');
    expect(translate('ru', 'export-calendar-caption', { count: 7 })).toContain('7 записей');
    expect(translate('ru', 'no-such-key')).toBe('no-such-key');
  });

  it('formats days and times by language, 24-hour in both', () => {
    const start = new Date('2030-03-05T12:00:00Z');
    expect(formatDay(start, 'Europe/Moscow', 'en')).toBe('Tue, 5 Mar 2030');
    expect(formatDay(start, 'Europe/Moscow', 'ru')).toMatch(/^вт, 5 мар/);
    expect(formatSpan(start, new Date('2030-03-05T13:00:00Z'), false, 'Europe/Moscow', 'ru')).toMatch(
      /15:00–16:00$/,
    );
    expect(formatSpan(start, new Date('2030-03-06T12:00:00Z'), true, 'UTC', 'ru')).toMatch(/весь день$/);
  });
});

describe('describeRepeat', () => {
  it.each([
    [rule({ byDay: ['MO'] }), '07:00', 'every Monday at 07:00', 'каждый понедельник в 07:00'],
    [rule({ freq: 'DAILY' }), '09:00', 'every day at 09:00', 'каждый день в 09:00'],
    [
      rule({ interval: 2, byDay: ['TU', 'TH'] }),
      null,
      'every 2 weeks on Tuesday and Thursday',
      'каждые 2 недели по вторникам и четвергам',
    ],
    [rule({ freq: 'MONTHLY', byMonthDay: 15 }), null, 'every month on the 15th', 'каждый месяц 15 числа'],
    [rule({ freq: 'YEARLY', byMonth: 5, byMonthDay: 5 }), null, 'every year on 5 May', 'каждый год 5 мая'],
    [rule({ byDay: ['MO', 'TU', 'WE', 'TH', 'FR'] }), '08:30', 'on weekdays at 08:30', 'по будням в 08:30'],
    [rule({ byDay: ['WE'] }), null, 'every Wednesday', 'каждую среду'],
  ])('spells %o out in English and Russian', (repeat, time, en, ru) => {
    expect(describeRepeat(repeat, { time, until: null }, 'en')).toBe(en);
    expect(describeRepeat(repeat, { time, until: null }, 'ru')).toBe(ru);
  });

  it('names the last day', () => {
    expect(describeRepeat(rule({ freq: 'DAILY' }), { time: null, until: '31 Mar 2030' }, 'en')).toBe(
      'every day until 31 Mar 2030',
    );
  });

  it('says how many times, with Russian plurals', () => {
    const weekly = rule({ byDay: ['MO'] });
    expect(describeRepeat(weekly, { time: '07:00', until: null, count: 4 }, 'en')).toBe(
      'every Monday at 07:00, 4 times',
    );
    expect(describeRepeat(weekly, { time: null, until: null, count: 4 }, 'ru')).toBe(
      'каждый понедельник, 4 раза',
    );
    expect(describeRepeat(weekly, { time: null, until: null, count: 5 }, 'ru')).toBe(
      'каждый понедельник, 5 раз',
    );
  });
});
