// A link that opens one occurrence: /app/?event=<eventId>&at=<occurrence start, ISO>. The bot's
// reminder [Open] button makes it (src/telegram/mini-app.ts); the query string carries it because
// Telegram's launch parameters fill the hash.
import type { Occurrence } from './api.ts';

export interface EventLink {
  eventId: string;
  /** The occurrence's start as an instant (ms since the epoch). */
  at: number;
}

export function readEventLink(search: string = window.location.search): EventLink | undefined {
  const params = new URLSearchParams(search);
  const eventId = params.get('event');
  const at = Date.parse(params.get('at') ?? '');
  return eventId && !Number.isNaN(at) ? { eventId, at } : undefined;
}

/** Drops the link from the address bar (keeping the hash), so a reload shows the calendar. */
export function forgetEventLink(): void {
  const { pathname, hash } = window.location;
  window.history.replaceState(window.history.state, '', pathname + hash);
}

/** The linked occurrence among those listed around it: the event's occurrence nearest `at`. */
export function linkedOccurrence(occurrences: Occurrence[], link: EventLink): Occurrence | undefined {
  const distance = (o: Occurrence) => Math.abs(Date.parse(o.start) - link.at);
  return occurrences.filter((o) => o.eventId === link.eventId).sort((a, b) => distance(a) - distance(b))[0];
}
