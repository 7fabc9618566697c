/**
 * Repetition said in plain words, English or Russian ("every 2 weeks on tue and thu until march
 * 31", "каждый месяц 15 числа"), read into the parts of an RFC 5545 §3.3.10 RRULE. The phrase is
 * cut out of the text, so what is left is the title and the time of day for parseQuickAdd.
 */

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export type RepeatFrequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** A month and day without a year ("until march 31"); the year is the first one not before the start. */
export interface MonthDay {
  month: number;
  day: number;
}

export interface RepeatRule {
  freq: RepeatFrequency;
  interval: number;
  /** WEEKLY: the days of the week; empty means the start's own day. */
  byDay: Weekday[];
  /** MONTHLY: the day of the month; YEARLY: with byMonth, the date. Null: the start's own. */
  byMonthDay: number | null;
  byMonth: number | null;
  until: MonthDay | null;
}

export interface RepeatPhrase {
  rule: RepeatRule;
  /** The text without the repeat words. */
  rest: string;
}

export const weekdayOrder: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

// JavaScript's \b knows only ASCII letters; these bound words in any script.
const B = '(?<![\\p{L}\\d])';
const E = '(?![\\p{L}\\d])';

const enDay = '(?:mon|tue|wed|thu|fri|sat|sun)\\p{L}*';
const ruDayAccusative = '(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)';
const ruDayPlural = '(?:понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям)';
const enMonth = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\p{L}*';
const ruMonth = '(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)[яа]';
const list = (item: string) => `${item}(?:\\s*(?:,|and|&|и)\\s*${item})*`;

const enMonthStems = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ruMonthStems = ['янв', 'фев', 'мар', 'апр', 'ма', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
const enDayStems = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ruDayStems = ['пон', 'вто', 'сре', 'чет', 'пят', 'суб', 'вос'];

function monthOf(word: string): number {
  const w = word.toLowerCase();
  const en = enMonthStems.findIndex((stem) => w.startsWith(stem));
  if (en >= 0) return en + 1;
  // "мая" is the only month whose stem is two letters; test it last so "марта" is March.
  const ru = ruMonthStems.findIndex((stem) => stem.length === 3 && w.startsWith(stem));
  return ru >= 0 ? ru + 1 : w.startsWith('ма') ? 5 : 0;
}

function weekdaysIn(text: string): Weekday[] {
  const found = new Set<Weekday>();
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    const index = [...enDayStems, ...ruDayStems].findIndex((stem) => word.startsWith(stem));
    const day = weekdayOrder[index % 7];
    if (index >= 0 && day) found.add(day);
  }
  return weekdayOrder.filter((d) => found.has(d));
}

/** A rule of `freq` with every other part at its plain value (every 1, no days, no end). */
export const repeatRule = (freq: RepeatFrequency, parts: Partial<RepeatRule> = {}): RepeatRule => ({
  freq,
  interval: 1,
  byDay: [],
  byMonthDay: null,
  byMonth: null,
  until: null,
  ...parts,
});

const workdays: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
const unitFreq = (unit: string): RepeatFrequency => {
  const u = unit.toLowerCase();
  if (/^(day|дн|ден|дня)/.test(u)) return 'DAILY';
  if (/^(week|нед)/.test(u)) return 'WEEKLY';
  if (/^(month|мес)/.test(u)) return 'MONTHLY';
  return 'YEARLY';
};
const dayMonth = (day: string | undefined, month: string | undefined): MonthDay | null => {
  const m = monthOf(month ?? '');
  const d = Number(day);
  return m > 0 && d >= 1 && d <= 31 ? { month: m, day: d } : null;
};

const adverbFreq: Record<string, RepeatFrequency> = {
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  ежедневно: 'DAILY',
  еженедельно: 'WEEKLY',
  ежемесячно: 'MONTHLY',
};

interface Pattern {
  pattern: RegExp;
  read(match: RegExpExecArray): RepeatRule | null;
}

const p = (source: string) => new RegExp(source, 'iu');

