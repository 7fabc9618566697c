import { describe, expect, it } from 'vitest';
import { InvalidDateText } from '../errors.ts';
import { parseNaturalDate, parseQuickAdd } from './natural-date.ts';

// Saturday 21:00 in Berlin, the evening before clocks go forward to summer time.
const berlin = { timeZone: 'Europe/Berlin', now: new Date('2026-03-28T20:00:00Z') };
const iso = (text: string, context = berlin) => parseNaturalDate(text, context).start.toISOString();

describe('parseNaturalDate', () => {
  it.each([
    ['tomorrow 10am', '2026-03-29T08:00:00.000Z'],
    ['next monday 14:00', '2026-03-30T12:00:00.000Z'],
    ['2026-01-25 14:00', '2026-01-25T13:00:00.000Z'],
    ['in 2 hours', '2026-03-28T22:00:00.000Z'],
    ['at 3pm', '2026-03-29T13:00:00.000Z'],
    ['at 9:30pm', '2026-03-28T20:30:00.000Z'],
    ['friday at 1pm', '2026-04-03T11:00:00.000Z'],
  ])('reads %j as wall-clock time in Europe/Berlin across the DST change', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it('reads a bare date as the start of that day in the zone, without a time', () => {
    expect(parseNaturalDate('tomorrow', berlin)).toEqual({
      start: new Date('2026-03-28T23:00:00Z'),
      end: null,
      hasTime: false,
      matchedText: 'tomorrow',
    });
  });

  it('reads "tomorrow" from the zone, not from UTC', () => {
    // 04:00 on 21 January in Singapore, still 20 January in UTC.
    const singapore = { timeZone: 'Asia/Singapore', now: new Date('2026-01-20T20:00:00Z') };
    expect(iso('tomorrow 10am', singapore)).toBe('2026-01-22T02:00:00.000Z');
  });

  it('uses standard time the day after New York falls back', () => {
    const newYork = { timeZone: 'America/New_York', now: new Date('2026-10-31T20:00:00Z') };
    expect(iso('tomorrow 10am', newYork)).toBe('2026-11-01T15:00:00.000Z');
  });

  it('returns the end of a time range and the text it matched', () => {
    const parsed = parseNaturalDate('see you 10:00 - 11:30 tomorrow', berlin);
    expect(parsed.matchedText).toBe('10:00 - 11:30 tomorrow');
    expect(parsed.start.toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(parsed.end?.toISOString()).toBe('2026-03-29T09:30:00.000Z');
  });

  it.each(['blah blah', '', 'the thirteenth floor'])('refuses %j with an example of what works', (text) => {
    expect(() => parseNaturalDate(text, berlin)).toThrow(InvalidDateText);
    expect(() => parseNaturalDate(text, berlin)).toThrow(/tomorrow 10am/);
  });
});

describe('parseQuickAdd', () => {
  it('splits title, time, length and place', () => {
    expect(parseQuickAdd('Lunch with Anna on Friday at 1pm for 1h at Cafe Central', berlin)).toEqual({
      title: 'Lunch with Anna',
      start: new Date('2026-04-03T11:00:00Z'),
      end: new Date('2026-04-03T12:00:00Z'),
      allDay: false,
      location: 'Cafe Central',
    });
  });

  it('defaults to one hour and no place', () => {
    expect(parseQuickAdd('Dentist tomorrow 15:00', berlin)).toEqual({
      title: 'Dentist',
      start: new Date('2026-03-29T13:00:00Z'),
      end: new Date('2026-03-29T14:00:00Z'),
      allDay: false,
      location: null,
    });
  });

  it('reads a place given before the time and a length in minutes', () => {
    const parsed = parseQuickAdd('Coffee at Bean Bar tomorrow 9am for 45 min', berlin);
    expect(parsed).toMatchObject({ title: 'Coffee', location: 'Bean Bar' });
    expect(parsed.end.getTime() - parsed.start.getTime()).toBe(45 * 60_000);
  });

  it('uses a time range for the end', () => {
    const parsed = parseQuickAdd('Standup 10:00-10:15 tomorrow', berlin);
    expect(parsed.title).toBe('Standup');
    expect(parsed.end.getTime() - parsed.start.getTime()).toBe(15 * 60_000);
  });

  it('makes a bare date an all-day event spanning that local day', () => {
    expect(parseQuickAdd('Birthday party on Friday', berlin)).toEqual({
      title: 'Birthday party',
      start: new Date('2026-04-02T22:00:00Z'),
      end: new Date('2026-04-03T22:00:00Z'),
      allDay: true,
      location: null,
    });
  });

  it('refuses text without a date', () => {
    expect(() => parseQuickAdd('Buy milk', berlin)).toThrow(InvalidDateText);
  });
});

describe('parseQuickAdd in Russian', () => {
  // Monday 4 March 2030, 10:30 in Moscow.
  const moscow = {
    timeZone: 'Europe/Moscow',
    now: new Date('2030-03-04T07:30:00Z'),
    language: 'ru' as const,
  };

  it('reads "Встреча завтра в 15:00 на час" as tomorrow 15:00 for an hour', () => {
    expect(parseQuickAdd('Встреча завтра в 15:00 на час', moscow)).toEqual({
      title: 'Встреча',
      start: new Date('2030-03-05T12:00:00Z'),
      end: new Date('2030-03-05T13:00:00Z'),
      allDay: false,
      location: null,
    });
  });

  it('reads a weekday, a length in hours or "полчаса", and a place after @', () => {
    expect(parseQuickAdd('Обед с Анной в пятницу в 13:00 на 2 часа @ Кафе', moscow)).toEqual({
      title: 'Обед с Анной',
      start: new Date('2030-03-08T10:00:00Z'),
      end: new Date('2030-03-08T12:00:00Z'),
      allDay: false,
      location: 'Кафе',
    });
    const yoga = parseQuickAdd('Йога в 9 на полчаса', moscow);
    expect(yoga).toMatchObject({ title: 'Йога', start: new Date('2030-03-05T06:00:00Z') });
    expect(yoga.end.getTime() - yoga.start.getTime()).toBe(30 * 60_000);
  });

  it('keeps "День" in a title rather than reading it as today', () => {
    expect(parseQuickAdd('День рождения 5 мая', moscow)).toMatchObject({
      title: 'День рождения',
      allDay: true,
    });
  });
});
