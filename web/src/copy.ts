import { useState } from 'react';
import type { Translate } from './i18n.ts';

/**
 * Copy to the clipboard, with the sentence to announce: "<what> copied." or, without clipboard
 * permission (an http page, say), that the text on the page can be selected instead.
 */
export function useCopy(t: Translate): [string | undefined, (label: string, text: string) => Promise<void>] {
  const [copied, setCopied] = useState<string | undefined>();
  async function copy(label: string, text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(t('copied', { what: label }));
    } catch {
      setCopied(t('copyFailed'));
    }
  }
  return [copied, copy];
}
