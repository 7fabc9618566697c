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

/**
 * Calls `onChange` when the user's calendars change anywhere (another device, CalDAV, the bot), and
 * after a reconnect (changes may have been missed meanwhile). Returns the function that stops it.
 */
export function watchChanges(onChange: () => void): () => void {
  const controller = new AbortController();
  let stopped = false;
  let connectedBefore = false;

  async function readOnce(): Promise<void> {
    const response = await fetch('/api/changes', {
      headers: { accept: 'text/event-stream', ...authHeaders() },
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`change stream: ${response.status}`);
    if (connectedBefore) onChange();
    connectedBefore = true;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseEventStream(buffer + value);
      buffer = parsed.rest;
      if (parsed.events.some((e) => e.event === 'change' || e.event === 'resync')) onChange();
    }
  }

  void (async () => {
    let delay = 3_000;
    while (!stopped) {
      try {
        await readOnce();
        delay = 3_000;
      } catch {
        // Offline, signed out or refused (too many open streams): try again later, more slowly.
        delay = Math.min(delay * 2, 60_000);
      }
      if (stopped) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  })();

  return () => {
    stopped = true;
    controller.abort();
  };
}
