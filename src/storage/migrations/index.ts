import type { Migration, MigrationProvider } from 'kysely';
import * as createCoreSchema from './2026-11-25T06-00_create-core-schema.ts';
import * as notifyOutboxInsert from './2026-11-25T07-10_notify-outbox-insert.ts';
import * as createBotSessions from './2026-11-25T07-30_create-bot-sessions.ts';
import * as notifyCacheInvalidation from './2026-11-25T09-00_notify-cache-invalidation.ts';
import * as addPreferenceEmail from './2026-11-25T09-20_add-preference-email.ts';
import * as addBotSettings from './2026-12-02T06-00_add-bot-settings.ts';
import * as allowSeveralCalendars from './2026-12-02T07-00_allow-several-calendars.ts';
import * as addCalendarFeeds from './2026-12-02T07-10_add-calendar-feeds.ts';
import * as addDefaultCalendar from './2026-12-02T09-30_add-default-calendar.ts';
import * as addCalendarSubscriptions from './2026-12-02T09-40_add-calendar-subscriptions.ts';
import * as notifyCalendarList from './2026-12-02T11-00_notify-calendar-list.ts';
import * as addCalendarShares from './2026-12-02T15-00_add-calendar-shares.ts';
import * as addGroupCalendars from './2026-12-02T21-00_add-group-calendars.ts';
import * as addEventInvitations from './2026-12-02T22-00_add-event-invitations.ts';
import * as auditSkipsRevisionBumps from './2026-12-03T17-00_audit-skips-revision-bumps.ts';

// A static map (like graphile-worker's generated sql.ts): no folder scanning at run time.
const migrations: Record<string, Migration> = {
  '2026-11-25T06-00_create-core-schema': createCoreSchema,
  '2026-11-25T07-10_notify-outbox-insert': notifyOutboxInsert,
  '2026-11-25T07-30_create-bot-sessions': createBotSessions,
  '2026-11-25T09-00_notify-cache-invalidation': notifyCacheInvalidation,
  '2026-11-25T09-20_add-preference-email': addPreferenceEmail,
  '2026-12-02T06-00_add-bot-settings': addBotSettings,
  '2026-12-02T07-00_allow-several-calendars': allowSeveralCalendars,
  '2026-12-02T07-10_add-calendar-feeds': addCalendarFeeds,
  '2026-12-02T09-30_add-default-calendar': addDefaultCalendar,
  '2026-12-02T09-40_add-calendar-subscriptions': addCalendarSubscriptions,
  '2026-12-02T11-00_notify-calendar-list': notifyCalendarList,
  '2026-12-02T15-00_add-calendar-shares': addCalendarShares,
  '2026-12-02T21-00_add-group-calendars': addGroupCalendars,
  '2026-12-02T22-00_add-event-invitations': addEventInvitations,
  '2026-12-03T17-00_audit-skips-revision-bumps': auditSkipsRevisionBumps,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
