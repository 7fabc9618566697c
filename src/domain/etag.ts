import { createHash } from 'node:crypto';

/**
 * RFC 9110 §8.8.3: a strong entity tag, quoted. Derived from the stored bytes only, so it changes exactly
 * when the representation changes (docs/caldav-client-quirks.md#verbatim-storage).
 */
export function strongEtag(text: string): string {
  return `"${createHash('sha256').update(text, 'utf8').digest('hex')}"`;
}
