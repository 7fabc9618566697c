import type { AppServices } from '../../app/services.ts';
import { type TaskView, taskPageLimit } from '../../app/task-service.ts';
import type { TypedApp } from '../typed-app.ts';
import { requireUser } from './authenticate.ts';
import { idParams } from './contract.ts';
import { ifMatchHeaders, ifMatchOf } from './event-input.ts';
import { taskFilter, taskInput, taskOutput, taskPageOutput } from './task-contract.ts';

function presentTask(task: TaskView) {
  return {
    id: task.id,
    calendarId: task.calendarId,
    uid: task.uid,
    etag: task.etag,
    summary: task.summary,
    description: task.description,
    due: task.due,
    completed: task.completed?.toISOString() ?? null,
    status: task.status,
    ...(task.priority !== null ? { priority: task.priority } : {}),
  };
}

/** `/api/tasks`: list, create, complete, reopen and delete tasks (VTODO objects, also synced over CalDAV). */
export async function registerTaskRoutes(api: TypedApp, services: AppServices): Promise<void> {
  api.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: `List tasks: open (default), done or all; by due time, at most ${taskPageLimit} a page`,
        querystring: taskFilter,
        response: { 200: taskPageOutput },
      },
    },
    async (request) => {
      const page = await services.tasks.page(requireUser(request), request.query);
      return { tasks: page.tasks.map(presentTask), nextCursor: page.nextCursor };
    },
  );

  api.post(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Create a task (in the first calendar that holds tasks unless calendarId is given)',
        body: taskInput,
        response: { 201: taskOutput },
      },
    },
    async (request, reply) => {
      const task = await services.tasks.create(requireUser(request), request.body);
      reply.header('etag', task.etag).header('location', `/api/tasks/${task.id}`).code(201);
      return presentTask(task);
    },
  );

  const transitions = [
    { action: 'complete', summary: 'Mark a task done (If-Match honoured)' },
    { action: 'reopen', summary: 'Mark a done task open again (If-Match honoured)' },
  ] as const;
  for (const transition of transitions) {
    api.post(
      `/tasks/:id/${transition.action}`,
      {
        schema: {
          tags: ['tasks'],
          summary: transition.summary,
          params: idParams,
          headers: ifMatchHeaders,
          response: { 200: taskOutput },
        },
      },
      async (request, reply) => {
        const userId = requireUser(request);
        const conditions = { ifMatch: ifMatchOf(request.headers) };
        const task = await services.tasks[transition.action](userId, request.params.id, conditions);
        reply.header('etag', task.etag);
        return presentTask(task);
      },
    );
  }

  api.delete(
    '/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Delete a task (If-Match honoured)',
        params: idParams,
        headers: ifMatchHeaders,
      },
    },
    async (request, reply) => {
      const conditions = { ifMatch: ifMatchOf(request.headers) };
      await services.tasks.delete(requireUser(request), request.params.id, conditions);
      return reply.code(204).send();
    },
  );
}