/** Tried in order; the first that matches wins. Each names the words it consumes. */
const patterns: Record<'en' | 'ru', Pattern[]> = {
  en: [
    {
      pattern: p(`${B}(?:every\\s+weekday|(?:on\\s+)?weekdays)${E}`),
      read: () => repeatRule('WEEKLY', { byDay: workdays }),
    },
    {
      // every 2 weeks on tue and thu
      pattern: p(`${B}every\\s+(?:(other|\\d{1,2})\\s+)?weeks?\\s+on\\s+(${list(enDay)})${E}`),
      read: (m) => repeatRule('WEEKLY', { interval: intervalOf(m[1]), byDay: weekdaysIn(m[2] ?? '') }),
    },
    {
      // every month on the 15th
      pattern: p(
        `${B}every\\s+(?:(other|\\d{1,2})\\s+)?months?\\s+on\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?${E}`,
      ),
      read: (m) => repeatRule('MONTHLY', { interval: intervalOf(m[1]), byMonthDay: monthDayNumber(m[2]) }),
    },
    {
      // every year on 5 May / on May 5 / on the 5th of May
      pattern: p(
        `${B}every\\s+year\\s+on\\s+(?:the\\s+)?(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${enMonth})|(${enMonth})\\s+(\\d{1,2})(?:st|nd|rd|th)?)${E}`,
      ),
      read: (m) => yearly(dayMonth(m[1] ?? m[4], m[2] ?? m[3])),
    },
    {
      pattern: p(`${B}every\\s+(?:(other|\\d{1,2})\\s+)?(day|week|month|year)s?${E}`),
      read: (m) => repeatRule(unitFreq(m[2] ?? ''), { interval: intervalOf(m[1]) }),
    },
    {
      pattern: p(`${B}every\\s+(${list(enDay)})${E}`),
      read: (m) => weekly(weekdaysIn(m[1] ?? '')),
    },
    {
      pattern: p(`${B}(daily|weekly|monthly|yearly|annually)${E}`),
      read: (m) => repeatRule(adverbFreq[(m[1] ?? '').toLowerCase()] ?? 'YEARLY'),
    },
  ],
  ru: [
    {
      pattern: p(
        `${B}(?:по\\s+будн(?:ям|им\\s+дням)|в\\s+будни|каждый\\s+будний\\s+день|по\\s+рабочим\\s+дням)${E}`,
      ),
      read: () => repeatRule('WEEKLY', { byDay: workdays }),
    },
    {
      // каждые 2 недели по вторникам и четвергам
      pattern: p(`${B}кажд\\p{L}*\\s+(?:(\\d{1,2})\\s+)?недел\\p{L}*\\s+по\\s+(${list(ruDayPlural)})${E}`),
      read: (m) => repeatRule('WEEKLY', { interval: intervalOf(m[1]), byDay: weekdaysIn(m[2] ?? '') }),
    },
    {
      // каждый месяц 15 числа
      pattern: p(
        `${B}(?:кажд\\p{L}*\\s+(?:(\\d{1,2})\\s+)?месяц\\p{L}*|ежемесячно)\\s+(\\d{1,2})(?:-?го)?\\s+числа${E}`,
      ),
      read: (m) => repeatRule('MONTHLY', { interval: intervalOf(m[1]), byMonthDay: monthDayNumber(m[2]) }),
    },
    {
      // каждый год 5 мая
      pattern: p(`${B}(?:каждый\\s+год|ежегодно)\\s+(\\d{1,2})\\s+(${ruMonth})${E}`),
      read: (m) => yearly(dayMonth(m[1], m[2])),
    },
    {
      pattern: p(
        `${B}кажд\\p{L}*\\s+(?:(\\d{1,2})\\s+)?(день|дня|дней|недел\\p{L}*|месяц\\p{L}*|год|года|лет)${E}`,
      ),
      read: (m) => repeatRule(unitFreq(m[2] ?? ''), { interval: intervalOf(m[1]) }),
    },
    {
      pattern: p(`${B}(?:кажд\\p{L}*\\s+(${list(ruDayAccusative)})|по\\s+(${list(ruDayPlural)}))${E}`),
      read: (m) => weekly(weekdaysIn(m[1] ?? m[2] ?? '')),
    },
    {
      pattern: p(`${B}(ежедневно|еженедельно|ежемесячно|ежегодно)${E}`),
      read: (m) => repeatRule(adverbFreq[(m[1] ?? '').toLowerCase()] ?? 'YEARLY'),
    },
  ],
};

const untilPatterns: Record<'en' | 'ru', Pattern[]> = {
  en: [
    {
      pattern: p(
        `${B}until\\s+(?:the\\s+)?(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${enMonth})|(${enMonth})\\s+(\\d{1,2})(?:st|nd|rd|th)?)${E}`,
      ),
      read: () => null,
    },
  ],
  ru: [{ pattern: p(`${B}до\\s+(\\d{1,2})\\s+(${ruMonth})${E}`), read: () => null }],
};

function intervalOf(text: string | undefined): number {
  if (!text) return 1;
  if (text.toLowerCase() === 'other') return 2;
  return Math.max(1, Number(text));
}

function monthDayNumber(text: string | undefined): number | null {
  const day = Number(text);
  return day >= 1 && day <= 31 ? day : null;
}

function weekly(days: Weekday[]): RepeatRule | null {
  return days.length > 0 ? repeatRule('WEEKLY', { byDay: days }) : null;
}

function yearly(date: MonthDay | null): RepeatRule | null {
  return date ? repeatRule('YEARLY', { byMonth: date.month, byMonthDay: date.day }) : null;
}

function cut(text: string, match: RegExpExecArray): string {
  return `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`
    .replace(/\s+/g, ' ')
    .trim();
}

/** The repetition in `text` and the text without it, or null when it says none. */
export function takeRepeatPhrase(text: string, language: 'en' | 'ru' = 'en'): RepeatPhrase | null {
  for (const { pattern, read } of patterns[language]) {
    const match = pattern.exec(text);
    if (!match) continue;
    const found = read(match);
    if (!found) continue;
    let rest = cut(text, match);
    for (const until of untilPatterns[language]) {
      const u = until.pattern.exec(rest);
      if (!u) continue;
      found.until = language === 'en' ? dayMonth(u[1] ?? u[4], u[2] ?? u[3]) : dayMonth(u[1], u[2]);
      rest = cut(rest, u);
    }
    return { rule: found, rest };
  }
  return null;
}
