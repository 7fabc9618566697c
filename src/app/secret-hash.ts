import { createHash } from 'node:crypto';

/**
 * What is stored of a secret handed out in a URL (a calendar feed, an invite link): its SHA-256 in
 * hex. The secret itself is shown once and never stored, so a leaked table opens nothing.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
