/**
 * The data behind inline buttons, one typed codec for every writer (the bot's agenda, the worker's
 * reminders) and the one reader (the bot's callback handlers). The wire format stays the short
 * `kind:field:field` text older messages in chats already carry.
 */

export type AgendaView = 'today' | 'tomorrow' | 'week' | 'list';

export type CallbackData =
  /** [Snooze 10 min] under a reminder: the occurrence is named by its start, in whole seconds. */
  | { kind: 'snooze'; eventId: string; occurrenceStart: Date }
  /** [Open] under a reminder. */
  | { kind: 'open'; eventId: string }
  /** ‹ Earlier / Later › under an agenda page. */
  | { kind: 'agenda'; view: AgendaView; page: number };

export type CallbackKind = CallbackData['kind'];
export type CallbackOf<K extends CallbackKind> = Extract<CallbackData, { kind: K }>;

/** Telegram refuses callback_data longer than 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
export const maxCallbackBytes = 64;

const uuid = '[0-9a-f-]{36}';
const snoozePattern = new RegExp(`^snooze:(${uuid}):(\\d{1,12})$`);
const openPattern = new RegExp(`^open:(${uuid})$`);
const agendaPattern = /^ag:(today|tomorrow|week|list):(\d{1,4})$/;

/** The button's data; throws when it would not decode back or exceeds Telegram's 64 bytes. */
export function encodeCallback(data: CallbackData): string {
  const text = wireText(data);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxCallbackBytes) {
    throw new RangeError(`callback data is ${bytes} bytes, Telegram allows ${maxCallbackBytes}: ${text}`);
  }
  if (decodeCallback(text) === null) throw new RangeError(`callback data would not decode: ${text}`);
  return text;
}

function wireText(data: CallbackData): string {
  switch (data.kind) {
    case 'snooze':
      return `snooze:${data.eventId}:${Math.floor(data.occurrenceStart.getTime() / 1000)}`;
    case 'open':
      return `open:${data.eventId}`;
    case 'agenda':
      return `ag:${data.view}:${data.page}`;
  }
}

/** The typed value of a button's data, or null for anything this codec did not write. */
export function decodeCallback(text: string): CallbackData | null {
  const snooze = snoozePattern.exec(text);
  if (snooze?.[1] && snooze[2]) {
    return { kind: 'snooze', eventId: snooze[1], occurrenceStart: new Date(Number(snooze[2]) * 1000) };
  }
  const open = openPattern.exec(text);
  if (open?.[1]) return { kind: 'open', eventId: open[1] };
  const agenda = agendaPattern.exec(text);
  if (agenda?.[1] && agenda[2]) {
    return { kind: 'agenda', view: agenda[1] as AgendaView, page: Number(agenda[2]) };
  }
  return null;
}
