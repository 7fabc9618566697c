import type { ToldChange } from '../app/group-announcements.ts';
import { userText } from './html.ts';
import { type Language, translate } from './i18n.ts';
import { formatDay, formatTime } from './when.ts';

const marks = { created: '➕', modified: '✏️', deleted: '✖️' } as const;

/** At most this many lines in one announcement; the rest are counted. */
export const maxToldChanges = 10;

/**
 * What a group is told about its calendar (the worker's 'group.announce'): one line per event,
 * "➕ Olga added Dinner — Fri, 4 Dec 2026, 19:00", in the group's language and zone, and how
 * many more changes there were beyond the first ten. Null when there is nothing to tell.
 */
export function groupChangesMessage(input: {
  language: Language;
  timeZone: string;
  calendarName: string;
  changes: readonly ToldChange[];
}): { text: string; parseMode: 'HTML' } | null {
  const { language, timeZone } = input;
  if (input.changes.length === 0) return null;
  const t = (key: string, args?: Record<string, string>) => translate(language, key, args);
  const lines = input.changes.slice(0, maxToldChanges).map((change) => {
    const title = `<b>${userText(change.summary ?? t('no-title'), 80)}</b>`;
    const when = change.startAt
      ? change.allDay
        ? ` — ${formatDay(change.startAt, 'UTC', language)}`
        : ` — ${formatDay(change.startAt, timeZone, language)}, ${formatTime(change.startAt, timeZone, language)}`
      : '';
    const person = change.actorName ? userText(change.actorName, 40) : t('group-someone');
    return `${marks[change.operation]} ${t(`group-told-${change.operation}`, { person, event: title })}${when}`;
  });
  const more = input.changes.length - maxToldChanges;
  if (more > 0) lines.push(t('group-told-more', { count: String(more) }));
  return {
    text: `📅 ${t('group-told-heading', { calendar: userText(input.calendarName, 80) })}\n${lines.join('\n')}`,
    parseMode: 'HTML',
  };
}
