import { z } from 'zod';
import type { EventPatch } from '../../app/calendar-service.ts';
import { AppError } from '../../app/errors.ts';
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
  occurrenceOutput,
} from './contract.ts';
import { presentEvent, presentOccurrence } from './present.ts';

const maxRangeDays = 400;
const ifMatchHeaders = z.object({ 'if-match': z.string().optional() }).passthrough();

/** RFC 9110 §13.1.1: `If-Match: *` matches any stored version; otherwise one strong ETag. */
function ifMatchOf(headers: { 'if-match'?: string | undefined }): string | undefined {
  const value = headers['if-match']?.trim();
  return value === undefined || value === '*' ? undefined : value;
}

/** `/api/events`: create, read, replace, patch and delete events; list a range with occurrences. */
export async function registerEventRoutes(api: TypedApp, services: AppServices): Promise<void> {
  async function toPatch(
    userId: number,
    input: EventPatchInput,
    current?: { allDay: boolean; timeZone: string | null; start: Date | null; end: Date | null },
  ) {
    const timeZone =
      input.timezone ?? current?.timeZone ?? (await services.accounts.getUser(userId)).timeZone ?? 'UTC';
    const allDay = input.allDay ?? current?.allDay ?? false;
    const patch: EventPatch = {};
    if (input.summary !== undefined) patch.summary = input.summary;
    if (input.start !== undefined)
      patch.start = resolveEventTime(input.start, { allDay, timeZone, field: 'start' });
    if (input.end !== undefined) patch.end = resolveEventTime(input.end, { allDay, timeZone, field: 'end' });
    if (input.allDay !== undefined) patch.allDay = input.allDay;
    if (input.timezone !== undefined) patch.timeZone = input.timezone;
    if (input.description !== undefined) patch.description = input.description;
    if (input.location !== undefined) patch.location = input.location;
    if (input.rrule !== undefined) patch.rrule = input.rrule;
    if (input.reminders !== undefined) patch.reminders = input.reminders;
    // A PATCH that moves one end is checked against the other end as stored.
    const start = patch.start ?? current?.start;
    const end = patch.end ?? current?.end;
    if (start && end && !(end > start)) {
      const field = patch.end ? 'end' : 'start';
      throw new AppError('invalid-field', 'end must be after start.', { details: { field } });
    }
    return { patch, timeZone };
  }

  api.post(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Create an event',
        body: eventInput,
        response: { 201: eventOutput },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const { patch, timeZone } = await toPatch(userId, request.body);
      const event = await services.calendars.createEvent(userId, {
        summary: request.body.summary,
        start: patch.start as Date,
        end: patch.end as Date,
        allDay: request.body.allDay ?? false,
        timeZone,
        description: request.body.description,
        location: request.body.location,
        rrule: request.body.rrule,
        reminders: request.body.reminders,
      });
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
        response: { 200: z.object({ occurrences: z.array(occurrenceOutput), truncated: z.boolean() }) },
      },
    },
    async (request) => {
      const userId = requireUser(request);
      const timeZone = (await services.accounts.getUser(userId)).timeZone ?? 'UTC';
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
      if (!(end > start)) {
        throw new AppError('invalid-field', 'The range end must be after its start.', {
          details: { field: 'end' },
        });
      }
      if (end.getTime() - start.getTime() > maxRangeDays * 86_400_000) {
        throw new AppError('invalid-field', `A range spans at most ${maxRangeDays} days.`, {
          details: { field: 'end' },
        });
      }
      const { occurrences, truncated } = await services.calendars.listOccurrences(userId, { start, end });
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

  async function updateEvent(
    userId: number,
    id: string,
    body: EventPatchInput,
    headers: { 'if-match'?: string | undefined },
    replace: boolean,
  ) {
    const current = await services.calendars.getEvent(userId, id);
    const { patch } = await toPatch(userId, body, current);
    if (replace) {
      // PUT replaces the editable fields; optional ones left out are cleared (alarms only when given).
      patch.description ??= null;
      patch.location ??= null;
      patch.rrule ??= null;
    }
    return services.calendars.updateEvent(userId, id, patch, { ifMatch: ifMatchOf(headers) });
  }

  // PUT replaces the editable fields, PATCH changes only those it names; both honour If-Match.
  const updates = [
    { method: 'PUT', body: eventInput, replace: true, summary: 'Replace an event (If-Match honoured)' },
    {
      method: 'PATCH',
      body: eventPatch,
      replace: false,
      summary: 'Change some fields of an event (If-Match honoured); everything else is kept',
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
        summary: 'Delete an event (If-Match honoured)',
        params: idParams,
        headers: ifMatchHeaders,
      },
    },
    async (request, reply) => {
      await services.calendars.deleteEvent(requireUser(request), request.params.id, {
        ifMatch: ifMatchOf(request.headers),
      });
      return reply.code(204).send();
    },
  );
}
