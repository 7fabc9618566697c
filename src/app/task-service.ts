import { randomUUID } from 'node:crypto';
import { buildTaskCalendar, readTaskFields, setTaskCompletion } from '../domain/ical/task.ts';
import type { Db } from '../storage/db-types.ts';
import { findVisibleObjectById } from '../storage/repositories/calendar-object-repository.ts';
import { listTasks } from '../storage/repositories/task-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import type { CalendarView } from './caldav-views.ts';
import { withDomainErrors } from './calendar-data-error.ts';
import type { CalendarService, WriteConditions } from './calendar-service.ts';
import { AppError } from './errors.ts';
import { resolveEventTime } from './event-time.ts';
import { isUuid } from './event-view.ts';

/** A stored VTODO as the REST API shows it. */
export interface TaskView {
  id: string;
  calendarId: string;
  uid: string;
  etag: string;
  summary: string | null;
  description: string | null;
  /** `YYYY-MM-DD` for a date, else an ISO instant. */
  due: string | null;
  completed: Date | null;
  status: string | null;
  priority: number | null;
}

export type TaskFilter = 'open' | 'done' | 'all';

/** Most tasks one page holds: GET /api/tasks documents it as the bound of `limit`. */
export const taskPageLimit = 200;

/** Which page of which tasks: `cursor` is the `nextCursor` of the page before. */
export interface TaskPageRequest {
  status?: TaskFilter | undefined;
  calendarId?: string | undefined;
  /** 1 to taskPageLimit; taskPageLimit when left out. */
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Tasks by due time (undated last), then summary; `nextCursor` is null on the last page. */
export interface TaskPage {
  tasks: TaskView[];
  nextCursor: string | null;
}

/** A cursor is the count of tasks on the pages before, as text; more than this many is no real list. */
export const taskCursorPattern = /^(0|[1-9]\d{0,6})$/;

export interface NewTask {
  summary: string;
  /** A date (`2026-03-10`), a local date-time read in the user's zone, or an instant with an offset. */
  due?: string | undefined;
  description?: string | undefined;
  calendarId?: string | undefined;
}

/**
 * Tasks (VTODO objects, which also sync over CalDAV). Every write goes through CalendarService's
 * object writes, so it is one transaction with its sync revision (docs/architecture.md#one-transaction-per-change).
 */
export class TaskService {
  readonly #db: Db;
  readonly #calendars: CalendarService;
  readonly #now: () => Date;

  constructor(deps: { db: Db; calendars: CalendarService; now?: () => Date }) {
    this.#db = deps.db;
    this.#calendars = deps.calendars;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The first page (at most taskPageLimit) of a user's tasks: open ones unless asked otherwise. */
  async list(userId: number, filter: TaskFilter = 'open'): Promise<TaskView[]> {
    return (await this.page(userId, { status: filter })).tasks;
  }

  /** One page of a user's tasks, read by one bounded query (task-repository.ts). */
  async page(userId: number, request: TaskPageRequest = {}): Promise<TaskPage> {
    const limit = request.limit ?? taskPageLimit;
    if (!Number.isInteger(limit) || limit < 1 || limit > taskPageLimit) {
      throw new AppError('invalid-field', `limit must be a whole number from 1 to ${taskPageLimit}.`);
    }
    const cursor = request.cursor ?? '0';
    if (!taskCursorPattern.test(cursor))
      throw new AppError('invalid-field', 'cursor is not one this API gave.');
    if (request.calendarId !== undefined) {
      const calendars = await this.#calendars.listCalendars(userId);
      if (!calendars.some((c) => c.id === request.calendarId)) throw new AppError('calendar-not-found');
    }
    const offset = Number(cursor);
    // One row more than asked says whether another page follows.
    const rows = await listTasks(this.#db, {
      userId,
      calendarId: request.calendarId,
      status: request.status ?? 'open',
      limit: limit + 1,
      offset,
    });
    const timeZone = await this.#timeZone(userId);
    return {
      tasks: rows.slice(0, limit).map((row) => toTaskView(row, timeZone)),
      nextCursor: rows.length > limit ? String(offset + limit) : null,
    };
  }

