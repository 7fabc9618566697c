import { describe, expect, it } from 'vitest';
import { parseChangePayload } from './change-notifications.ts';

describe('parseChangePayload', () => {
  it('reads device, object, calendar and calendar-list changes of its own schema', () => {
    expect(parseChangePayload('public d 1001', 'public')).toEqual({ kind: 'devices', userId: 1001 });
    expect(parseChangePayload('s1 o 5f0c a b.ics', 's1')).toEqual({
      kind: 'object',
      calendarId: '5f0c',
      hrefName: 'a b.ics',
    });
    expect(parseChangePayload('s1 c 5f0c', 's1')).toEqual({ kind: 'calendar', calendarId: '5f0c' });
    expect(parseChangePayload('s1 u 1001', 's1')).toEqual({ kind: 'calendar-list', userId: 1001 });
  });

  it('ignores other schemas and anything it cannot read', () => {
    expect(parseChangePayload('other d 1001', 'public')).toBeNull();
    expect(parseChangePayload('public d x', 'public')).toBeNull();
    expect(parseChangePayload('public u 1.5', 'public')).toBeNull();
    expect(parseChangePayload('public z 1', 'public')).toBeNull();
    expect(parseChangePayload('public o 5f0c', 'public')).toBeNull();
    expect(parseChangePayload('', 'public')).toBeNull();
  });
});
