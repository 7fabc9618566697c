import type { ServerResponse } from 'node:http';
import type { ChangeNotice } from '../../app/calendar-change-feed.ts';
import type { AppServices } from '../../app/services.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';

/** A comment line this often keeps proxies and browsers from closing an idle stream. */
export const heartbeatMs = 25_000;

/** Server-Sent Events (HTML Living Standard §9.2): one `event:` name and one JSON `data:` line. */
function eventText(notice: ChangeNotice): string {
  if (notice.kind === 'resync') return 'event: resync\ndata: {}\n\n';
  if (notice.kind === 'calendars') return 'event: calendars\ndata: {}\n\n';
  const { calendarId, syncRevision } = notice.change;
  const data = { calendarId, syncToken: String(syncRevision), syncRevision };
  return `event: change\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * GET /api/changes: a text/event-stream that says `change` ({calendarId, syncToken}) whenever one of
 * the user's calendars changes, from any door (CalDAV, the bot, REST), `calendars` when one is made,
 * deleted, renamed or recoloured anywhere, and `resync` when changes
 * may have been missed. Fed by services.changeFeed; the stream itself never reads the database.
 * Browsers open it with EventSource and the session cookie; a Mini App with fetch and
 * `Authorization: tma`. At most 8 open streams per user (429 beyond).
 */
export async function registerChangeStream(api: TypedApp, services: AppServices): Promise<void> {
  const open = new Set<ServerResponse>();
  // Open streams would otherwise hold the server open on shutdown.
  api.addHook('preClose', (done) => {
    for (const response of open) response.end();
    done();
  });

  api.get(
    '/changes',
    {
      schema: {
        tags: ['events'],
        summary:
          'Stream of changes to your calendars (text/event-stream): `event: change` with {calendarId, syncToken}, `event: calendars` when a calendar was made, deleted, renamed or recoloured, `event: resync` to reread everything; a comment every 25 s',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const response = reply.raw;
      const early: ChangeNotice[] = [];
      let streaming = false;
      const send = (notice: ChangeNotice) => {
        if (streaming) response.write(eventText(notice));
        else early.push(notice);
      };
      // Refused (429) here, before anything is written, when the user or the server has too many open.
      const stop = await services.changeFeed.watch(userId, send);
      reply.hijack();
      // Hijacked replies skip onSend: the security headers set so far are copied over by hand.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) response.setHeader(name, typeof value === 'number' ? String(value) : value);
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      response.write('retry: 3000\n: connected\n\n');
      streaming = true;
      for (const notice of early.splice(0)) send(notice);
      open.add(response);
      const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
      heartbeat.unref();
      const close = () => {
        clearInterval(heartbeat);
        stop();
        open.delete(response);
      };
      request.raw.once('close', close);
      response.once('close', close);
    },
  );
}
