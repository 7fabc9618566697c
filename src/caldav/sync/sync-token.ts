/**
 * RFC 6578 §3.2: a sync token is a URI. Ours names the calendar and its sync revision, so a token of
 * another calendar (or a forged one) is recognised as unknown, never misread.
 */
const prefix = 'https://televent.app/ns/sync/';

export function formatSyncToken(calendarId: string, revision: number): string {
  return `${prefix}${calendarId}/${revision}`;
}

/** The revision a token names for this calendar, or null when it is not one of its tokens. */
export function parseSyncToken(token: string, calendarId: string): number | null {
  const expected = `${prefix}${calendarId}/`;
  const trimmed = token.trim();
  if (!trimmed.startsWith(expected)) return null;
  const digits = trimmed.slice(expected.length);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(digits)) return null;
  const revision = Number(digits);
  return Number.isSafeInteger(revision) ? revision : null;
}
