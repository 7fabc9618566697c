import { z } from 'zod';
import { resolveEventTime } from '../../app/event-time.ts';
import type { AppServices } from '../../app/services.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import {
  type EventPatchInput,
  eventInput,
  eventOutput,
  eventPatch,
  eventRange,
  idParams,
  newEventInput,
  occurrenceOutput,
  occurrenceTarget,
} from './contract.ts';
import { fieldError, ifMatchHeaders, ifMatchOf, resolveRecurrenceId, toEventPatch } from './event-input.ts';
import { presentEvent, presentOccurrence } from './present.ts';

const maxRangeDays = 400;

/** `/api/events`: create, read, replace, patch and delete events; list a range with occurrences. */
export async function registerEventRoutes(api: TypedApp, services: AppServices): Promise<void> {
  const userTimeZone = async (userId: number) => (await services.accounts.getUser(userId)).timeZone;

  api.post(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Create an event (in your default calendar unless calendarId names another)',
        body: newEventInput,
        response: { 201: eventOutput },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const { patch, timeZone } = toEventPatch(request.body, await userTimeZone(userId));
      const event = await services.calendars.createEvent(
        userId,
        {
          summary: request.body.summary,
          start: patch.start as Date,
          end: patch.end as Date,
          allDay: request.body.allDay ?? false,
          timeZone,
          description: request.body.description,
          location: request.body.location,
          rrule: request.body.rrule,
          reminders: request.body.reminders,
        },
        request.body.calendarId ?? (await services.preferences.calendarFor(userId, 'VEVENT'))?.id,
      );
      reply.header('etag', event.etag).header('location', `/api/events/${event.id}`).code(201);
      return presentEvent(event);
    },
  );

  api.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'List occurrences in a range (recurring events expanded)',
        querystring: eventRange,
        response: {
          200: z.object({ occurrences: z.array(occurrenceOutput), truncated: z.boolean() }),
        },
      },
    },
    async (request) => {
      const userId = requireUser(request);
      const timeZone = (await userTimeZone(userId)) ?? 'UTC';
      const allDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text);
      const start = resolveEventTime(request.query.start, {
        allDay: allDay(request.query.start),
        timeZone,
        field: 'start',
      });
      const end = resolveEventTime(request.query.end, {
        allDay: allDay(request.query.end),
        timeZone,
        field: 'end',
      });
      if (!(end > start)) throw fieldError('end', 'The range end must be after its start.');
      if (end.getTime() - start.getTime() > maxRangeDays * 86_400_000) {
        throw fieldError('end', `A range spans at most ${maxRangeDays} days.`);
      }
      const { occurrences, truncated } = await services.calendars.listOccurrences(
        userId,
        { start, end },
        { userTimeZone: timeZone, calendarId: request.query.calendarId },
      );
      return { occurrences: occurrences.map(presentOccurrence), truncated };
    },
  );

  api.get(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Get one event',
        params: idParams,
        response: { 200: eventOutput },
      },
    },
    async (request, reply) => {
      const event = await services.calendars.getEvent(requireUser(request), request.params.id);
      reply.header('etag', event.etag);
      return presentEvent(event);
    },
  );

  /**
   * Which occurrence a PATCH or DELETE is about. A scope needs a recurrenceId on a repeating event;
   * on a single event a scope alone is ignored (it has one occurrence, so every scope means it).
   */
  function occurrenceSelector(
    target: { recurrenceId?: string | null | undefined; scope?: 'this' | 'following' | 'all' | undefined },
    event: { rrule: string | null },
    timeZone: string | null,
  ) {
    if (target.recurrenceId === undefined || target.recurrenceId === null) {
      if (target.scope !== undefined && event.rrule !== null) {
        throw fieldError('recurrenceId', 'A scope on a repeating event needs the occurrence’s recurrenceId.');
      }
      return null;
    }
    return {
      recurrenceId: resolveRecurrenceId(target.recurrenceId, timeZone),
      scope: target.scope ?? 'this',
    };
  }

  async function updateEvent(
    userId: number,
    id: string,
    body: EventPatchInput,
    headers: { 'if-match'?: string | undefined },
    replace: boolean,
  ) {
    const { recurrenceId, scope, calendarId, ...fields } = body;
    const current = await services.calendars.getEvent(userId, id);
    const timeZone = await userTimeZone(userId);
    const conditions = { ifMatch: ifMatchOf(headers) };
    if (calendarId !== undefined && calendarId !== current.calendarId) {
      if (recurrenceId != null) {
        throw fieldError('calendarId', 'A whole event moves between calendars; leave out recurrenceId.');
      }
      const { patch } = toEventPatch(fields, timeZone, current);
      return services.calendars.moveEvent(userId, id, calendarId, patch, conditions);
    }
    const selector = replace ? null : occurrenceSelector({ recurrenceId, scope }, current, timeZone);
    if (selector) {
      // The occurrence's own times are checked by the service; only defaults come from the event.
      const defaults = { allDay: current.allDay, timeZone: current.timeZone, start: null, end: null };
      const { patch } = toEventPatch(fields, timeZone, defaults);
      return services.calendars.changeOccurrence(userId, id, selector, patch, conditions);
    }
    const { patch } = toEventPatch(fields, timeZone, current);
    if (replace) {
      // PUT replaces the editable fields; optional ones left out are cleared (alarms only when given).
      patch.description ??= null;
      patch.location ??= null;
      patch.rrule ??= null;
    }
    return services.calendars.updateEvent(userId, id, patch, conditions);
  }

  // PUT replaces the editable fields, PATCH changes only those it names; both honour If-Match.
  const updates = [
    { method: 'PUT', body: eventInput, replace: true, summary: 'Replace an event (If-Match honoured)' },
    {
      method: 'PATCH',
      body: eventPatch,
      replace: false,
      summary:
        'Change some fields of an event, or of occurrences of a repeating one (recurrenceId + scope), or move it to another calendar (calendarId); If-Match honoured. Answers the changed event: for scope "following", the new series; after a move, the event with its new id.',
    },
  ] as const;
  for (const update of updates) {
    api.route({
      method: update.method,
      url: '/events/:id',
      schema: {
        tags: ['events'],
        summary: update.summary,
        params: idParams,
        headers: ifMatchHeaders,
        body: update.body,
        response: { 200: eventOutput },
      },
      handler: async (request, reply) => {
        const { id } = request.params;
        const event = await updateEvent(
          requireUser(request),
          id,
          request.body,
          request.headers,
          update.replace,
        );
        reply.header('etag', event.etag);
        return presentEvent(event);
      },
    });
  }

  api.delete(
    '/events/:id',
    {
      schema: {
        tags: ['events'],
        summary:
          'Delete an event, or occurrences of a repeating one (recurrenceId + scope); If-Match honoured',
        params: idParams,
        querystring: occurrenceTarget,
        headers: ifMatchHeaders,
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const { id } = request.params;
      const conditions = { ifMatch: ifMatchOf(request.headers) };
      const event = await services.calendars.getEvent(userId, id);
      const selector = occurrenceSelector(request.query, event, await userTimeZone(userId));
      if (selector) await services.calendars.removeOccurrence(userId, id, selector, conditions);
      else await services.calendars.deleteEvent(userId, id, conditions);
      return reply.code(204).send();
    },
  );
}
