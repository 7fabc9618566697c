/**
 * The data behind inline buttons, one typed codec for every writer (the bot's keyboards, the
 * worker's reminders) and the one reader (the bot's callback handlers). The wire format stays the
 * short `prefix:field:field` text older messages in chats already carry.
 */

export type AgendaView = 'today' | 'tomorrow' | 'week' | 'list';

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
  /** A device password in /device revoke. */
  | { kind: 'device-revoke'; deviceId: string }
  /** [Never mind] in /device revoke. */
  | { kind: 'device-keep' }
  /** /deleteaccount's [Yes, delete] [No], and [Undo] while a deletion is pending. */
  | { kind: 'account'; choice: 'delete' | 'keep' | 'undo' };

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
