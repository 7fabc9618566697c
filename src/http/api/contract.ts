import { z } from 'zod';
import { textControlCharacter } from '../../domain/ical/calendar-limits.ts';

// The REST contract: request and response shapes shared by the routes, the OpenAPI document
// and (through `import type`) the web app.

const isoInstant = z.string().describe('ISO 8601 instant, e.g. 2026-03-10T14:00:00Z');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-10');
/** An instant with offset, a local 'YYYY-MM-DDTHH:mm[:ss]' read in the event's time zone, or a date for all-day events. */
const eventTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
    'must be an ISO 8601 date or date-time, e.g. 2026-03-10T14:00:00+01:00 or 2026-03-10',
  );

// RFC 5545 §3.1: no CONTROL character but HTAB may appear in a content line, and §3.3.11 writes a
// TEXT line break as "\n". So free text may hold tabs and line breaks and nothing else below
// U+0020 (PostgreSQL refuses NUL outright), and CRLF or a lone CR is stored as LF, never raw.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const anyControl = /[\u0000-\u001f\u007f]/;

/** An iCalendar TEXT value: tabs and line breaks allowed, line breaks normalised to LF. */
function calendarText(schema: z.ZodString) {
  return schema
    .refine(
      (value) => !textControlCharacter.test(value),
      'must not contain control characters other than tab and line breaks',
    )
    .transform((value) => value.replace(/\r\n?/g, '\n'));
}

/** One line of printable text (an RRULE, say): a line break would start a content line of its own. */
function singleLine(schema: z.ZodString) {
  return schema.refine(
    (value) => !anyControl.test(value),
    'must not contain control characters or line breaks',
  );
}

export const eventInput = z
  .object({
    summary: calendarText(z.string().trim().min(1, 'must not be empty').max(500)),
    start: eventTime,
    end: eventTime,
    allDay: z.boolean().optional(),
    timezone: singleLine(z.string().min(1).max(64)).optional(),
    description: calendarText(z.string().max(10_000)).nullable().optional(),
    location: calendarText(z.string().max(1_000)).nullable().optional(),
    rrule: singleLine(z.string().max(500)).nullable().optional(),
    reminders: z.array(z.number().int().min(0).max(40_320)).max(10).optional(),
  })
  .strict();
export type EventInput = z.infer<typeof eventInput>;

/** POST /api/events: an event and, optionally, which of your calendars it goes into. */
export const newEventInput = eventInput
  .extend({
    calendarId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('The calendar to write into; your default one when absent'),
  })
  .strict();

const recurrenceIdText = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'must be an occurrence’s recurrenceId as listed: an ISO instant, or a date for all-day events',
  )
  .describe('The occurrence’s recurrenceId exactly as GET /api/events lists it');
export const occurrenceScope = z
  .enum(['this', 'following', 'all'])
  .describe(
    'this: only this occurrence (RECURRENCE-ID override, or EXDATE when deleting); following: this and later ones (the series ends before it with UNTIL, a new series starts at it); all: the whole series. Default this.',
  );

/** Which occurrence of a recurring event a change or deletion is about, and how far it reaches. */
export const occurrenceTarget = z.object({
  recurrenceId: recurrenceIdText.nullable().optional(),
  scope: occurrenceScope.optional(),
});

export const eventPatch = eventInput
  .partial()
  .extend(occurrenceTarget.shape)
  .extend({
    calendarId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Move the whole event into this calendar (it gets a new id); not with recurrenceId'),
  })
  .strict();
export type EventPatchInput = z.infer<typeof eventPatch>;

