import { z } from 'zod';
import type { AppServices } from '../../app/services.ts';
import { calendarFeedPath } from '../calendar-feed.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import { idParams } from './contract.ts';

const feedOutput = z.object({
  url: z.string().describe('The secret feed address; anyone holding it can read the calendar.'),
  webcalUrl: z.string().describe('The same feed as webcal://, which calendar apps open as a subscription.'),
});

/**
 * `/api/calendars/:id/feed`: the secret read-only .ics URL of one of your calendars
 * (GET /feeds/<secret>.ics, see ../calendar-feed.ts).
 */
export async function registerCalendarFeedRoutes(
  api: TypedApp,
  services: AppServices,
  options: { publicBaseUrl: string },
): Promise<void> {
  api.post(
    '/calendars/:id/feed',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Make a new secret feed URL for a calendar (shown once; replaces any earlier one)',
        params: idParams,
        response: { 201: feedOutput },
      },
    },
    async (request, reply) => {
      const feed = await services.calendarFeeds.createFeed(requireUser(request), request.params.id);
      const url = `${options.publicBaseUrl}${calendarFeedPath(feed.secret)}`;
      reply.code(201).header('cache-control', 'no-store');
      return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
    },
  );

  api.delete(
    '/calendars/:id/feed',
    { schema: { tags: ['calendars'], summary: "Revoke a calendar's feed URL", params: idParams } },
    async (request, reply) => {
      await services.calendarFeeds.revokeFeed(requireUser(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
