import { DavError } from './dav-error.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** An If-Match / If-None-Match header: `*`, a list of entity tags, or absent (RFC 9110 §13.1). */
export type EtagCondition = '*' | readonly string[] | undefined;

function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function readEtagCondition(headers: Headers, name: 'if-match' | 'if-none-match'): EtagCondition {
  const value = headerValue(headers, name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value === '*') return '*';
  return value.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/** RFC 9110 §8.8.3.2: If-Match uses the strong comparison; a weak tag never matches. */
export function strongMatch(condition: readonly string[], etag: string): boolean {
  return condition.some((tag) => !tag.startsWith('W/') && tag === etag);
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison. */
export function weakMatch(condition: readonly string[], etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return condition.some((tag) => tag.replace(/^W\//, '') === opaque);
}

/**
 * Checks the conditions of a state-changing request against what is stored now (undefined when
 * nothing is). Throws 412; the service re-checks the ETag inside its transaction, so a write that
 * raced in between still ends in 412 rather than a lost update.
 */
export function checkWriteConditions(headers: Headers, currentEtag: string | undefined): void {
  const ifMatch = readEtagCondition(headers, 'if-match');
  if (ifMatch !== undefined) {
    const ok = currentEtag !== undefined && (ifMatch === '*' || strongMatch(ifMatch, currentEtag));
    if (!ok) throw new DavError(412, 'The resource changed since it was loaded (If-Match failed).');
  }
  const ifNoneMatch = readEtagCondition(headers, 'if-none-match');
  if (ifNoneMatch !== undefined && currentEtag !== undefined) {
    if (ifNoneMatch === '*' || weakMatch(ifNoneMatch, currentEtag)) {
      throw new DavError(412, 'Something is already stored at this address (If-None-Match failed).');
    }
  }
}
