import { describe, expect, it } from 'vitest';
import { parseTaskPhrase } from './task-phrase.ts';

// Monday 4 March 2030, 08:30 in Berlin.
const context = { timeZone: 'Europe/Berlin', now: new Date('2030-03-04T07:30:00Z') };

describe('parseTaskPhrase', () => {
  it.each([
    ['todo buy milk', 'buy milk', null],
    ['To do: call mum tomorrow', 'call mum', { date: '2030-03-05' }],
    ['task - file taxes by friday', 'file taxes', { date: '2030-03-08' }],
    ['remind me to call Anna on friday', 'call Anna', { date: '2030-03-08' }],
    ['remind me to call Anna on friday at 10am', 'call Anna', { at: new Date('2030-03-08T09:00:00Z') }],
    ['задача купить молоко', 'купить молоко', null],
    ['напомни позвонить Анне в пятницу', 'позвонить Анне', { date: '2030-03-08' }],
    ['Напомни мне позвонить Анне завтра в 10:00', 'позвонить Анне', { at: new Date('2030-03-05T09:00:00Z') }],
    ['надо сдать отчёт до пятницы', 'сдать отчёт', { date: '2030-03-08' }],
  ])('reads %j as a task', (text, title, due) => {
    expect(parseTaskPhrase(text, context)).toEqual({ title, due });
  });

  it('leaves event phrases and bare lead words to quick add', () => {
    expect(parseTaskPhrase('Lunch with Anna friday 13:00', context)).toBeNull();
    expect(parseTaskPhrase('Встреча завтра в 15:00', context)).toBeNull();
    expect(parseTaskPhrase('todo', context)).toBeNull();
    expect(parseTaskPhrase('Taskforce sync at 3pm', context)).toBeNull();
    expect(parseTaskPhrase('Task force meeting at 3pm', context)).toBeNull();
  });

  it('does not parse dates in a huge text: it comes back whole, for the caller to refuse', () => {
    const phrase = parseTaskPhrase(`todo ${'x'.repeat(5000)} tomorrow`, context);
    expect(phrase?.due).toBeNull();
    expect(phrase?.title.length).toBeGreaterThan(5000);
  });
});
