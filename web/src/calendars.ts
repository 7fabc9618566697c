import type { CalendarInfo } from './api.ts';

// Pure helpers for the calendar list: colours that stay readable, which calendars a person hid
// (kept in this browser, per user) and which calendars the event form may write into.

/** Colours offered for a new calendar, each readable with black or white text on it. */
export const calendarPalette = [
  '#2a6fd6',
  '#2e7d32',
  '#c62828',
  '#8e24aa',
  '#ef6c00',
  '#00838f',
  '#6d4c41',
  '#ad1457',
] as const;

/** '#RRGGBB' of a stored colour ('#RRGGBBAA' loses its alpha), or undefined for none or a bad one. */
export function displayColor(color: string | null | undefined): string | undefined {
  const match = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color ?? '');
  return match ? `#${match[1]?.toLowerCase()}` : undefined;
}

/** WCAG 2.x relative luminance of '#RRGGBB'. */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two '#RRGGBB' colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on `background` ('#RRGGBB'). */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

/** The first palette colour no calendar uses yet, so a new calendar looks different by default. */
export function unusedColor(calendars: readonly CalendarInfo[]): string {
  const used = new Set(calendars.map((c) => displayColor(c.color)));
  return calendarPalette.find((color) => !used.has(color)) ?? calendarPalette[0];
}

/** Read-only: a subscribed (external) calendar, which only its feed changes. */
export function isReadOnly(calendar: CalendarInfo | undefined): boolean {
  return calendar?.readOnly === true || Boolean(calendar?.subscription);
}

/** The calendars the event form may write into. */
export function writableCalendars(calendars: readonly CalendarInfo[]): CalendarInfo[] {
  return calendars.filter((calendar) => !isReadOnly(calendar));
}

const hiddenKey = (userId: number) => `televent.hidden-calendars.${userId}`;

/** The calendars this person hid in this browser (nothing when storage is unavailable). */
export function readHiddenCalendars(userId: number): Set<string> {
  try {
    const stored = JSON.parse(localStorage.getItem(hiddenKey(userId)) ?? '[]') as unknown;
    return new Set(Array.isArray(stored) ? stored.filter((id) => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Remembers the hidden calendars for the next visit; private windows may refuse, which is fine. */
export function saveHiddenCalendars(userId: number, hidden: ReadonlySet<string>): void {
  try {
    localStorage.setItem(hiddenKey(userId), JSON.stringify([...hidden]));
  } catch {
    // Storage full or disabled: the choice lasts for this visit only.
  }
}

/** Did the set of calendars change (one added or removed), so the change stream should reopen? */
export function sameCalendarIds(a: readonly CalendarInfo[], b: readonly CalendarInfo[]): boolean {
  if (a.length !== b.length) return false;
  const ids = new Set(a.map((c) => c.id));
  return b.every((c) => ids.has(c.id));
}
