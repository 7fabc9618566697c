import { describe, expect, it } from 'vitest';
import { InvalidDateText } from '../errors.ts';
import { parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30', 30],
    ['30m', 30],
    ['1h', 60],
    ['1h30m', 90],
    ['1h 30m', 90],
    ['90m', 90],
    ['1.5h', 90],
    ['2 hours', 120],
    ['45 min', 45],
    ['1 hour and 15 minutes', 75],
    ['1:30', 90],
    ['1h30', 90],
    ['1d', 1440],
    [' 2H ', 120],
  ])('reads %j as %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });

  it.each(['', 'soon', '0', '0m', '-5m', '8d', '10000h', '1x', 'h', 'hour', '1h30x'])(
    'refuses %j',
    (text) => {
      expect(() => parseDuration(text)).toThrow(InvalidDateText);
      try {
        parseDuration(text);
      } catch (error) {
        expect((error as InvalidDateText).reason).toBe('unparsable-duration');
      }
    },
  );
});
