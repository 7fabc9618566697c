import type { Context, SessionFlavor } from 'grammy';
import type { UserView } from '../app/account-service.ts';
import type { BotReachability } from '../app/bot-support.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { RepeatRule } from '../domain/recurrence/repeat-phrase.ts';
import type { Logger } from '../observability/logger.ts';
import type { EditField } from '../telegram/callback-data.ts';
import { type Language, languageFor, type Translate, translator } from '../telegram/i18n.ts';

/** An event being put together (quick add or /create); times as ISO strings so it stores as JSON. */
export interface DraftEvent {
  title?: string;
  start?: string;
  end?: string;
  allDay?: boolean;
  description?: string | null;
  location?: string | null;
  /** How it repeats (from plain words or the repeat buttons); absent: once. */
  repeat?: RepeatRule | null;
  /** Reminder lead times in minutes; absent: the user's default. */
  reminders?: number[];
  /** The calendar it goes into; absent: the user's default calendar. */
  calendarId?: string;
}

/** A change /edit holds while it asks this one / following / all; times as ISO strings. */
export interface PendingEdit {
  summary?: string;
  start?: string;
  end?: string;
  allDay?: boolean;
  timeZone?: string;
  location?: string | null;
  description?: string | null;
  reminders?: number[];
  rrule?: string | null;
}

/** The event /edit is changing: short-lived, so the buttons carry only the field or the scope. */
export interface EditFlow {
  eventId: string;
  /** The occurrence's RECURRENCE-ID (ISO) for a repeating event; null for a single event. */
  occurrence: string | null;
  /** The field whose new value is awaited; absent at the menu. */
  field?: Exclude<EditField, 'menu'>;
  pending?: PendingEdit;
}

export type CreateStep =
  | 'title'
  | 'when'
  | 'duration'
  | 'repeat'
  | 'reminders'
  | 'description'
  | 'location'
  | 'calendar';

/** Per-user conversation state, stored in PostgreSQL (bot_sessions) so it survives restarts. */
export interface SessionData {
  /** Waiting for a typed time zone after /start or /timezone. */
  awaitingTimeZone?: boolean;
  createFlow?: { step: CreateStep; draft: DraftEvent };
  quickAdd?: DraftEvent;
  /** The words of the last /search or /cancel search, for its ‹ › buttons. */
  search?: string;
  cancelSearch?: string;
  /** Waiting for a typed email address after /settings → Email. */
  awaitingEmail?: boolean;
  editFlow?: EditFlow;
  /** The words of the last /edit search, for its ‹ › buttons. */
  editSearch?: string;
  /** The /tasks message and its page, refreshed in place when one of its tasks is ticked. */
  tasksList?: { messageId: number; page: number };
  /** /share's calendar, waiting for a contact or an @username to share it with. */
  shareCalendarId?: string | undefined;
  /** The event [👥 Invite] was pressed for, waiting for a contact, an @username or an e-mail address. */
  inviteEventId?: string | undefined;
}

/** What every handler can reach: the app services and the process's settings. */
export interface BotDeps {
  services: AppServices;
  config: Config;
  logger: Logger;
  /** The URL people reach the server at (CalDAV server address, login links); see public-url.ts. */
  publicBaseUrl: string;
  /** The Mini App's https address for Web App buttons, or null (telegram/mini-app.ts). */
  miniAppUrl: string | null;
  reachability?: BotReachability | undefined;
  now: () => Date;
}

export interface BotFlavor {
  deps: BotDeps;
  /** The Televent user behind this update (created on first contact); absent for updates without a sender. */
  user?: UserView;
  /** The language this update is answered in (the user's /settings choice, else Telegram's). */
  language: Language;
  /** The message catalogue in `language`. */
  t: Translate;
}

export type BotContext = Context & SessionFlavor<SessionData> & BotFlavor;

/** The user's zone for reading and showing times; UTC until they choose one. */
export function zoneOf(ctx: BotContext): string {
  return ctx.user?.timeZone ?? 'UTC';
}

export function userIdOf(ctx: BotContext): number {
  const id = ctx.user?.telegramId ?? ctx.from?.id;
  if (id === undefined) throw new Error('update without a sender reached a user handler');
  return id;
}

/** listOccurrences options for this update: the user is already loaded, so their zone needs no second read. */
export function listingOptionsOf(ctx: BotContext): { userTimeZone?: string | null } {
  return ctx.user ? { userTimeZone: ctx.user.timeZone } : {};
}

/** Sets the update's language and its catalogue (see languageFor). */
export function speak(
  ctx: BotContext,
  chosen: string | null | undefined,
  telegramCode: string | null | undefined,
): void {
  ctx.language = languageFor(chosen, telegramCode);
  ctx.t = translator(ctx.language);
}
