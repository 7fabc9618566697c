import { describe, expect, it } from 'vitest';
import { ObjectCache, type ObjectRepresentation } from './object-read-cache.ts';

function object(calendarId: string, ical: string, etag = '"e"'): ObjectRepresentation {
  return { calendarId, etag, ical, lastModified: 'Thu, 01 Jan 2026 00:00:00 GMT' };
}

describe('ObjectCache', () => {
  it('keys by owner, calendar slug and href name', () => {
    const cache = new ObjectCache();
    cache.set(1001, 'default', 'a.ics', object('cal-1', 'A'));
    expect(cache.get(1001, 'default', 'a.ics')?.ical).toBe('A');
    expect(cache.get(1002, 'default', 'a.ics')).toBeUndefined();
    expect(cache.get(1001, 'other', 'a.ics')).toBeUndefined();
    // A slug or name holding the separator cannot reach another entry.
    expect(cache.get(1001, 'default\u0000a.ics', '')).toBeUndefined();
  });

  it('drops one object, or a whole calendar, when told it changed', () => {
    const cache = new ObjectCache();
    cache.set(1001, 'default', 'a.ics', object('cal-1', 'A'));
    cache.set(1001, 'default', 'b.ics', object('cal-1', 'B'));
    cache.set(1002, 'default', 'a.ics', object('cal-2', 'C'));
    cache.objectChanged('cal-1', 'a.ics');
    expect(cache.get(1001, 'default', 'a.ics')).toBeUndefined();
    expect(cache.get(1001, 'default', 'b.ics')?.ical).toBe('B');
    cache.calendarChanged('cal-1');
    expect(cache.get(1001, 'default', 'b.ics')).toBeUndefined();
    expect(cache.get(1002, 'default', 'a.ics')?.ical).toBe('C');
    cache.reset();
    expect(cache.size).toBe(0);
  });

  it('stays within its byte budget, evicting the least recently used first', () => {
    const text = 'x'.repeat(1000);
    // Room for eight entries of ~2.3 kB each.
    const cache = new ObjectCache({ maxBytes: 20_000 });
    for (let i = 1; i <= 8; i++) cache.set(1, 's', String(i), object('c', text));
    expect(cache.size).toBe(8);
    expect(cache.get(1, 's', '1')).toBeDefined();
    cache.set(1, 's', '9', object('c', text));
    expect(cache.get(1, 's', '2')).toBeUndefined();
    expect(cache.get(1, 's', '1')).toBeDefined();
    expect(cache.get(1, 's', '9')).toBeDefined();
    expect(cache.size).toBe(8);
  });

  it('does not hold an object larger than an eighth of its budget', () => {
    const cache = new ObjectCache({ maxBytes: 10_000 });
    cache.set(1, 's', 'big', object('c', 'x'.repeat(1000)));
    expect(cache.get(1, 's', 'big')).toBeUndefined();
  });

  it('forgets entries under a calendar’s old address when it moves', () => {
    const cache = new ObjectCache();
    cache.set(1, 'old', 'a.ics', object('cal', 'A'));
    cache.set(1, 'new', 'b.ics', object('cal', 'B'));
    expect(cache.get(1, 'old', 'a.ics')).toBeUndefined();
    cache.objectChanged('cal', 'b.ics');
    expect(cache.get(1, 'new', 'b.ics')).toBeUndefined();
  });
});
