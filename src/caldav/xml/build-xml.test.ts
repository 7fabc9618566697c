import { describe, expect, it } from 'vitest';
import { el, serializeXml } from './build-xml.ts';
import { parseXml } from './parse-xml.ts';

describe('serializeXml', () => {
  it('declares every namespace once on the root with stable prefixes', () => {
    const xml = serializeXml(el('{DAV:}multistatus', [el('{urn:x}custom'), el('{DAV:}href', '/a')]));
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:x1="urn:x"><x1:custom/><d:href>/a</d:href></d:multistatus>',
    );
  });

  it('escapes markup and keeps CR so calendar-data survives byte for byte', () => {
    const text = 'BEGIN:VCALENDAR\r\nSUMMARY:a < b & c > d\r\nEND:VCALENDAR\r\n';
    const xml = serializeXml(el('{urn:ietf:params:xml:ns:caldav}calendar-data', text));
    expect(xml).toContain('&#13;\n');
    expect(parseXml(xml).text).toBe(text);
  });

  it('writes characters no XML document may hold as U+FFFD, and quotes in attributes escaped', () => {
    const xml = serializeXml(el('{DAV:}href', 'a\u0001b\uFFFEc', { note: 'say "hi" & <go>' }));
    expect(xml).toContain(
      '<d:href xmlns:d="DAV:" note="say &quot;hi&quot; &amp; &lt;go&gt;">a\uFFFDb\uFFFDc</d:href>',
    );
    expect(parseXml(xml).text).toBe('a\uFFFDb\uFFFDc');
  });
});