export const eventOutput = z.object({
  id: z.string(),
  calendarId: z.string(),
  uid: z.string(),
  etag: z.string(),
  summary: z.string().nullable(),
  start: z.string().nullable().describe('ISO instant; a YYYY-MM-DD date for all-day events'),
  end: z.string().nullable(),
  allDay: z.boolean(),
  timezone: z.string().nullable(),
  description: z.string().nullable(),
  location: z.string().nullable(),
  rrule: z.string().nullable(),
  reminders: z.array(z.number()),
  status: z.string().nullable(),
  sequence: z.number(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type EventOutput = z.infer<typeof eventOutput>;

export const occurrenceOutput = z.object({
  eventId: z.string(),
  calendarId: z.string(),
  uid: z.string(),
  recurrenceId: z
    .string()
    .nullable()
    .describe(
      'Null for a single event; else the RECURRENCE-ID as an ISO instant, or a date for all-day events',
    ),
  start: z.string().describe('ISO instant; for all-day events the date as written (YYYY-MM-DD)'),
  end: z.string().describe('ISO instant; for all-day events the day after the last day (YYYY-MM-DD)'),
  allDay: z.boolean(),
  timezone: z.string().nullable(),
  summary: z.string().nullable(),
  location: z.string().nullable(),
  description: z.string().nullable(),
  rrule: z.string().nullable().describe('The series’ RRULE; null for a single event'),
  reminders: z.array(z.number()).describe('Minutes before the start of each reminder'),
  status: z.string().nullable(),
  isRecurring: z.boolean(),
  etag: z.string().describe('ETag of the event (the whole series); send it as If-Match'),
});

export const importOutput = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().describe('Items identical to what is stored'),
  errors: z.array(
    z.object({
      uid: z.string().optional(),
      reason: z.string().describe('e.g. no-uid, unsupported-component, uid-conflict, invalid-calendar-data'),
      message: z.string(),
    }),
  ),
});

export const eventRange = z
  .object({
    start: eventTime,
    end: eventTime,
    calendarId: z.string().min(1).max(64).optional().describe('Only this calendar’s occurrences'),
  })
  .describe('The window to list, as ISO instants (or dates, read in your time zone)');

export const userOutput = z.object({
  telegramId: z.number(),
  username: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  deletionRequestedAt: isoInstant.nullable(),
  deletionScheduledFor: isoInstant.nullable(),
  createdAt: isoInstant,
});

export const mePatch = z.object({ timezone: z.string().min(1).max(64) }).strict();

export const preferencesOutput = z.object({
  /** Minutes before the start of each new event (0: at the start); null: no default reminder. */
  defaultReminderMinutes: z.number().int().nullable(),
  digestEnabled: z.boolean(),
  digestTime: z.string(),
  email: z.string().nullable(),
});
export const preferencesPatch = z
  .object({
    /** Minutes before (0: at the start), or null for no default reminder. */
    defaultReminderMinutes: z.number().int().min(0).max(40_320).nullable().optional(),
    digestEnabled: z.boolean().optional(),
    digestTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 08:00')
      .optional(),
    /** Optional address for the data export and account notices; null removes it. */
    email: z.email().max(254).nullable().optional(),
  })
  .strict();

export const calendarOutput = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  description: z.string().nullable(),
  timezone: z.string().nullable(),
  syncRevision: z.number(),
  caldavUrl: z.string(),
  /** Yours, or shared with you to write or only to read (issue 14). */
  access: z.enum(['owner', 'write', 'read']),
  /** True when you cannot change its events: it follows an external feed, or was shared with you to read. */
  readOnly: z.boolean(),
  /** The calendar new events go into when none is named (POST /api/events, the bot's quick add). */
  isDefault: z.boolean(),
  subscription: z
    .object({
      url: z.string(),
      lastFetchedAt: isoInstant.nullable(),
      lastSuccessAt: isoInstant.nullable(),
      nextFetchAt: isoInstant,
      error: z
        .object({
          reason: z.string().describe('feed-timeout, feed-too-large, feed-http-error, feed-invalid, …'),
          message: z.string(),
        })
        .nullable(),
    })
    .nullable()
    .describe('The external ICS feed this calendar follows, or null'),
});

/** Writable calendar properties; the bounds are those of MKCALENDAR and PROPPATCH (app/calendar-collections.ts). */
const calendarProperties = {
  name: singleLine(z.string().trim().min(1, 'must not be empty').max(200)),
  color: z
    .string()
    .regex(/^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/, 'must be a colour like #3366CC or #3366CCFF')
    .nullable()
    .optional(),
  description: calendarText(z.string().max(2000)).nullable().optional(),
  timezone: singleLine(z.string().min(1).max(64)).nullable().optional(),
};

export const calendarInput = z
  .object({
    ...calendarProperties,
    name: calendarProperties.name
      .optional()
      .describe('Required, except with subscriptionUrl: then the feed names the calendar'),
    subscriptionUrl: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe('Follow this ICS feed (https://, http:// or webcal://): the calendar becomes read-only'),
    components: z
      .array(z.enum(['VEVENT', 'VTODO']))
      .min(1)
      .max(2)
      .optional()
      .describe('What the calendar holds: events, tasks or both (default both)'),
  })
  .strict();

export const calendarPatch = z
  .object({
    ...calendarProperties,
    name: calendarProperties.name.optional(),
    order: z.number().int().min(-1_000_000).max(1_000_000).nullable().optional(),
    /** true: new events go here when none is named (to change the default, make another one default). */
    isDefault: z.literal(true).optional(),
  })
  .strict();

export const deviceInput = z.object({ name: z.string().trim().min(1).max(64) }).strict();
export const deviceOutput = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoInstant,
  lastUsedAt: isoInstant.nullable(),
});
export const newDeviceOutput = deviceOutput.extend({
  password: z.string().describe('Shown once; store it in your calendar app now'),
  caldav: z.object({ url: z.string(), username: z.string() }),
});

export const loginWidgetInput = z
  .object({
    id: z.union([z.number(), z.string()]),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    username: z.string().optional(),
    photo_url: z.string().optional(),
    auth_date: z.union([z.number(), z.string()]),
    hash: z.string(),
  })
  .strict();

export const idParams = z.object({ id: z.string().min(1).max(64) });
export { date as dateString };
