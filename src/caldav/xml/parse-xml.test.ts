import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml, XmlInputError } from './parse-xml.ts';

describe('parseXml', () => {
  it('resolves prefixes and default namespaces to Clark names', () => {
    const root = parseXml(
      '<D:propfind xmlns:D="DAV:"><prop xmlns="DAV:"><x:a xmlns:x="urn:x" name="n"/></prop></D:propfind>',
    );
    expect(root.name).toBe('{DAV:}propfind');
    expect(root.children[0]?.name).toBe('{DAV:}prop');
    expect(root.children[0]?.children[0]).toMatchObject({ name: '{urn:x}a', attributes: { name: 'n' } });
  });

  it('keeps text and CDATA of an element', () => {
    expect(parseXml('<a xmlns="urn:x">one<![CDATA[<two>]]></a>').text).toBe('one<two>');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'],
    ['an undeclared entity', '<a>&e;</a>'],
    ['an unbound prefix', '<x:a/>'],
    ['two roots', '<a/><b/>'],
    ['an unclosed element', '<a>'],
    ['an empty body', '   '],
  ])('refuses %s', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlInputError);
  });

  it('caps depth, element count and size', () => {
    const limits = { maxDepth: 3, maxElements: 5, maxChars: 100 };
    expect(() => parseXml('<a><a><a><a/></a></a></a>', limits)).toThrow(/deeply/);
    expect(() => parseXml('<a><b/><b/><b/><b/><b/></a>', limits)).toThrow(/too many/);
    expect(() => parseXml(`<a>${'x'.repeat(200)}</a>`, limits)).toThrow(/too large/);
  });

  it('throws nothing but XmlInputError for any input (fuzzed)', () => {
    const fragments = fc.constantFrom(
      '<',
      '>',
      '/',
      '&',
      ';',
      '"',
      "'",
      '=',
      ' ',
      'a',
      'd:',
      'xmlns:d="DAV:"',
      '<!DOCTYPE',
      '<![CDATA[',
      ']]>',
      '&amp;',
      '<?xml?>',
      '\u0000',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(fragments).map((parts) => parts.join('')),
        ),
        (text) => {
          try {
            parseXml(text);
          } catch (error) {
            expect(error).toBeInstanceOf(XmlInputError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
