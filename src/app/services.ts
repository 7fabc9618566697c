import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { AccountService } from './account-service.ts';
import { LoginService } from './auth/login-link.ts';
import { CaldavService } from './caldav-service.ts';
import { CalendarService } from './calendar-service.ts';
import { DeviceService } from './device-service.ts';
import { PreferenceService } from './preference-service.ts';
import { ReminderService } from './reminder-service.ts';

/** The application layer every door talks to. */
export interface AppServices {
  accounts: AccountService;
  calendars: CalendarService;
  devices: DeviceService;
  preferences: PreferenceService;
  logins: LoginService;
  /** CalDAV-only reads and collection properties (issue 3). */
  caldav: CaldavService;
  reminders: ReminderService;
}

export function createServices(db: Kysely<Database>, options: { now?: () => Date } = {}): AppServices {
  const deps = { db, ...(options.now ? { now: options.now } : {}) };
  const calendars = new CalendarService(deps);
  return {
    accounts: new AccountService(deps),
    calendars,
    reminders: new ReminderService({ ...deps, calendars }),
    devices: new DeviceService({ db }),
    preferences: new PreferenceService({ db }),
    logins: new LoginService(deps),
    caldav: new CaldavService({ db }),
  };
}
