/**
 * The data behind inline buttons, one typed codec for every writer (the bot's keyboards, the
 * worker's reminders) and the one reader (the bot's callback handlers). The wire format stays the
 * short `prefix:field:field` text older messages in chats already carry.
 */

export type AgendaView = 'today' | 'tomorrow' | 'week' | 'list';
export type RepeatChoice = 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type SettingsItem =
  | 'menu'
  | 'zone'
  | 'reminder'
  | 'digest'
  | 'language'
  | 'email'
  | 'email-off'
  | 'calendar';
export type LanguageChoice = 'en' | 'ru' | 'auto';
/** What /edit can change of an event ('menu': back to the list of these). */
export type EditField =
  | 'menu'
  | 'title'
  | 'when'
  | 'duration'
  | 'location'
  | 'description'
  | 'reminders'
  | 'repeat';
export type EditScope = 'this' | 'following' | 'all';

export type CallbackData =
  /** [Snooze 10 min] under a reminder: the occurrence is named by its start, in whole seconds. */
  | { kind: 'snooze'; eventId: string; occurrenceStart: Date }
  /** [Open] under a reminder. */
  | { kind: 'open'; eventId: string }
  /** ‹ Earlier / Later › under an agenda page. */
  | { kind: 'agenda'; view: AgendaView; page: number }
  /** A zone in the /timezone picker. */
  | { kind: 'time-zone'; zone: string }
  /** [Skip] under a /create question. */
  | { kind: 'create-skip' }
  /** [30 min] [1 h] [2 h] under the /create length question. */
  | { kind: 'create-duration'; minutes: number }
  /** [None] [Daily] [Weekly] [Monthly] [Yearly] under the /create repeat question. */
  | { kind: 'create-repeat'; repeat: RepeatChoice }
  /** A reminder lead time (minutes) under the /create reminders question. */
  | { kind: 'create-reminder'; minutes: number }
  /** [Save] [Edit] [Cancel] under a quick-add preview. */
  | { kind: 'quick-add'; choice: 'save' | 'edit' | 'cancel' }
  /** An upcoming event in the /cancel list; `occurrenceStart` is null for a single event. */
  | { kind: 'cancel-pick'; eventId: string; occurrenceStart: Date | null }
  /** [Yes, delete] or [Whole series] after /cancel. */
  | { kind: 'cancel-series'; eventId: string }
  /** [This one] after /cancel picked an instance of a series. */
  | { kind: 'cancel-occurrence'; eventId: string; occurrenceStart: Date }
  /** [Never mind] / [Keep it] in /cancel. */
  | { kind: 'cancel-keep' }
  /** ‹ › under the /cancel list; the search words, if any, wait in the session. */
  | { kind: 'cancel-page'; page: number }
  /** ‹ › under /search results; the words wait in the session. */
  | { kind: 'search-page'; page: number }
  /** A /settings screen, or [Remove] under the email screen. */
  | { kind: 'settings'; item: SettingsItem }
  /** A default reminder in /settings (0: none). */
  | { kind: 'settings-reminder'; minutes: number }
  /** Morning digest on or off in /settings. */
  | { kind: 'settings-digest'; enabled: boolean }
  /** A morning digest time ('HH:MM') in /settings. */
  | { kind: 'settings-digest-time'; time: string }
  /** A language in /settings ('auto': follow Telegram's). */
  | { kind: 'settings-language'; language: LanguageChoice }
  /** A device password in /device revoke. */
  | { kind: 'device-revoke'; deviceId: string }
  /** [Never mind] in /device revoke. */
  | { kind: 'device-keep' }
  /** /deleteaccount's [Yes, delete] [No], and [Undo] while a deletion is pending. */
  | { kind: 'account'; choice: 'delete' | 'keep' | 'undo' }
  /** An event in the /edit list (edited in place); `occurrenceStart` is null for a single event. */
  | { kind: 'edit-pick'; eventId: string; occurrenceStart: Date | null }
  /** [Edit] under a reminder or an event card: the edit menu in a new message. */
  | { kind: 'edit-open'; eventId: string; occurrenceStart: Date | null }
  /** ‹ › under the /edit list; the search words, if any, wait in the session. */
  | { kind: 'edit-page'; page: number }
  /** [Edit] under an agenda page: pick one of that page's occurrences. */
  | { kind: 'edit-agenda'; view: AgendaView; page: number }
  /** A field in the edit menu; the event being edited waits in the session. */
  | { kind: 'edit-field'; field: EditField }
  /** [30 min] [1 h] [2 h] under the edit length question. */
  | { kind: 'edit-duration'; minutes: number }
  /** A reminder lead time (minutes, 0: none) under the edit reminders question. */
  | { kind: 'edit-reminder'; minutes: number }
  /** [Does not repeat] [Daily] … under the edit repeat question. */
  | { kind: 'edit-repeat'; repeat: RepeatChoice }
  /** [Remove the place] / [Remove the notes] under the edit question for it. */
  | { kind: 'edit-clear' }
  /** [Only this one] [This and following] [All] after a change to a repeating event. */
  | { kind: 'edit-scope'; scope: EditScope }
  /** [Done] in the edit menu. */
  | { kind: 'edit-done' }
  /** A calendar under the /create question "Which calendar?". */
  | { kind: 'create-calendar'; calendarId: string }
  /** [📅 Work ▾] under a quick-add preview: put the event in this calendar instead. */
  | { kind: 'quick-add-calendar'; calendarId: string }
  /** A calendar in /settings → Default calendar. */
  | { kind: 'settings-calendar'; calendarId: string }
  /** [✓] beside a task in /tasks, under a new task, or under a task reminder (worker): complete it. */
  | { kind: 'task-done'; taskId: string }
  /** [Undo] after a task was completed: open it again. */
  | { kind: 'task-reopen'; taskId: string }
  /** [Delete] under a task just made from plain text. */
  | { kind: 'task-delete'; taskId: string }
  /** ‹ › under the /tasks list. */
  | { kind: 'tasks-page'; page: number }
  /** A calendar in /share's "Which calendar?". */
  | { kind: 'share-calendar'; calendarId: string }
  /** [🔗 Invite link] under /share: a link for one person, to read or to write. */
  | { kind: 'share-invite'; calendarId: string; access: 'read' | 'write' }
  /** [Accept] [Decline] under an invitation to a calendar. */
  | { kind: 'share-answer'; shareId: string; answer: 'accept' | 'decline' }
  /** The owner's [✏️ Allow changes] [👀 Read only] [Stop sharing] under a share. */
  | { kind: 'share-manage'; shareId: string; action: 'write' | 'read' | 'revoke' }
  /** [➕ Add to my calendars] under a group calendar's card, in the group (the group is the chat). */
  | { kind: 'group-join' }
  /** An admin's [👀 Members: read only] / [✏️ Members: can change] under the card. */
  | { kind: 'group-access'; access: 'read' | 'write' }
  /** [👥 Invite] on /edit's event screen: invite people to this event. */
  | { kind: 'invite-event'; eventId: string }
  /** [✅ Accept] [🤔 Maybe] [Decline] under an invitation to an event. */
  | { kind: 'invitation-answer'; invitationId: string; answer: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED' };

export type CallbackKind = CallbackData['kind'];
export type CallbackOf<K extends CallbackKind> = Extract<CallbackData, { kind: K }>;

/** Telegram refuses callback_data longer than 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export const maxCallbackBytes = 64;

const uuid = '([0-9a-f-]{36})';
const seconds = '(\\d{1,12})';
/** IANA zone names are ASCII letters, digits, `_`, `-`, `+` and `/`; `tz:` leaves 61 bytes. */
const zoneName = '([A-Za-z0-9_+/-]{1,61})';

interface WireFormat<K extends CallbackKind> {
  pattern: RegExp;
  write(data: CallbackOf<K>): string;
  read(fields: string[]): CallbackOf<K>;
}

const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const fromSeconds = (text: string): Date => new Date(Number(text) * 1000);

/** One wire format per kind; the patterns are anchored and disjoint, so at most one matches. */
const wireFormats: { [K in CallbackKind]: WireFormat<K> } = {
  snooze: {
    pattern: new RegExp(`^snooze:${uuid}:${seconds}$`),
    write: (d) => `snooze:${d.eventId}:${toSeconds(d.occurrenceStart)}`,
    read: ([eventId = '', start = '']) => ({ kind: 'snooze', eventId, occurrenceStart: fromSeconds(start) }),
  },
  open: {
    pattern: new RegExp(`^open:${uuid}$`),
    write: (d) => `open:${d.eventId}`,
    read: ([eventId = '']) => ({ kind: 'open', eventId }),
  },
  agenda: {
    pattern: /^ag:(today|tomorrow|week|list):(\d{1,4})$/,
    write: (d) => `ag:${d.view}:${d.page}`,
    read: ([view, page]) => ({ kind: 'agenda', view: view as AgendaView, page: Number(page) }),
  },
  'time-zone': {
    pattern: new RegExp(`^tz:${zoneName}$`),
    write: (d) => `tz:${d.zone}`,
    read: ([zone = '']) => ({ kind: 'time-zone', zone }),
  },
  'create-skip': {
    pattern: /^cf:skip$/,
    write: () => 'cf:skip',
    read: () => ({ kind: 'create-skip' }),
  },
  'create-duration': {
    pattern: /^cf:dur:(\d{1,5})$/,
    write: (d) => `cf:dur:${d.minutes}`,
    read: ([minutes]) => ({ kind: 'create-duration', minutes: Number(minutes) }),
  },
  'create-repeat': {
    pattern: /^cf:rep:(none|daily|weekly|monthly|yearly)$/,
    write: (d) => `cf:rep:${d.repeat}`,
    read: ([repeat]) => ({ kind: 'create-repeat', repeat: repeat as RepeatChoice }),
  },
  'create-reminder': {
    pattern: /^cf:rem:(\d{1,5})$/,
    write: (d) => `cf:rem:${d.minutes}`,
    read: ([minutes]) => ({ kind: 'create-reminder', minutes: Number(minutes) }),
  },
  'quick-add': {
    pattern: /^qa:(save|edit|cancel)$/,
    write: (d) => `qa:${d.choice}`,
    read: ([choice]) => ({ kind: 'quick-add', choice: choice as 'save' | 'edit' | 'cancel' }),
  },
  'cancel-pick': {
    // 0 seconds marks a single event, as the first buttons written did.
    pattern: new RegExp(`^rm:${uuid}:${seconds}$`),
    write: (d) => `rm:${d.eventId}:${d.occurrenceStart ? toSeconds(d.occurrenceStart) : 0}`,
    read: ([eventId = '', start = '']) => ({
      kind: 'cancel-pick',
      eventId,
      occurrenceStart: Number(start) > 0 ? fromSeconds(start) : null,
    }),
  },
  'cancel-series': {
    pattern: new RegExp(`^rms:${uuid}$`),
    write: (d) => `rms:${d.eventId}`,
    read: ([eventId = '']) => ({ kind: 'cancel-series', eventId }),
  },
  'cancel-occurrence': {
    pattern: new RegExp(`^rmo:${uuid}:${seconds}$`),
    write: (d) => `rmo:${d.eventId}:${toSeconds(d.occurrenceStart)}`,
    read: ([eventId = '', start = '']) => ({
      kind: 'cancel-occurrence',
      eventId,
      occurrenceStart: fromSeconds(start),
    }),
  },
  'cancel-keep': {
    pattern: /^rm:keep$/,
    write: () => 'rm:keep',
    read: () => ({ kind: 'cancel-keep' }),
  },
  'cancel-page': {
    pattern: /^rm:pg:(\d{1,4})$/,
    write: (d) => `rm:pg:${d.page}`,
    read: ([page]) => ({ kind: 'cancel-page', page: Number(page) }),
  },
  'search-page': {
    pattern: /^sr:pg:(\d{1,4})$/,
    write: (d) => `sr:pg:${d.page}`,
    read: ([page]) => ({ kind: 'search-page', page: Number(page) }),
  },
  settings: {
    pattern: /^st:(menu|zone|reminder|digest|language|email|email-off|calendar)$/,
    write: (d) => `st:${d.item}`,
    read: ([item]) => ({ kind: 'settings', item: item as SettingsItem }),
  },
  'settings-reminder': {
    pattern: /^st:rem:(\d{1,5})$/,
    write: (d) => `st:rem:${d.minutes}`,
    read: ([minutes]) => ({ kind: 'settings-reminder', minutes: Number(minutes) }),
  },
  'settings-digest': {
    pattern: /^st:dg:(on|off)$/,
    write: (d) => `st:dg:${d.enabled ? 'on' : 'off'}`,
    read: ([state]) => ({ kind: 'settings-digest', enabled: state === 'on' }),
  },
  'settings-digest-time': {
    pattern: /^st:dt:((?:[01]\d|2[0-3]):[0-5]\d)$/,
    write: (d) => `st:dt:${d.time}`,
    read: ([time = '']) => ({ kind: 'settings-digest-time', time }),
  },
  'settings-language': {
    pattern: /^st:lg:(en|ru|auto)$/,
    write: (d) => `st:lg:${d.language}`,
    read: ([language]) => ({ kind: 'settings-language', language: language as LanguageChoice }),
  },
  'device-revoke': {
    pattern: new RegExp(`^dv:${uuid}$`),
    write: (d) => `dv:${d.deviceId}`,
    read: ([deviceId = '']) => ({ kind: 'device-revoke', deviceId }),
  },
  'device-keep': {
    pattern: /^dv:keep$/,
    write: () => 'dv:keep',
    read: () => ({ kind: 'device-keep' }),
  },
  account: {
    pattern: /^acct:(delete|keep|undo)$/,
    write: (d) => `acct:${d.choice}`,
    read: ([choice]) => ({ kind: 'account', choice: choice as 'delete' | 'keep' | 'undo' }),
  },
  // 0 seconds marks a single event (or "the next occurrence"), as in cancel-pick.
  'edit-pick': {
    pattern: new RegExp(`^ed:${uuid}:${seconds}$`),
    write: (d) => `ed:${d.eventId}:${d.occurrenceStart ? toSeconds(d.occurrenceStart) : 0}`,
    read: ([eventId = '', start = '']) => ({
      kind: 'edit-pick',
      eventId,
      occurrenceStart: Number(start) > 0 ? fromSeconds(start) : null,
    }),
  },
  'edit-open': {
    pattern: new RegExp(`^edo:${uuid}:${seconds}$`),
    write: (d) => `edo:${d.eventId}:${d.occurrenceStart ? toSeconds(d.occurrenceStart) : 0}`,
    read: ([eventId = '', start = '']) => ({
      kind: 'edit-open',
      eventId,
      occurrenceStart: Number(start) > 0 ? fromSeconds(start) : null,
    }),
  },
  'edit-page': {
    pattern: /^ed:pg:(\d{1,4})$/,
    write: (d) => `ed:pg:${d.page}`,
    read: ([page]) => ({ kind: 'edit-page', page: Number(page) }),
  },
  'edit-agenda': {
    pattern: /^ed:ag:(today|tomorrow|week|list):(\d{1,4})$/,
    write: (d) => `ed:ag:${d.view}:${d.page}`,
    read: ([view, page]) => ({ kind: 'edit-agenda', view: view as AgendaView, page: Number(page) }),
  },
  'edit-field': {
    pattern: /^ed:f:(menu|title|when|duration|location|description|reminders|repeat)$/,
    write: (d) => `ed:f:${d.field}`,
    read: ([field]) => ({ kind: 'edit-field', field: field as EditField }),
  },
  'edit-duration': {
    pattern: /^ed:dur:(\d{1,5})$/,
    write: (d) => `ed:dur:${d.minutes}`,
    read: ([minutes]) => ({ kind: 'edit-duration', minutes: Number(minutes) }),
  },
  'edit-reminder': {
    pattern: /^ed:rem:(\d{1,5})$/,
    write: (d) => `ed:rem:${d.minutes}`,
    read: ([minutes]) => ({ kind: 'edit-reminder', minutes: Number(minutes) }),
  },
  'edit-repeat': {
    pattern: /^ed:rep:(none|daily|weekly|monthly|yearly)$/,
    write: (d) => `ed:rep:${d.repeat}`,
    read: ([repeat]) => ({ kind: 'edit-repeat', repeat: repeat as RepeatChoice }),
  },
  'edit-clear': {
    pattern: /^ed:clear$/,
    write: () => 'ed:clear',
    read: () => ({ kind: 'edit-clear' }),
  },
  'edit-scope': {
    pattern: /^ed:sc:(this|following|all)$/,
    write: (d) => `ed:sc:${d.scope}`,
    read: ([scope]) => ({ kind: 'edit-scope', scope: scope as EditScope }),
  },
  'edit-done': {
    pattern: /^ed:done$/,
    write: () => 'ed:done',
    read: () => ({ kind: 'edit-done' }),
  },
  'create-calendar': {
    pattern: new RegExp(`^cf:cal:${uuid}$`),
    write: (d) => `cf:cal:${d.calendarId}`,
    read: ([calendarId = '']) => ({ kind: 'create-calendar', calendarId }),
  },
  'quick-add-calendar': {
    pattern: new RegExp(`^qa:cal:${uuid}$`),
    write: (d) => `qa:cal:${d.calendarId}`,
    read: ([calendarId = '']) => ({ kind: 'quick-add-calendar', calendarId }),
  },
  'settings-calendar': {
    pattern: new RegExp(`^st:cal:${uuid}$`),
    write: (d) => `st:cal:${d.calendarId}`,
    read: ([calendarId = '']) => ({ kind: 'settings-calendar', calendarId }),
  },
  'task-done': {
    pattern: new RegExp(`^td:${uuid}$`),
    write: (d) => `td:${d.taskId}`,
    read: ([taskId = '']) => ({ kind: 'task-done', taskId }),
  },
  'task-reopen': {
    pattern: new RegExp(`^tr:${uuid}$`),
    write: (d) => `tr:${d.taskId}`,
    read: ([taskId = '']) => ({ kind: 'task-reopen', taskId }),
  },
  'task-delete': {
    pattern: new RegExp(`^tx:${uuid}$`),
    write: (d) => `tx:${d.taskId}`,
    read: ([taskId = '']) => ({ kind: 'task-delete', taskId }),
  },
  'tasks-page': {
    pattern: /^tk:pg:(\d{1,4})$/,
    write: (d) => `tk:pg:${d.page}`,
    read: ([page]) => ({ kind: 'tasks-page', page: Number(page) }),
  },
  'share-calendar': {
    pattern: new RegExp(`^sh:c:${uuid}$`),
    write: (d) => `sh:c:${d.calendarId}`,
    read: ([calendarId = '']) => ({ kind: 'share-calendar', calendarId }),
  },
  'share-invite': {
    pattern: new RegExp(`^sh:i:${uuid}:(read|write)$`),
    write: (d) => `sh:i:${d.calendarId}:${d.access}`,
    read: ([calendarId = '', access]) => ({
      kind: 'share-invite',
      calendarId,
      access: access === 'write' ? 'write' : 'read',
    }),
  },
  'share-answer': {
    pattern: new RegExp(`^sh:a:${uuid}:(accept|decline)$`),
    write: (d) => `sh:a:${d.shareId}:${d.answer}`,
    read: ([shareId = '', answer]) => ({
      kind: 'share-answer',
      shareId,
      answer: answer === 'accept' ? 'accept' : 'decline',
    }),
  },
  'share-manage': {
    pattern: new RegExp(`^sh:m:${uuid}:(write|read|revoke)$`),
    write: (d) => `sh:m:${d.shareId}:${d.action}`,
    read: ([shareId = '', action]) => ({
      kind: 'share-manage',
      shareId,
      action: action === 'write' ? 'write' : action === 'read' ? 'read' : 'revoke',
    }),
  },
  'group-join': {
    pattern: /^gr:j$/,
    write: () => 'gr:j',
    read: () => ({ kind: 'group-join' }),
  },
  'group-access': {
    pattern: /^gr:a:(read|write)$/,
    write: (d) => `gr:a:${d.access}`,
    read: ([access]) => ({ kind: 'group-access', access: access === 'write' ? 'write' : 'read' }),
  },
  'invite-event': {
    pattern: new RegExp(`^ie:${uuid}$`),
    write: (d) => `ie:${d.eventId}`,
    read: ([eventId = '']) => ({ kind: 'invite-event', eventId }),
  },
  'invitation-answer': {
    pattern: new RegExp(`^iv:${uuid}:(a|t|d)$`),
    write: (d) =>
      `iv:${d.invitationId}:${d.answer === 'ACCEPTED' ? 'a' : d.answer === 'TENTATIVE' ? 't' : 'd'}`,
    read: ([invitationId = '', answer]) => ({
      kind: 'invitation-answer',
      invitationId,
      answer: answer === 'a' ? 'ACCEPTED' : answer === 't' ? 'TENTATIVE' : 'DECLINED',
    }),
  },
};

const allFormats = Object.values(wireFormats) as WireFormat<CallbackKind>[];

/** The button's data; throws when it would not decode back or exceeds Telegram's 64 bytes. */
export function encodeCallback(data: CallbackData): string {
  const text = (wireFormats[data.kind] as WireFormat<CallbackKind>).write(data);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxCallbackBytes) {
    throw new RangeError(`callback data is ${bytes} bytes, Telegram allows ${maxCallbackBytes}: ${text}`);
  }
  if (decodeCallback(text)?.kind !== data.kind) {
    throw new RangeError(`callback data would not decode: ${text}`);
  }
  return text;
}

/** The typed value of a button's data, or null for anything this codec did not write. */
export function decodeCallback(text: string): CallbackData | null {
  for (const format of allFormats) {
    const match = format.pattern.exec(text);
    if (match) return format.read(match.slice(1));
  }
  return null;
}
