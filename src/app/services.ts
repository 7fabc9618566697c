import type { Db } from '../storage/db-types.ts';
import { AccountService } from './account-service.ts';
import { LoginService } from './auth/login-link.ts';
import { CacheInvalidation } from './cache-invalidation.ts';
import { CaldavService } from './caldav-service.ts';
import { CalendarChangeFeed } from './calendar-change-feed.ts';
import { CalendarCollectionService } from './calendar-collections.ts';
import { CalendarFeedService } from './calendar-feeds.ts';
import { CalendarMemberIndex } from './calendar-member-index.ts';
import { CalendarService } from './calendar-service.ts';
import { CalendarSharingService } from './calendar-sharing.ts';
import { CalendarSubscriptionService } from './calendar-subscriptions.ts';
import { UserWorkLimiter } from './cooperative-work.ts';
import { DataRetentionService } from './data-retention.ts';
import { DeviceService } from './device-service.ts';
import { DigestPlanner } from './digest-planning.ts';
import { EventSearch } from './event-search.ts';
import { GroupCalendarService } from './group-calendars.ts';
import { InvitationService } from './invitations.ts';
import { JobQueue } from './job-queue.ts';
import { ObjectReader } from './object-read-cache.ts';
import { OccurrenceCache, processOccurrenceCache } from './occurrence-cache.ts';
import { OperatorStats } from './operator-stats.ts';
import { PreferenceService } from './preference-service.ts';
import { ReachabilityService } from './reachability-service.ts';
import { ReminderPlanner } from './reminder-planning.ts';
import { ReminderService } from './reminder-service.ts';
import { TaskService } from './task-service.ts';

/** The application layer every door talks to. */
export interface AppServices {
  accounts: AccountService;
  calendars: CalendarService;
  /** Secret read-only .ics feed URLs of calendars (GET /feeds/<secret>.ics). */
  calendarFeeds: CalendarFeedService;
  devices: DeviceService;
  /** Tasks (VTODO objects) for the REST API; written through `calendars`. */
  tasks: TaskService;
  /** Events by words in title, place or notes (the bot's /search). */
  eventSearch: EventSearch;
  preferences: PreferenceService;
  logins: LoginService;
  /** CalDAV-only reads and collection properties (docs/architecture.md#what-each-folder-owns). */
  caldav: CaldavService;
  /** Creating and deleting calendars (MKCALENDAR, DELETE of a collection). */
  calendarCollections: CalendarCollectionService;
  /** Calendars shared between users: offers, invite links, answers, access changes (issue 14). */
  sharing: CalendarSharingService;
  /** Telegram groups' calendars (issue 14 item 2). */
  groups: GroupCalendarService;
  /** Invitations with RSVP: implicit scheduling of events with attendees (issue 14 item 3). */
  invitations: InvitationService;
  /** Calendars that follow an external ICS feed (read-only; fetched by the worker). */
  calendarSubscriptions: CalendarSubscriptionService;
  /** GET/HEAD of one calendar object, from memory while `changes` is live. */
  objectReader: ObjectReader;
  reminders: ReminderService;
  /** Invalidates in-memory caches; main.ts connects it to the database's change notifications. */
  changes: CacheInvalidation;
  /** Tells open change streams (GET /api/changes) that a user's calendar changed; fed by `changes`. */
  changeFeed: CalendarChangeFeed;
  /** Bounds how many costly requests (reports, listings, imports) one user runs at once. */
  work: UserWorkLimiter;
  /** Occurrence timelines of recurring events, shared by listings and CalDAV reports. */
  occurrences: OccurrenceCache;
  /** Whether the bot can still write to a user; set by the bot and the worker, read by the planners. */
  reachability: ReachabilityService;
  /** The worker's side of the outbox: claim, complete, retry, fail, release. */
  jobQueue: JobQueue;
  reminderPlanning: ReminderPlanner;
  digestPlanning: DigestPlanner;
  /** Account erasure when due, and purging what is past its retention. */
  retention: DataRetentionService;
  /** Read-only counts for the operator's CLI (`televent user list`, `televent stats`). */
  operator: OperatorStats;
}

export function createServices(db: Db, options: { now?: () => Date } = {}): AppServices {
  const changes = new CacheInvalidation();
  const work = new UserWorkLimiter();
  const occurrences = new OccurrenceCache(processOccurrenceCache);
  const deps = { db, ...(options.now ? { now: options.now } : {}) };
  const calendars = new CalendarService({ ...deps, changes, work, occurrences });
  const calendarCollections = new CalendarCollectionService({ db, changes });
  const preferences = new PreferenceService({ db });
  return {
    accounts: new AccountService(deps),
    calendars,
    calendarFeeds: new CalendarFeedService({ db, work }),
    reminders: new ReminderService({ ...deps, calendars }),
    devices: new DeviceService({ db, changes }),
    tasks: new TaskService({ ...deps, calendars }),
    eventSearch: new EventSearch({ db }),
    preferences,
    logins: new LoginService(deps),
    caldav: new CaldavService({ db, members: new CalendarMemberIndex({ db, changes }) }),
    calendarCollections,
    sharing: new CalendarSharingService({ db, changes }),
    groups: new GroupCalendarService({ ...deps, changes }),
    invitations: new InvitationService({ ...deps, preferences, calendars, changes }),
    calendarSubscriptions: new CalendarSubscriptionService({
      ...deps,
      collections: calendarCollections,
      changes,
    }),
    objectReader: new ObjectReader({ db, changes }),
    changes,
    changeFeed: new CalendarChangeFeed({ db, changes }),
    work,
    occurrences,
    reachability: new ReachabilityService(deps),
    jobQueue: new JobQueue({ db }),
    reminderPlanning: new ReminderPlanner({ db }),
    digestPlanning: new DigestPlanner({ db }),
    retention: new DataRetentionService({ db }),
    operator: new OperatorStats(deps),
  };
}