  async create(userId: number, input: NewTask): Promise<TaskView> {
    const calendar = await this.#taskCalendar(userId, input.calendarId);
    const timeZone = await this.#timeZone(userId);
    const dueAllDay = input.due !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(input.due);
    const due =
      input.due === undefined
        ? null
        : resolveEventTime(input.due, { allDay: dueAllDay, timeZone, field: 'due' });
    const uid = `${randomUUID()}@televent`;
    const text = withDomainErrors(() =>
      buildTaskCalendar({
        uid,
        summary: input.summary,
        description: input.description ?? null,
        due,
        dueAllDay,
        timeZone,
        now: this.#now(),
      }),
    );
    const { object } = await this.#calendars.putObject(userId, calendar.id, `${uid}.ics`, text, {
      ifNoneMatch: '*',
    });
    return this.#get(userId, object.id);
  }

  async complete(userId: number, taskId: string, conditions: WriteConditions = {}): Promise<TaskView> {
    return this.#setCompletion(userId, taskId, true, conditions);
  }

  async reopen(userId: number, taskId: string, conditions: WriteConditions = {}): Promise<TaskView> {
    return this.#setCompletion(userId, taskId, false, conditions);
  }

  /** Deletes the task and returns it as it was (the bot names what it deleted). */
  async delete(userId: number, taskId: string, conditions: WriteConditions = {}): Promise<TaskView> {
    const task = await this.#findOwnTask(userId, taskId);
    await this.#calendars.deleteObject(userId, task.calendar_id, task.href_name, {
      ifMatch: conditions.ifMatch ?? task.etag,
    });
    return toTaskView(task, await this.#timeZone(userId));
  }

  async #setCompletion(userId: number, taskId: string, done: boolean, conditions: WriteConditions) {
    const task = await this.#findOwnTask(userId, taskId);
    if (conditions.ifMatch !== undefined && conditions.ifMatch !== task.etag)
      throw new AppError('etag-mismatch');
    const text = withDomainErrors(() => setTaskCompletion(task.ical, done, this.#now()));
    await this.#calendars.putObject(userId, task.calendar_id, task.href_name, text, { ifMatch: task.etag });
    return this.#get(userId, task.id);
  }

  async #get(userId: number, taskId: string): Promise<TaskView> {
    return toTaskView(await this.#findOwnTask(userId, taskId), await this.#timeZone(userId));
  }

  /** The user's zone: floating times in their tasks are their wall-clock times. */
  async #timeZone(userId: number): Promise<string> {
    const user = await findUser(this.#db, userId);
    return user?.time_zone ?? 'UTC';
  }

  /** The asked calendar, or the first that holds tasks; RFC 4791 §5.2.3 supported-calendar-component. */
  async #taskCalendar(userId: number, calendarId: string | undefined): Promise<CalendarView> {
    const calendars = await this.#calendars.listCalendars(userId);
    if (calendarId !== undefined) {
      const calendar = calendars.find((c) => c.id === calendarId);
      if (!calendar) throw new AppError('calendar-not-found');
      if (!calendar.components.includes('VTODO')) {
        throw new AppError('unsupported-component', 'This calendar does not hold tasks (VTODO).');
      }
      return calendar;
    }
    const calendar = calendars.find((c) => c.components.includes('VTODO'));
    if (!calendar) throw new AppError('unsupported-component', 'None of your calendars holds tasks (VTODO).');
    return calendar;
  }

  async #findOwnTask(userId: number, taskId: string): Promise<CalendarObjectRow> {
    // Another user's task, or an event, is "not found": its existence is never revealed.
    const object = isUuid(taskId) ? await findVisibleObjectById(this.#db, userId, taskId) : undefined;
    if (object?.component_type !== 'VTODO') throw new AppError('task-not-found');
    return object;
  }
}

function toTaskView(row: CalendarObjectRow, timeZone: string): TaskView {
  const fields = readTaskFields(row.ical, timeZone);
  return {
    id: row.id,
    calendarId: row.calendar_id,
    uid: row.uid,
    etag: row.etag,
    summary: fields.summary,
    description: fields.description,
    due: fields.due,
    completed: fields.completed,
    status: fields.status,
    priority: fields.priority,
  };
}
