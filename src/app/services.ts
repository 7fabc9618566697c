import type { Db } from '../storage/db-types.ts';
import { AccountService } from './account-service.ts';
import { LoginService } from './auth/login-link.ts';
import { CacheInvalidation } from './cache-invalidation.ts';
import { CaldavService } from './caldav-service.ts';
import { CalendarService } from './calendar-service.ts';
import { UserWorkLimiter } from './cooperative-work.ts';
import { DeviceService } from './device-service.ts';
import { ObjectReader } from './object-read-cache.ts';
import { OccurrenceCache, processOccurrenceCache } from './occurrence-cache.ts';
import { PreferenceService } from './preference-service.ts';
import { ReminderService } from './reminder-service.ts';

/** The application layer every door talks to. */
export interface AppServices {
  accounts: AccountService;
  calendars: CalendarService;
  devices: DeviceService;
  preferences: PreferenceService;
  logins: LoginService;
  /** CalDAV-only reads and collection properties (docs/architecture.md#what-each-folder-owns). */
  caldav: CaldavService;
  /** GET/HEAD of one calendar object, from memory while `changes` is live. */
  objectReader: ObjectReader;
  reminders: ReminderService;
  /** Invalidates in-memory caches; main.ts connects it to the database's change notifications. */
  changes: CacheInvalidation;
  /** Bounds how many costly requests (reports, listings, imports) one user runs at once. */
  work: UserWorkLimiter;
  /** Occurrence timelines of recurring events, shared by listings and CalDAV reports. */
  occurrences: OccurrenceCache;
}

export function createServices(db: Db, options: { now?: () => Date } = {}): AppServices {
  const changes = new CacheInvalidation();
  const work = new UserWorkLimiter();
  const occurrences = new OccurrenceCache(processOccurrenceCache);
  const deps = { db, ...(options.now ? { now: options.now } : {}) };
  const calendars = new CalendarService({ ...deps, changes, work, occurrences });
  return {
    accounts: new AccountService(deps),
    calendars,
    reminders: new ReminderService({ ...deps, calendars }),
    devices: new DeviceService({ db, changes }),
    preferences: new PreferenceService({ db }),
    logins: new LoginService(deps),
    caldav: new CaldavService({ db }),
    objectReader: new ObjectReader({ db, changes }),
    changes,
    work,
    occurrences,
  };
}
