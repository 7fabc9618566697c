import type { Context, SessionFlavor } from 'grammy';
import type { UserView } from '../app/account-service.ts';
import type { BotReachability } from '../app/bot-support.ts';
import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../observability/logger.ts';

/** An event being put together (quick add or /create); times as ISO strings so it stores as JSON. */
export interface DraftEvent {
  title?: string;
  start?: string;
  end?: string;
  allDay?: boolean;
  description?: string | null;
  location?: string | null;
}

export type CreateStep = 'title' | 'when' | 'duration' | 'description' | 'location';

/** Per-user conversation state, stored in PostgreSQL (bot_sessions) so it survives restarts. */
export interface SessionData {
  /** Waiting for a typed time zone after /start or /timezone. */
  awaitingTimeZone?: boolean;
  createFlow?: { step: CreateStep; draft: DraftEvent };
  quickAdd?: DraftEvent;
}

/** What every handler can reach: the app services and the process's settings. */
export interface BotDeps {
  services: AppServices;
  config: Config;
  logger: Logger;
  /** The URL people reach the server at (CalDAV server address, login links); see public-url.ts. */
  publicBaseUrl: string;
  reachability?: BotReachability | undefined;
  now: () => Date;
}

export interface BotFlavor {
  deps: BotDeps;
  /** The Televent user behind this update (created on first contact); absent for updates without a sender. */
  user?: UserView;
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
