import { randomUUID } from 'node:crypto';
import { buildTaskCalendar, readTaskFields, setTaskCompletion } from '../domain/ical/task.ts';
import type { Db } from '../storage/db-types.ts';
import { findObjectById, listObjectsOfOwner } from '../storage/repositories/calendar-object-repository.ts';
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

  async list(userId: number, filter: TaskFilter = 'open'): Promise<TaskView[]> {
    const objects = await listObjectsOfOwner(this.#db, userId);
    return objects
      .filter((object) => object.component_type === 'VTODO')
      .map(toTaskView)
      .filter((task) => matches(task, filter));
  }

  async create(userId: number, input: NewTask): Promise<TaskView> {
    const calendar = await this.#taskCalendar(userId, input.calendarId);
    const user = await findUser(this.#db, userId);
    const timeZone = user?.time_zone ?? 'UTC';
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

  async delete(userId: number, taskId: string, conditions: WriteConditions = {}): Promise<void> {
    const task = await this.#findOwnTask(userId, taskId);
    await this.#calendars.deleteObject(userId, task.calendar_id, task.href_name, {
      ifMatch: conditions.ifMatch ?? task.etag,
    });
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
    return toTaskView(await this.#findOwnTask(userId, taskId));
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
    const object = isUuid(taskId) ? await findObjectById(this.#db, userId, taskId) : undefined;
    if (object?.component_type !== 'VTODO') throw new AppError('event-not-found', 'No such task.');
    return object;
  }
}

function toTaskView(row: CalendarObjectRow): TaskView {
  const fields = readTaskFields(row.ical);
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

function matches(task: TaskView, filter: TaskFilter): boolean {
  if (filter === 'all') return true;
  const done = task.status === 'COMPLETED';
  if (filter === 'done') return done;
  return !done && task.status !== 'CANCELLED';
}
