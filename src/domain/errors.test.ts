import { describe, expect, it } from 'vitest';
import { InvalidCalendarData, InvalidDateText } from './errors.ts';

describe('domain errors', () => {
  it('InvalidCalendarData carries a stable reason, a readable message and the cause', () => {
    const cause = new Error('boom');
    const error = new InvalidCalendarData('mixed-uids', 'a and b', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.reason).toBe('mixed-uids');
    expect(error.message).toBe('the calendar data has two different UIDs: a and b');
    expect(error.cause).toBe(cause);
  });

  it('InvalidDateText gives an example of what would work', () => {
    const error = new InvalidDateText('unparsable-duration', 'forever');
    expect(error.reason).toBe('unparsable-duration');
    expect(error.message).toContain('1h30m');
    expect(error.message).toContain('forever');
  });
});
