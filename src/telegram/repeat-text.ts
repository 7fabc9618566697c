import type { RepeatRule, Weekday } from '../domain/recurrence/repeat-phrase.ts';
import { intlLocaleOf, type Language, translate } from './i18n.ts';

const workdays = 'MO,TU,WE,TH,FR';

function joinList(items: string[], language: Language): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${translate(language, 'list-and')} ${items.at(-1)}`;
}

function englishOrdinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "5 May" / "5 мая": a month and day in the language, no year. */
function monthDayText(month: number, day: number, language: Language): string {
  return new Intl.DateTimeFormat(intlLocaleOf(language), {
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(2000, month - 1, day)));
}

function weeklyDays(days: Weekday[], interval: number, language: Language): string {
  if (language === 'ru' && days.length === 1 && interval === 1) {
    return translate(language, `weekday-each-${days[0]}`);
  }
  if (language === 'ru') {
    return `${translate(language, 'weekday-on')} ${joinList(
      days.map((d) => translate(language, `weekday-plural-${d}`)),
      language,
    )}`;
  }
  return joinList(
    days.map((d) => translate(language, `weekday-${d}`)),
    language,
  );
}

/**
 * A repeat rule spelled out for the confirmation: "every Monday at 07:00", "every 2 weeks on
 * Tuesday and Thursday until 31 March", "каждый месяц 15 числа в 09:00". `time` is the local
 * start ('HH:MM') or null for all-day events; `until` the last day, already formatted; `count`
 * the number of occurrences (COUNT), if the rule has one.
 */
export function describeRepeat(
  rule: RepeatRule,
  options: { time: string | null; until: string | null; count?: number | null },
  language: Language,
): string {
  const n = rule.interval;
  let text: string;
  if (rule.freq === 'DAILY') text = translate(language, 'repeat-daily', { n });
  else if (rule.freq === 'WEEKLY' && rule.byDay.join(',') === workdays && n === 1) {
    text = translate(language, 'repeat-weekdays');
  } else if (rule.freq === 'WEEKLY' && rule.byDay.length > 0) {
    text = translate(language, 'repeat-weekly-on', { n, days: weeklyDays(rule.byDay, n, language) });
  } else if (rule.freq === 'WEEKLY') text = translate(language, 'repeat-weekly', { n });
  else if (rule.freq === 'MONTHLY' && rule.byMonthDay !== null) {
    const day = language === 'en' ? englishOrdinal(rule.byMonthDay) : String(rule.byMonthDay);
    text = translate(language, 'repeat-monthly-on', { n, day });
  } else if (rule.freq === 'MONTHLY') text = translate(language, 'repeat-monthly', { n });
  else if (rule.byMonth !== null && rule.byMonthDay !== null) {
    text = translate(language, 'repeat-yearly-on', {
      n,
      date: monthDayText(rule.byMonth, rule.byMonthDay, language),
    });
  } else text = translate(language, 'repeat-yearly', { n });
  if (options.time) text = translate(language, 'repeat-at', { rule: text, time: options.time });
  if (options.until) text = translate(language, 'repeat-until', { rule: text, date: options.until });
  if (options.count) text = translate(language, 'repeat-count', { rule: text, count: options.count });
  return text;
}
