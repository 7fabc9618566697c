import { randomBytes } from 'node:crypto';
import { AppError } from '../../app/errors.ts';
import { isUuid } from '../../app/event-view.ts';
import type { AppServices } from '../../app/services.ts';
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
  options: { publicBaseUrl: string },
): Promise<void> {
  api.post(
    '/calendars',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Make another calendar (at most 50)',
        body: calendarInput,
        response: { 201: calendarOutput },
      },
    },
    async (request, reply) => {
      const { name, color, description, timezone, components } = request.body;
      const calendar = await services.calendarCollections.createCalendar(requireUser(request), {
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
        summary: 'Rename, recolour or reorder a calendar, or change its description or time zone',
        params: idParams,
        body: calendarPatch,
        response: { 200: calendarOutput },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!isUuid(id)) throw new AppError('calendar-not-found');
      const { name, color, description, timezone, order } = request.body;
      const calendar = await services.caldav.updateCalendarProperties(requireUser(request), id, {
        ...(name !== undefined ? { name } : {}),
        ...(color !== undefined ? { color } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(timezone !== undefined ? { timeZone: timezone } : {}),
        ...(order !== undefined ? { order } : {}),
      });
      return presentCalendar(calendar, options.publicBaseUrl);
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
