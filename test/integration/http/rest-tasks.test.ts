import { describe, expect, it } from 'vitest';
import { testEngine } from '../../support/test-database.ts';
import { restAndCaldavPerFile } from './rest-caldav-support.ts';
import { expectProblem } from './rest-support.ts';

// Tasks (VTODO) over REST, and the same tasks as a CalDAV client sees and writes them.

type Task = {
  id: string;
  uid: string;
  etag: string;
  summary: string;
  due: string | null;
  completed: string | null;
  status: string;
  priority?: number;
};

let userCount = 0;

describe(`REST tasks [${testEngine}]`, () => {
  const suite = restAndCaldavPerFile();

  async function newUser() {
    const user = { id: 4200 + ++userCount };
    const me = await suite.server.rest(user, 'PATCH', '/api/me', { payload: { timezone: 'Europe/Berlin' } });
    expect(me.statusCode).toBe(200);
    return user;
  }

  async function list(user: { id: number }, status?: string): Promise<Task[]> {
    const response = await suite.server.rest(user, 'GET', `/api/tasks${status ? `?status=${status}` : ''}`);
    expect(response.statusCode).toBe(200);
    return response.json().tasks;
  }

  async function create(user: { id: number }, payload: Record<string, unknown>): Promise<Task> {
    const response = await suite.server.rest(user, 'POST', '/api/tasks', { payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  it('creates, completes, reopens and deletes a task', async () => {
    const user = await newUser();
    const task = await create(user, { summary: 'Pay rent', due: '2026-03-10T09:00' });
    expect(task).toMatchObject({
      summary: 'Pay rent',
      due: '2026-03-10T08:00:00.000Z',
      status: 'NEEDS-ACTION',
    });
    expect((await list(user)).map((t) => t.id)).toEqual([task.id]);

    const done = await suite.server.rest(user, 'POST', `/api/tasks/${task.id}/complete`, {
      headers: { 'if-match': task.etag },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'COMPLETED' });
    expect(done.json().completed).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await list(user)).toEqual([]);
    expect((await list(user, 'done')).map((t) => t.id)).toEqual([task.id]);
    expect(await list(user, 'all')).toHaveLength(1);

    // The old ETag no longer matches.
    expectProblem(
      await suite.server.rest(user, 'POST', `/api/tasks/${task.id}/reopen`, {
        headers: { 'if-match': task.etag },
      }),
      412,
    );
    const reopened = await suite.server.rest(user, 'POST', `/api/tasks/${task.id}/reopen`);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'NEEDS-ACTION', completed: null });
    expect((await list(user)).map((t) => t.id)).toEqual([task.id]);
    expect(await list(user, 'done')).toEqual([]);

    // ETags follow the content: the completed version's no longer matches.
    const completedEtag = done.json().etag as string;
    expectProblem(
      await suite.server.rest(user, 'DELETE', `/api/tasks/${task.id}`, {
        headers: { 'if-match': completedEtag },
      }),
      412,
    );
    expect((await suite.server.rest(user, 'DELETE', `/api/tasks/${task.id}`)).statusCode).toBe(204);
    expect(await list(user, 'all')).toEqual([]);
  });

  it('shows a REST-created task to a CalDAV client with its STATUS and DUE', async () => {
    const user = await newUser();
    const task = await create(user, { summary: 'Taxes', due: '2026-04-30', description: 'Forms' });
    expect(task.due).toBe('2026-04-30');
    const read = await suite.server.caldavGet(user.id, `${task.uid}.ics`);
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('BEGIN:VTODO');
    expect(read.body).toContain('STATUS:NEEDS-ACTION');
    expect(read.body).toContain('DUE;VALUE=DATE:20260430');
    await suite.server.rest(user, 'POST', `/api/tasks/${task.id}/complete`);
    const after = await suite.server.caldavGet(user.id, `${task.uid}.ics`);
    expect(after.body).toContain('STATUS:COMPLETED');
    expect(after.body).toContain('PERCENT-COMPLETE:100');
  });

  /** A VTODO PUT by a CalDAV client into the user's default calendar. */
  async function putTodo(user: { id: number }, uid: string, lines: string[]) {
    const calendar = await suite.server.services.calendars.defaultCalendar(user.id);
    const { password } = await suite.server.services.devices.createDevice(user.id, `tasks app ${uid}`);
    const body = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Tasks//EN',
      'BEGIN:VTODO',
      `UID:${uid}`,
      'DTSTAMP:20260301T100000Z',
      ...lines,
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const put = await suite.server.app.inject({
      method: 'PUT',
      url: `/calendars/${user.id}/${calendar.slug}/${uid}.ics`,
      headers: {
        authorization: `Basic ${Buffer.from(`${user.id}:${password}`).toString('base64')}`,
        'content-type': 'text/calendar; charset=utf-8',
      },
      payload: body,
    });
    expect(put.statusCode, put.body).toBe(201);
  }

  it('lists a task a CalDAV client wrote', async () => {
    const user = await newUser();
    await putTodo(user, 'caldav-task@test', [
      'SUMMARY:Water plants',
      'DUE:20260305T170000Z',
      'PRIORITY:2',
      'STATUS:NEEDS-ACTION',
    ]);
    expect(await list(user)).toEqual([
      expect.objectContaining({
        uid: 'caldav-task@test',
        summary: 'Water plants',
        due: '2026-03-05T17:00:00.000Z',
        status: 'NEEDS-ACTION',
        priority: 2,
      }),
    ]);
  });

  it('reads a floating DUE in the user’s time zone, not the server’s', async () => {
    const user = await newUser();
    await putTodo(user, 'floating-due', ['SUMMARY:Call Anna', 'DUE:20260305T170000']);
    // 17:00 in Berlin (the user's zone) is 16:00 UTC.
    expect((await list(user))[0]?.due).toBe('2026-03-05T16:00:00.000Z');
  });

  it('pages tasks by due time, undated last, then summary, with a bounded limit', async () => {
    const user = await newUser();
    await create(user, { summary: 'Undated B' });
    await create(user, { summary: 'Late', due: '2026-05-01T09:00' });
    await create(user, { summary: 'Undated A' });
    await create(user, { summary: 'Early', due: '2026-03-01T09:00' });
    // Only DUE, written by a CalDAV client: sorted by it all the same.
    await putTodo(user, 'middle', ['SUMMARY:Middle', 'DUE:20260401T070000Z']);
    await create(user, { summary: 'Done', due: '2026-02-01' }).then((task) =>
      suite.server.rest(user, 'POST', `/api/tasks/${task.id}/complete`),
    );

    const summaries: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const response = await suite.server.rest(user, 'GET', `/api/tasks?limit=2${query}`);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { tasks: Task[]; nextCursor: string | null };
      expect(page.tasks.length).toBeLessThanOrEqual(2);
      summaries.push(...page.tasks.map((t) => t.summary));
      cursor = page.nextCursor;
      pages++;
    }
    expect(summaries).toEqual(['Early', 'Middle', 'Late', 'Undated A', 'Undated B']);
    expect(pages).toBe(3);
    const everything = await suite.server.rest(user, 'GET', '/api/tasks?status=all');
    expect(everything.json().tasks.map((t: Task) => t.summary)[0]).toBe('Done');
    expect(everything.json().nextCursor).toBeNull();

    // The bound is in the API description, where client authors read it.
    const openapi = (await suite.server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const limit = openapi.paths['/api/tasks'].get.parameters.find(
      (p: { name: string }) => p.name === 'limit',
    );
    expect(limit.schema).toMatchObject({ maximum: 200, default: 200 });
    for (const query of ['limit=0', 'limit=201', 'limit=two', 'cursor=-1', 'cursor=abc']) {
      expectProblem(await suite.server.rest(user, 'GET', `/api/tasks?${query}`), 400);
    }
  });

  it('filters tasks by calendar, and answers an unknown calendar as not found', async () => {
    const user = await newUser();
    const work = await suite.server.services.calendarCollections.createCalendar(user.id, {
      slug: 'work-tasks',
      name: 'Work',
      components: ['VTODO'],
    });
    await create(user, { summary: 'Home chore' });
    await create(user, { summary: 'Report', calendarId: work.id });
    const inWork = await suite.server.rest(user, 'GET', `/api/tasks?calendarId=${work.id}`);
    expect(inWork.json().tasks.map((t: Task) => t.summary)).toEqual(['Report']);
    const stranger = await newUser();
    expectProblem(
      await suite.server.rest(stranger, 'GET', `/api/tasks?calendarId=${work.id}`),
      404,
      'calendar-not-found',
    );
  });

  it('refuses a bad due date naming the field, and a calendar without tasks', async () => {
    const user = await newUser();
    const badShape = await suite.server.rest(user, 'POST', '/api/tasks', {
      payload: { summary: 'x', due: 'tomorrow' },
    });
    expectProblem(badShape, 400);
    expect(badShape.body).toContain('due');
    const notADay = await suite.server.rest(user, 'POST', '/api/tasks', {
      payload: { summary: 'x', due: '2026-02-30' },
    });
    expectProblem(notADay, 400);
    expect(notADay.body).toContain('due');

    const eventsOnly = await suite.server.services.calendarCollections.createCalendar(user.id, {
      slug: 'events-only',
      name: 'Events',
      components: ['VEVENT'],
    });
    const refused = await suite.server.rest(user, 'POST', '/api/tasks', {
      payload: { summary: 'x', calendarId: eventsOnly.id },
    });
    expectProblem(refused, 400, 'unsupported-component');
    expect(refused.body).toContain('tasks');
    expect(await list(user, 'all')).toEqual([]);
  });

  it("answers another user's task, and an event, as not found", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const task = await create(owner, { summary: 'Private' });
    expect(await list(stranger, 'all')).toEqual([]);
    for (const path of [`/api/tasks/${task.id}/complete`, `/api/tasks/${task.id}/reopen`]) {
      expectProblem(await suite.server.rest(stranger, 'POST', path), 404, 'task-not-found');
    }
    expectProblem(
      await suite.server.rest(stranger, 'DELETE', `/api/tasks/${task.id}`),
      404,
      'task-not-found',
    );
    const event = await suite.server.rest(owner, 'POST', '/api/events', {
      payload: { summary: 'Meeting', start: '2026-03-02T09:00', end: '2026-03-02T10:00' },
    });
    expectProblem(
      await suite.server.rest(owner, 'DELETE', `/api/tasks/${event.json().id}`),
      404,
      'task-not-found',
    );
    expect((await list(owner)).map((t) => t.id)).toEqual([task.id]);
  });
});
