import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../../app/errors.ts';
import { isUuid } from '../../app/event-view.ts';
import type { AppServices } from '../../app/services.ts';
import type { Config } from '../../config.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import { calendarInput, calendarOutput, calendarPatch, idParams } from './contract.ts';
import { presentCalendar } from './present.ts';

/**
 * `POST /api/calendars`, `PATCH` and `DELETE /api/calendars/:id`: the calendars MKCALENDAR,
 * PROPPATCH and DELETE make over CalDAV (issue 13), with the same bounds and the 50-calendar limit.
 */
export async function registerCalendarRoutes(
  api: TypedApp,
  services: AppServices,
  options: { publicBaseUrl: string; config: Pick<Config, 'FEED_FETCH_ALLOW_PRIVATE'> },
): Promise<void> {
  api.post(
    '/calendars',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Make another calendar (at most 50), or one that follows an ICS feed (subscriptionUrl)',
        body: calendarInput,
        response: { 201: calendarOutput },
      },
    },
    async (request, reply) => {
      const { name, color, description, timezone, components, subscriptionUrl } = request.body;
      const userId = requireUser(request);
      if (subscriptionUrl !== undefined) {
        const allowPrivateAddresses = options.config.FEED_FETCH_ALLOW_PRIVATE;
        const calendar = await services.calendarSubscriptions.subscribe(
          userId,
          { url: subscriptionUrl, name, ...(color !== undefined ? { color } : {}) },
          { allowPrivateAddresses },
        );
        const subscription = await services.calendarSubscriptions.subscriptionOf(userId, calendar.id);
        reply.code(201).header('location', `/api/calendars/${calendar.id}`);
        return presentCalendar(calendar, options.publicBaseUrl, subscription);
      }
      if (name === undefined) throw new AppError('invalid-field', 'A calendar needs a name.');
      const calendar = await services.calendarCollections.createCalendar(userId, {
        // The address segment only needs to be unique per user; clients show the name.
        slug: randomBytes(9).toString('base64url'),
        name,
        ...(color !== undefined ? { color } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(timezone !== undefined ? { timeZone: timezone } : {}),
        ...(components !== undefined ? { components } : {}),
      });
      reply.code(201).header('location', `/api/calendars/${calendar.id}`);
      return presentCalendar(calendar, options.publicBaseUrl);
    },
  );

  api.patch(
    '/calendars/:id',
    {
      schema: {
        tags: ['calendars'],
        summary:
          'Rename, recolour or reorder a calendar, change its description or time zone, or make it the default for new events',
        params: idParams,
        body: calendarPatch,
        response: { 200: calendarOutput },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!isUuid(id)) throw new AppError('calendar-not-found');
      const { name, color, description, timezone, order, isDefault } = request.body;
      const userId = requireUser(request);
      // Checked first: a calendar that cannot hold new events is refused before anything changes.
      if (isDefault) await services.preferences.setDefaultCalendar(userId, id);
      const calendar = await services.caldav.updateCalendarProperties(userId, id, {
        ...(name !== undefined ? { name } : {}),
        ...(color !== undefined ? { color } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(timezone !== undefined ? { timeZone: timezone } : {}),
        ...(order !== undefined ? { order } : {}),
      });
      const [subscription, choice] = await Promise.all([
        services.calendarSubscriptions.subscriptionOf(userId, id),
        services.preferences.calendarChoice(userId, 'VEVENT'),
      ]);
      return presentCalendar(calendar, options.publicBaseUrl, subscription, choice.defaultId === id);
    },
  );

  api.post(
    '/calendars/:id/refresh',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Fetch a followed feed soon (at most once a minute per calendar)',
        params: idParams,
      },
    },
    async (request, reply) => {
      try {
        await services.calendarSubscriptions.requestRefresh(requireUser(request), request.params.id);
      } catch (error) {
        const seconds = isAppError(error) ? error.details.retryAfterSeconds : undefined;
        if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
        throw error;
      }
      return reply.code(202).send();
    },
  );

  api.delete(
    '/calendars/:id',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Delete a calendar with all its events and tasks (not your default, first calendar)',
        params: idParams,
      },
    },
    async (request, reply) => {
      await services.calendarCollections.deleteCalendar(requireUser(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
