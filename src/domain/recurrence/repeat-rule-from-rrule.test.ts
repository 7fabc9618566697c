import { describe, expect, it } from 'vitest';
import { type RepeatRule, repeatRule } from './repeat-phrase.ts';
import { repeatRuleFromRrule } from './repeat-rule-from-rrule.ts';
import { rruleOf } from './repeating-event.ts';

const rule = ({ freq, ...parts }: Partial<RepeatRule> & Pick<RepeatRule, 'freq'>): RepeatRule =>
  repeatRule(freq, parts);

describe('repeatRuleFromRrule', () => {
  it.each([
    ['FREQ=DAILY', rule({ freq: 'DAILY' })],
    ['FREQ=WEEKLY;BYDAY=MO', rule({ freq: 'WEEKLY', byDay: ['MO'] })],
    ['FREQ=WEEKLY;BYDAY=FR,MO,WE,TU,TH', rule({ freq: 'WEEKLY', byDay: ['MO', 'TU', 'WE', 'TH', 'FR'] })],
    [
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO',
      rule({ freq: 'WEEKLY', interval: 2, byDay: ['TU', 'TH'] }),
    ],
    ['FREQ=WEEKLY', rule({ freq: 'WEEKLY' })],
    ['FREQ=MONTHLY;BYMONTHDAY=15', rule({ freq: 'MONTHLY', byMonthDay: 15 })],
    ['RRULE:freq=monthly;interval=3', rule({ freq: 'MONTHLY', interval: 3 })],
    ['FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5', rule({ freq: 'YEARLY', byMonth: 5, byMonthDay: 5 })],
    ['FREQ=YEARLY', rule({ freq: 'YEARLY' })],
  ])('reads %s', (rrule, expected) => {
    expect(repeatRuleFromRrule(rrule, 'UTC')).toEqual({ rule: expected, lastDay: null, count: null });
  });

  it('gives back every rule the bot writes, with its last day in the event’s zone', () => {
    const written = rule({ freq: 'WEEKLY', interval: 2, byDay: ['TU', 'TH'], until: { month: 3, day: 31 } });
    const timed = rruleOf(written, { year: 2030, month: 1, day: 8 }, false, 'Asia/Tokyo');
    expect(timed).toContain('UNTIL=20300331T145959Z');
    expect(repeatRuleFromRrule(timed, 'Asia/Tokyo')).toEqual({
      rule: { ...written, until: null },
      lastDay: { year: 2030, month: 3, day: 31 },
      count: null,
    });
    const allDay = rruleOf(written, { year: 2030, month: 1, day: 8 }, true, 'Asia/Tokyo');
    expect(repeatRuleFromRrule(allDay, 'America/New_York')?.lastDay).toEqual({
      year: 2030,
      month: 3,
      day: 31,
    });
  });

  it('names the days a rule leaves to its start, in the event’s zone', () => {
    // Monday 11 March 2030, 00:30 in Tokyo (still Sunday in UTC).
    const start = new Date('2030-03-10T15:30:00Z');
    const read = (rrule: string) => repeatRuleFromRrule(rrule, 'Asia/Tokyo', start)?.rule;
    expect(read('FREQ=WEEKLY;INTERVAL=2')).toEqual(rule({ freq: 'WEEKLY', interval: 2, byDay: ['MO'] }));
    expect(read('FREQ=MONTHLY')).toEqual(rule({ freq: 'MONTHLY', byMonthDay: 11 }));
    expect(read('FREQ=YEARLY')).toEqual(rule({ freq: 'YEARLY', byMonth: 3, byMonthDay: 11 }));
    expect(read('FREQ=WEEKLY;BYDAY=TU,TH')).toEqual(rule({ freq: 'WEEKLY', byDay: ['TU', 'TH'] }));
    expect(read('FREQ=DAILY')).toEqual(rule({ freq: 'DAILY' }));
  });

  it('keeps COUNT', () => {
    expect(repeatRuleFromRrule('FREQ=DAILY;COUNT=10', 'UTC')).toEqual({
      rule: rule({ freq: 'DAILY' }),
      lastDay: null,
      count: 10,
    });
  });

  it.each([
    'FREQ=MONTHLY;BYDAY=1MO',
    'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1',
    'FREQ=MONTHLY;BYMONTHDAY=1,15',
    'FREQ=MONTHLY;BYMONTHDAY=-1',
    'FREQ=DAILY;BYDAY=MO,TU',
    'FREQ=DAILY;BYHOUR=9,17',
    'FREQ=HOURLY',
    'FREQ=YEARLY;BYMONTH=3',
    'FREQ=YEARLY;BYWEEKNO=20',
    'FREQ=DAILY;INTERVAL=0',
    'FREQ=DAILY;UNTIL=tomorrow',
    'FREQ=DAILY;COUNT=3;UNTIL=20300101',
    'FREQ=DAILY;FREQ=WEEKLY',
    'INTERVAL=2',
    '',
  ])('says it cannot express %s', (rrule) => {
    expect(repeatRuleFromRrule(rrule, 'UTC')).toBeNull();
  });
});
