/** Why an iCalendar object was refused; stable strings that doors map to DAV preconditions and messages. */
export type InvalidCalendarReason =
  | 'unparsable'
  | 'not-vcalendar'
  | 'no-component'
  | 'unsupported-component'
  | 'mixed-components'
  | 'no-uid'
  | 'mixed-uids'
  | 'missing-dtstart'
  | 'invalid-recurrence'
  | 'unknown-timezone'
  | 'invalid-value'
  | 'invalid-time-range'
  | 'limit-exceeded'
  | 'too-many-instances';

const calendarMessages: Record<InvalidCalendarReason, string> = {
  unparsable: 'the calendar data is not valid iCalendar text',
  'not-vcalendar': 'the calendar data must be exactly one VCALENDAR object',
  'no-component': 'the calendar data holds no VEVENT, VTODO or VJOURNAL',
  'unsupported-component': 'the calendar data holds a component this calendar does not store',
  'mixed-components': 'the calendar data mixes different component types',
  'no-uid': 'the calendar data has a component without a UID',
  'mixed-uids': 'the calendar data has two different UIDs',
  'missing-dtstart': 'the event has no DTSTART',
  'invalid-recurrence': 'the recurrence rule is not valid',
  'unknown-timezone': 'the calendar data uses a time zone that is neither defined in it nor known',
  'invalid-value': 'the calendar data holds a value that is not valid',
  'invalid-time-range': 'the component ends before it starts',
  'limit-exceeded': 'the calendar data is beyond what this server accepts',
  'too-many-instances': 'the calendar data has more instances than this server accepts',
};

/** RFC 4791 §4.1 / §5.3.2.1: the object is not a valid calendar object resource. */
export class InvalidCalendarData extends Error {
  readonly reason: InvalidCalendarReason;
  readonly detail: string | null;

  constructor(reason: InvalidCalendarReason, detail?: string, options?: { cause?: unknown }) {
    super(
      detail ? `${calendarMessages[reason]}: ${detail}` : calendarMessages[reason],
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'InvalidCalendarData';
    this.reason = reason;
    this.detail = detail ?? null;
  }
}

export type InvalidDateTextReason = 'unparsable-date' | 'unparsable-duration';

const dateTextMessages: Record<InvalidDateTextReason, string> = {
  'unparsable-date':
    'could not understand the date; try something like "tomorrow 10am" or "2026-01-25 14:00"',
  'unparsable-duration': 'could not understand the duration; try something like "30m", "1h30m" or "2 hours"',
};

/** Free text from a person (bot, Mini App) that does not read as a date or a duration. */
export class InvalidDateText extends Error {
  readonly reason: InvalidDateTextReason;
  readonly input: string;

  constructor(reason: InvalidDateTextReason, input: string, options?: { cause?: unknown }) {
    super(
      `${dateTextMessages[reason]} (got "${input.slice(0, 80)}")`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'InvalidDateText';
    this.reason = reason;
    this.input = input;
  }
}

export type InvalidEventFieldsReason = 'end-before-start' | 'invalid-reminder' | 'invalid-text';

const eventFieldMessages: Record<InvalidEventFieldsReason, string> = {
  'end-before-start': 'the event ends before it starts',
  'invalid-reminder': 'a reminder is whole minutes before the start, from 0 to 40320 (four weeks)',
  'invalid-text': 'text may not hold control characters',
};

/** Event fields from the bot or Mini App that cannot make an event, whatever the calendar data. */
export class InvalidEventFields extends Error {
  readonly reason: InvalidEventFieldsReason;

  constructor(reason: InvalidEventFieldsReason, detail?: string) {
    super(detail ? `${eventFieldMessages[reason]}: ${detail}` : eventFieldMessages[reason]);
    this.name = 'InvalidEventFields';
    this.reason = reason;
  }
}
