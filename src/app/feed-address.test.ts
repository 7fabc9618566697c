import { describe, expect, it } from 'vitest';
import { checkFeedHost, isPublicAddress, parseFeedUrl } from './feed-address.ts';
import { readFeedSettings } from './feed-settings.ts';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '100.64.0.1',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '224.0.0.1',
    '0.0.0.0',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b::808:808',
    '2002:7f00:1::1',
    '2001:db8::1',
    '198.18.0.1',
    '255.255.255.255',
    'fe80::1%eth0',
    'not an address',
    'fe80::1',
    'fd12:3456::1',
    'ff02::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '100.128.0.1', '172.32.0.1', '::ffff:8.8.8.8', '2606:4700::1111'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('parseFeedUrl and checkFeedHost', () => {
  it('maps webcal to https and drops the fragment', () => {
    expect(parseFeedUrl(' webcal://example.com/a.ics#x ').href).toBe('https://example.com/a.ics');
  });

  it.each(['ftp://example.com/a.ics', 'https://u:p@example.com/a.ics', 'example.com/a.ics', ''])(
    'refuses %j',
    (text) => {
      expect(() => parseFeedUrl(text)).toThrow(expect.objectContaining({ reason: 'feed-url-refused' }));
    },
  );

  it('refuses local names and private literals unless allowed', () => {
    for (const text of [
      'http://localhost/a',
      'http://cal.localhost/a',
      'http://[::1]/a',
      'http://10.0.0.1/a',
    ]) {
      expect(() => checkFeedHost(parseFeedUrl(text), false)).toThrow();
      expect(() => checkFeedHost(parseFeedUrl(text), true)).not.toThrow();
    }
    expect(() => checkFeedHost(parseFeedUrl('https://example.com/a'), false)).not.toThrow();
  });
});

describe('readFeedSettings', () => {
  it('reads X-WR-CALNAME and clamps REFRESH-INTERVAL / X-PUBLISHED-TTL to [1 h, 1 day]', () => {
    expect(readFeedSettings(['X-WR-CALNAME:Holidays\\, DE', 'X-PUBLISHED-TTL:PT12H'])).toEqual({
      name: 'Holidays, DE',
      refreshSeconds: 12 * 3600,
    });
    expect(readFeedSettings(['REFRESH-INTERVAL;VALUE=DURATION:PT5M']).refreshSeconds).toBe(3600);
    expect(readFeedSettings(['REFRESH-INTERVAL;VALUE=DURATION:P1W']).refreshSeconds).toBe(86_400);
    expect(readFeedSettings(['X-WR-CALNAMEX:No', 'X-PUBLISHED-TTL:soon'])).toEqual({
      name: null,
      refreshSeconds: null,
    });
  });
});
