/**
 * The one error vocabulary of Televent. app/ raises AppError with a stable `reason`; each door
 * maps it once (REST: problem+json, CalDAV: status + DAV precondition, bot: a sentence).
 */
export const errorKinds = [
  'not-found',
  'conflict',
  'precondition-failed',
  'invalid-input',
  'unauthorized',
  'forbidden',
  'too-large',
  'rate-limited',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

/** Every reason app/ can raise, with its kind and a default sentence for people. */
export const errorCatalogue = {
  'user-not-found': { kind: 'not-found', message: 'No such user.' },
  'calendar-not-found': { kind: 'not-found', message: 'No such calendar.' },
  'event-not-found': { kind: 'not-found', message: 'No such event.' },
  'task-not-found': { kind: 'not-found', message: 'No such task.' },
  'device-not-found': { kind: 'not-found', message: 'No such device password.' },
  'etag-mismatch': {
    kind: 'precondition-failed',
    message: 'The event was changed elsewhere since you loaded it; reload and try again.',
  },
  'object-exists': { kind: 'precondition-failed', message: 'Something is already stored at that address.' },
  'uid-conflict': { kind: 'conflict', message: 'Another event in this calendar already has that UID.' },
  'calendar-limit-reached': {
    kind: 'forbidden',
    message: 'You have reached the maximum of 50 calendars; delete one before making another.',
  },
  'default-calendar-undeletable': {
    kind: 'forbidden',
    message: 'Your first calendar is your default one and cannot be deleted; delete the others instead.',
  },
  'calendar-read-only': {
    kind: 'forbidden',
    message: 'This calendar follows an external feed and is read-only; change the events at their source.',
  },
  'calendar-shared-read-only': {
    kind: 'forbidden',
    message: 'This calendar was shared with you to read only; ask its owner for write access.',
  },
  'not-calendar-owner': {
    kind: 'forbidden',
    message: "Only the calendar's owner can rename, share or delete it.",
  },
  'share-not-found': { kind: 'not-found', message: 'No such share or invitation.' },
  'share-exists': { kind: 'conflict', message: 'This calendar is already shared with that person.' },
  'share-limit-reached': {
    kind: 'forbidden',
    message: 'A calendar can be shared with at most 100 people; revoke a share before adding another.',
  },
  'group-not-found': {
    kind: 'not-found',
    message: 'This group has no calendar yet: send /groupcalendar in the group to make one.',
  },
  'not-group-member': { kind: 'forbidden', message: 'Only members of the group can add its calendar.' },
  'not-group-admin': { kind: 'forbidden', message: "Only the group's admins can change that." },
  'group-member-limit-reached': {
    kind: 'forbidden',
    message: 'A group calendar can have at most 1,000 members.',
  },
  'invitation-not-found': { kind: 'not-found', message: 'No such invitation.' },
  'invitation-cancelled': { kind: 'conflict', message: 'The organizer has cancelled this event.' },
  'feed-url-refused': {
    kind: 'invalid-input',
    message:
      'That feed address cannot be followed: give a public http://, https:// or webcal:// address without a user name or password.',
  },
  'device-name-taken': { kind: 'conflict', message: 'A device password with that name already exists.' },
  'invalid-calendar-data': { kind: 'invalid-input', message: 'The calendar data is not valid iCalendar.' },
  'unsupported-component': {
    kind: 'invalid-input',
    message: 'Only events (VEVENT), tasks (VTODO) and journal entries (VJOURNAL) can be stored.',
  },
  'invalid-field': { kind: 'invalid-input', message: 'A field has an invalid value.' },
  'invalid-time-zone': { kind: 'invalid-input', message: 'That is not a known IANA time zone.' },
  'invalid-date-text': { kind: 'invalid-input', message: 'That date or time could not be understood.' },
  'authentication-required': { kind: 'unauthorized', message: 'Sign in first.' },
  'invalid-init-data': { kind: 'unauthorized', message: 'The Telegram sign-in data is not valid.' },
  'expired-init-data': { kind: 'unauthorized', message: 'The Telegram sign-in data has expired.' },
  'telegram-auth-unavailable': {
    kind: 'unauthorized',
    message: 'Telegram sign-in is not available: the server has no TELEGRAM_BOT_TOKEN.',
  },
  'invalid-login-link': {
    kind: 'unauthorized',
    message: 'This login link is invalid, used or expired; ask the bot for a new one with /web.',
  },
  'invalid-credentials': { kind: 'unauthorized', message: 'Wrong user name or device password.' },
  'account-deletion-pending': {
    kind: 'forbidden',
    message: 'This account is scheduled for deletion; cancel the deletion first.',
  },
  'cross-site-request': {
    kind: 'forbidden',
    message:
      'This request came from another site; a signed-in browser may change things only from this site.',
  },
  'payload-too-large': { kind: 'too-large', message: 'The request body is too large.' },
  'rate-limited': { kind: 'rate-limited', message: 'Too many requests; wait a moment and try again.' },
  'too-many-failed-sign-ins': {
    kind: 'rate-limited',
    message:
      'Too many failed sign-ins from this network or for this account; wait a few minutes and try again.',
  },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type ErrorReason = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly reason: ErrorReason;
  /** Extra facts for the client (e.g. the field that failed); never secrets. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    reason: ErrorReason,
    detail?: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(
      detail ?? errorCatalogue[reason].message,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'AppError';
    this.reason = reason;
    this.kind = errorCatalogue[reason].kind;
    this.details = options.details ?? {};
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
