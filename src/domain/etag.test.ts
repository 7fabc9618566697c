import { describe, expect, it } from 'vitest';
import { strongEtag } from './etag.ts';

describe('strongEtag', () => {
  it('is a quoted sha256 hex digest of the UTF-8 bytes', () => {
    expect(strongEtag('')).toBe('"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"');
  });

  it('differs when a single character differs, including non-ASCII text', () => {
    expect(strongEtag('Café')).not.toBe(strongEtag('Cafe'));
    expect(strongEtag('Café')).toMatch(/^"[0-9a-f]{64}"$/);
  });

  it('is stable for the same text', () => {
    expect(strongEtag('BEGIN:VCALENDAR')).toBe(strongEtag('BEGIN:VCALENDAR'));
  });
});
