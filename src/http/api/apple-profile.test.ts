import { describe, expect, it } from 'vitest';
import { appleProfile, escapeXml } from './apple-profile.ts';

// No plist parser is installed: the structure is checked as text, one key and value at a time.

const uuids = {
  profile: '11111111-1111-4111-8111-111111111111',
  payload: '22222222-2222-4222-8222-222222222222',
};

describe('the Apple configuration profile', () => {
  it('holds one CalDAV account payload for the server, the user and the password', () => {
    const text = appleProfile({
      baseUrl: 'https://cal.example.org',
      userId: 4242,
      deviceName: 'iPhone',
      password: 'abcd-efgh-ijkm-npqr-stuv',
      uuids,
    });
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC')).toBe(true);
    expect(text).toContain('<plist version="1.0">');
    const payload = /<key>PayloadContent<\/key>\s*<array>\s*<dict>([\s\S]*?)<\/dict>\s*<\/array>/.exec(
      text,
    )?.[1];
    expect(payload).toBeDefined();
    for (const entry of [
      '<key>PayloadType</key><string>com.apple.caldav.account</string>',
      '<key>PayloadVersion</key><integer>1</integer>',
      `<key>PayloadUUID</key><string>${uuids.payload}</string>`,
      '<key>CalDAVHostName</key><string>cal.example.org</string>',
      '<key>CalDAVPort</key><integer>443</integer>',
      '<key>CalDAVUseSSL</key><true/>',
      '<key>CalDAVPrincipalURL</key><string>https://cal.example.org/principals/4242/</string>',
      '<key>CalDAVUsername</key><string>4242</string>',
      '<key>CalDAVPassword</key><string>abcd-efgh-ijkm-npqr-stuv</string>',
    ]) {
      expect(payload).toContain(entry);
    }
    // The profile itself: a Configuration with its own UUID, outside the payload.
    const outer = text.replace(payload ?? '', '');
    expect(outer).toContain('<key>PayloadType</key><string>Configuration</string>');
    expect(outer).toContain(`<key>PayloadUUID</key><string>${uuids.profile}</string>`);
  });

  it('reads the port and TLS from the base URL', () => {
    const text = appleProfile({
      baseUrl: 'http://127.0.0.1:8080',
      userId: 7,
      deviceName: 'Mac',
      password: 'x'.repeat(12),
    });
    expect(text).toContain('<key>CalDAVPort</key><integer>8080</integer>');
    expect(text).toContain('<key>CalDAVUseSSL</key><false/>');
    expect(text).toContain('<key>CalDAVHostName</key><string>127.0.0.1</string>');
  });

  it('escapes every value, so a name or password cannot add keys', () => {
    const text = appleProfile({
      baseUrl: 'https://cal.example.org',
      userId: 1,
      deviceName: 'Mine</string><key>PayloadRemovalDisallowed</key><true/>',
      password: `p&s<>"'word`,
      uuids,
    });
    expect(text).toContain('<key>CalDAVPassword</key><string>p&amp;s&lt;&gt;&quot;&apos;word</string>');
    expect(text).toContain('Mine&lt;/string&gt;&lt;key&gt;PayloadRemovalDisallowed&lt;/key&gt;&lt;true/&gt;');
    expect(text.match(/<key>PayloadRemovalDisallowed<\/key>/g)).toHaveLength(1);
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });

  it('gives each download fresh UUIDs', () => {
    const fields = {
      baseUrl: 'https://cal.example.org',
      userId: 1,
      deviceName: 'A',
      password: 'b'.repeat(10),
    };
    const uuidsOf = (text: string) =>
      [...text.matchAll(/<key>PayloadUUID<\/key><string>([^<]+)</g)].map((m) => m[1]);
    const first = uuidsOf(appleProfile(fields));
    const second = uuidsOf(appleProfile(fields));
    expect(first).toHaveLength(2);
    expect(new Set([...first, ...second]).size).toBe(4);
  });
});
