import { describe, expect, it } from 'vitest';
import { hrefOf, parseResourcePath, pathOfHref } from './resource-path.ts';

describe('parseResourcePath', () => {
  it.each([
    ['/', { kind: 'root' }],
    ['/principals/1001/', { kind: 'principal', userId: 1001 }],
    ['/principals/1001', { kind: 'principal', userId: 1001 }],
    ['/calendars/1001/', { kind: 'home', userId: 1001 }],
    ['/calendars/1001/default/', { kind: 'calendar', userId: 1001, slug: 'default' }],
    [
      '/calendars/1001/default/a%2Fb%40c.ics?x=1',
      { kind: 'object', userId: 1001, slug: 'default', name: 'a/b@c.ics' },
    ],
  ])('reads %s', (path, expected) => {
    expect(parseResourcePath(path)).toEqual(expected);
  });

  it.each([
    '/principals/',
    '/principals/abc/',
    '/calendars/01/',
    '/x/1/',
    '/calendars/1/d/e/f',
    '/calendars/1/%ZZ/',
    '/calendars/1/../',
  ])('rejects %s', (path) => {
    expect(parseResourcePath(path)).toBeNull();
  });

  it('round-trips object hrefs with reserved characters', () => {
    const path = {
      kind: 'object',
      userId: 7,
      slug: 'default',
      name: 'team/meeting@example.com.ics',
    } as const;
    expect(parseResourcePath(hrefOf(path))).toEqual(path);
  });

  it('reads absolute URLs and paths in hrefs', () => {
    expect(pathOfHref('http://h:1/calendars/1/default/x.ics')).toBe('/calendars/1/default/x.ics');
    expect(pathOfHref(' /a ')).toBe('/a');
    expect(pathOfHref('::')).toBeNull();
  });
});
