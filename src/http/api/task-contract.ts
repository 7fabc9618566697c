import { z } from 'zod';
import { taskCursorPattern, taskPageLimit } from '../../app/task-service.ts';
import { textControlCharacter } from '../../domain/ical/calendar-limits.ts';

// Request and response shapes of /api/tasks (VTODO objects, RFC 5545 §3.6.2).

/** An iCalendar TEXT value: tabs and line breaks allowed, line breaks normalised to LF. */
const taskText = (schema: z.ZodString) =>
  schema
    .refine(
      (value) => !textControlCharacter.test(value),
      'must not contain control characters other than tab and line breaks',
    )
    .transform((value) => value.replace(/\r\n?/g, '\n'));

export const taskInput = z
  .object({
    summary: taskText(z.string().trim().min(1, 'must not be empty').max(500)),
    due: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
        'must be a date like 2026-03-10 or a date-time like 2026-03-10T14:00 (read in your time zone)',
      )
      .optional(),
    description: taskText(z.string().max(10_000)).optional(),
    calendarId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const taskFilter = z.object({
  status: z.enum(['open', 'done', 'all']).default('open'),
  calendarId: z.string().min(1).max(64).optional().describe('Only this calendar’s tasks'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(taskPageLimit)
    .default(taskPageLimit)
    .describe(`Most tasks on one page (1–${taskPageLimit}, default ${taskPageLimit})`),
  cursor: z
    .string()
    .regex(taskCursorPattern, 'must be a nextCursor this API gave')
    .optional()
    .describe('The nextCursor of the page before'),
});

export const taskOutput = z.object({
  id: z.string(),
  calendarId: z.string(),
  uid: z.string(),
  etag: z.string(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  due: z.string().nullable().describe('A date (2026-03-10) or an ISO 8601 instant'),
  completed: z.string().nullable().describe('ISO 8601 instant'),
  status: z.string().nullable(),
  priority: z.number().int().optional(),
});

export const taskPageOutput = z.object({
  tasks: z.array(taskOutput).describe('By due time (undated last), then summary'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
