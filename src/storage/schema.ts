import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Row types of every table, as both engines return them (see database.ts for the type parsers).

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  telegram_id: number;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  time_zone: string | null;
  locale: string | null;
  /** 'en' or 'ru' as chosen in the bot's /settings; null follows `locale` (Telegram's language_code). */
  language: Defaulted<string | null>;
  bot_blocked_at: Date | null;
  deletion_requested_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PreferencesTable {
  user_id: number;
  default_reminder_minutes: Defaulted<number>;
  /** False: events without a VALARM of their own get no reminder ("None" in /settings). */
  default_reminder_enabled: Defaulted<boolean>;
  digest_enabled: Defaulted<boolean>;
  /** 'HH:MM:SS' local time of the morning digest. */
  digest_time: Defaulted<string>;
  /** Optional, set by the user (/email); the export and deletion notices are mailed here. */
  email: Defaulted<string | null>;
  /** The calendar the bot puts new events in; null: the first (oldest) calendar. */
  default_calendar_id: Defaulted<string | null>;
  updated_at: UpdatedAt;
}

export interface CalendarsTable {
  id: Generated<string>;
  owner_id: number;
  slug: string;
  name: string;
  color: string | null;
  description: string | null;
  calendar_order: number | null;
  time_zone: string | null;
  /** RFC 4791 §5.2.3: the components this calendar accepts (VEVENT, VTODO, VJOURNAL). */
  supported_components: Defaulted<string[]>;
  sync_revision: Defaulted<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CalendarObjectsTable {
  id: Generated<string>;
  calendar_id: string;
  owner_id: number;
  href_name: string;
  uid: string;
  /** The iCalendar text exactly as stored: the truth; every column below is derived from it. */
  ical: string;
  etag: string;
  component_type: string;
  summary: string | null;
  start_at: Date | null;
  end_at: Date | null;
  all_day: boolean;
  time_zone: string | null;
  rrule: string | null;
  series_first_start: Date | null;
  /** Null when the series never ends. */
  series_last_end: Date | null;
  status: string | null;
  sequence: number;
  revision: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ChangeOperation = 'created' | 'modified' | 'deleted';

export interface CalendarChangesTable {
  calendar_id: string;
  revision: number;
  href_name: string;
  operation: ChangeOperation;
  changed_at: CreatedAt;
}

export interface DevicePasswordsTable {
  id: Generated<string>;
  user_id: number;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  updated_at: UpdatedAt;
}

export type OutboxStatus = 'pending' | 'processing' | 'done' | 'failed' | 'cancelled';

export interface OutboxMessagesTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  dedupe_key: string | null;
  status: Defaulted<OutboxStatus>;
  attempts: Defaulted<number>;
  max_attempts: Defaulted<number>;
  run_at: Defaulted<Date>;
  locked_at: Date | null;
  locked_by: string | null;
  last_error: string | null;
  user_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  table_name: string;
  operation: string;
  row_key: string;
  user_id: number | null;
  changed_columns: string[];
  changed_at: CreatedAt;
}

export interface LoginTokensTable {
  token_hash: string;
  user_id: number;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface WebSessionsTable {
  token_hash: string;
  user_id: number;
  expires_at: Date;
  created_at: CreatedAt;
}

/** A calendar's secret read-only feed URL: only the SHA-256 of the secret is stored. */
export interface CalendarFeedsTable {
  calendar_id: string;
  token_hash: string;
  /** When the current secret was made: a rotation sets it again. */
  created_at: ColumnType<Date, never, Date>;
}

/** A calendar that follows an external ICS feed; the calendar is read-only while this row exists. */
/** A calendar shared with one user, or offered by an invite link until claimed (issue 14). */
export interface CalendarSharesTable {
  id: Generated<string>;
  calendar_id: string;
  owner_id: number;
  /** Null while an invite link is unclaimed. */
  sharee_id: number | null;
  access: 'read' | 'write';
  status: Defaulted<'pending' | 'accepted'>;
  /** The calendar's last path segment in the sharee's calendar home. */
  slug: string;
  /** SHA-256 (hex) of an invite link's secret; null for a share offered to a named user. */
  invite_token_hash: string | null;
  accepted_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A Telegram group with a calendar (issue 14 item 2); the group is the `users` row `user_id` (negative). */
export interface TelegramGroupsTable {
  user_id: number;
  /** The chat it lives in now: Telegram gives a group a new id when it becomes a supergroup. */
  chat_id: number;
  calendar_id: string;
  /** What members who are not the group's admins may do with its calendar. */
  member_access: Defaulted<'read' | 'write'>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A change to a group calendar not yet told to the group (the worker's 'group.announce'). */
export interface GroupAnnouncementsTable {
  id: Generated<number>;
  group_id: number;
  href_name: string;
  operation: ChangeOperation;
  /** Who made the change; null when nobody in particular did. */
  actor_id: number | null;
  summary: string | null;
  start_at: Date | null;
  all_day: Defaulted<boolean>;
  created_at: CreatedAt;
}

/** One attendee of an event organised by its calendar's owner (issue 14 item 3). */
export interface EventInvitationsTable {
  id: Generated<string>;
  organizer_id: number;
  calendar_id: string;
  uid: string;
  /** ORGANIZER as the event names it, and its SEQUENCE when last told (for a cancellation after it is gone). */
  organizer_address: string;
  sequence: Defaulted<number>;
  /** The cal-address as the event names it (mailto: lower-cased). */
  attendee_address: string;
  /** The Televent user behind the address; null for someone reached by e-mail only. */
  attendee_id: number | null;
  attendee_name: string | null;
  partstat: Defaulted<string>;
  summary: string | null;
  start_at: Date | null;
  all_day: Defaulted<boolean>;
  /** What the attendee was last told (scheduling.ts `fingerprint`). */
  fingerprint: string;
  /** The attendee's own copy, once they accepted or said maybe. */
  copy_calendar_id: string | null;
  copy_href: string | null;
  cancelled_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CalendarSubscriptionsTable {
  calendar_id: string;
  url: string;
  /** The feed's validators, sent back as If-None-Match / If-Modified-Since. */
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  next_fetch_at: Defaulted<Date>;
  /** Failed fetches in a row: the backoff exponent; 0 after a success. */
  failure_count: Defaulted<number>;
  /** The feed's REFRESH-INTERVAL / X-PUBLISHED-TTL clamped to [1 h, 1 day]; null: every 6 h. */
  refresh_interval_seconds: number | null;
  /** 'reason: sentence' of the last failure; null after a success. */
  last_error: string | null;
  /** True while the calendar's name should follow the feed's X-WR-CALNAME. */
  name_from_feed: Defaulted<boolean>;
  /** The last refresh a person asked for (POST /api/calendars/:id/refresh; one a minute). */
  refresh_requested_at: Date | null;
  created_at: CreatedAt;
}

/** The Telegram bot's conversation state per user (key = Telegram user id). */
export interface BotSessionsTable {
  key: string;
  value: ColumnType<unknown, unknown, unknown>;
  updated_at: ColumnType<Date, never, Date>;
}

export interface Database {
  users: UsersTable;
  preferences: PreferencesTable;
  calendars: CalendarsTable;
  calendar_objects: CalendarObjectsTable;
  calendar_changes: CalendarChangesTable;
  device_passwords: DevicePasswordsTable;
  outbox_messages: OutboxMessagesTable;
  audit_log: AuditLogTable;
  login_tokens: LoginTokensTable;
  web_sessions: WebSessionsTable;
  bot_sessions: BotSessionsTable;
  calendar_feeds: CalendarFeedsTable;
  calendar_subscriptions: CalendarSubscriptionsTable;
  calendar_shares: CalendarSharesTable;
  telegram_groups: TelegramGroupsTable;
  group_announcements: GroupAnnouncementsTable;
  event_invitations: EventInvitationsTable;
}

export type UserRow = Selectable<UsersTable>;
export type PreferencesRow = Selectable<PreferencesTable>;
export type CalendarRow = Selectable<CalendarsTable>;
export type CalendarSubscriptionRow = Selectable<CalendarSubscriptionsTable>;
export type CalendarShareRow = Selectable<CalendarSharesTable>;
export type TelegramGroupRow = Selectable<TelegramGroupsTable>;
export type GroupAnnouncementRow = Selectable<GroupAnnouncementsTable>;
export type EventInvitationRow = Selectable<EventInvitationsTable>;
export type CalendarObjectRow = Selectable<CalendarObjectsTable>;
export type NewCalendarObject = Insertable<CalendarObjectsTable>;
export type CalendarObjectUpdate = Updateable<CalendarObjectsTable>;
export type DevicePasswordRow = Selectable<DevicePasswordsTable>;
export type OutboxMessageRow = Selectable<OutboxMessagesTable>;
