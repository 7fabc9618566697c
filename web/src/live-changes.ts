import { authHeaders } from './api.ts';

// GET /api/changes is a Server-Sent Events stream (HTML Living Standard §9.2). EventSource cannot
// send `Authorization: tma …`, which a Mini App needs, so the stream is read with fetch and a small
// parser, the same way in a browser and in Telegram, reconnecting as EventSource would.

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream into events; keeps the unfinished tail for the next chunk. */
export function parseEventStream(buffer: string): { events: ServerSentEvent[]; rest: string } {
  const events: ServerSentEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/** What the stream said: a calendar changed, or (`calendarId` undefined) reread everything, calendars included. */
export interface ChangeNotice {
  calendarId: string | undefined;
}

/** The calendar a `change` event names ({calendarId, syncToken}); undefined when unreadable. */
function calendarOf(event: ServerSentEvent): string | undefined {
  try {
    const data = JSON.parse(event.data) as { calendarId?: unknown };
    return typeof data.calendarId === 'string' ? data.calendarId : undefined;
  } catch {
    return undefined;
  }
}

/** A running change stream: `reconnect` reopens it at once, `stop` ends it. */
export interface ChangeWatch {
  /**
   * Reopens the stream now. The server watches the calendars that exist when a stream opens, so
   * after a calendar was added the stream is reopened to hear about it too.
   */
  reconnect(): void;
  stop(): void;
}

/**
 * Calls `onChange` when the user's calendars change anywhere (another device, CalDAV, the bot), and
 * after a reconnect (changes may have been missed meanwhile, so `calendarId` is undefined).
 */
export function watchChanges(onChange: (notice: ChangeNotice) => void): ChangeWatch {
  let stopped = false;
  let connectedBefore = false;
  let connection = new AbortController();
  let wake: (() => void) | undefined;

  async function readOnce(signal: AbortSignal): Promise<void> {
    const response = await fetch('/api/changes', {
      headers: { accept: 'text/event-stream', ...authHeaders() },
      credentials: 'same-origin',
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`change stream: ${response.status}`);
    if (connectedBefore) onChange({ calendarId: undefined });
    connectedBefore = true;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseEventStream(buffer + value);
      buffer = parsed.rest;
      for (const event of parsed.events) {
        if (event.event === 'change') onChange({ calendarId: calendarOf(event) });
        // A calendar made, deleted or renamed anywhere: reread the list and what it shows.
        else if (event.event === 'resync' || event.event === 'calendars') onChange({ calendarId: undefined });
      }
    }
  }

  void (async () => {
    let delay = 3_000;
    while (!stopped) {
      const { signal } = connection;
      try {
        await readOnce(signal);
        delay = 3_000;
      } catch {
        // Offline, signed out or refused (too many open streams): try again later, more slowly.
        if (!signal.aborted) delay = Math.min(delay * 2, 60_000);
      }
      if (stopped) return;
      // A reconnect asked for (the stream was aborted on purpose) goes again at once.
      if (signal.aborted) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay);
      });
      wake = undefined;
    }
  })();

  return {
    reconnect() {
      if (stopped) return;
      const previous = connection;
      connection = new AbortController();
      previous.abort();
      wake?.();
    },
    stop() {
      stopped = true;
      connection.abort();
      wake?.();
    },
  };
}
