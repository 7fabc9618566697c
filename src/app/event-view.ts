import { readEventFields } from '../domain/ical/read-event-fields.ts';
import type { CalendarObjectRow } from '../storage/schema.ts';
import { type CalendarObjectView, toCalendarObjectView } from './caldav-views.ts';

/** A stored event as the REST API and the bot show it. */
export interface EventView {
  id: string;
  calendarId: string;
  uid: string;
  href: string;
  etag: string;
  componentType: string;
  summary: string | null;
  start: Date | null;
  end: Date | null;
  allDay: boolean;
  timeZone: string | null;
  description: string | null;
  location: string | null;
  rrule: string | null;
  reminders: number[];
  status: string | null;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export function toEventView(row: CalendarObjectRow): EventView {
  const fields = readEventFields(row.ical);
  return {
    id: row.id,
    calendarId: row.calendar_id,
    uid: row.uid,
    href: row.href_name,
    etag: row.etag,
    componentType: row.component_type,
    summary: row.summary,
    start: row.start_at,
    end: row.end_at,
    allDay: row.all_day,
    timeZone: row.time_zone,
    description: fields.description,
    location: fields.location,
    rrule: row.rrule,
    reminders: fields.reminders,
    status: row.status,
    sequence: row.sequence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A stored calendar object as CalendarService hands it out: the CalDAV view and its index fields. */
export interface StoredObjectView extends CalendarObjectView {
  calendarId: string;
  uid: string;
  summary: string | null;
  rrule: string | null;
  sequence: number;
}

export function toStoredObjectView(row: CalendarObjectRow): StoredObjectView {
  return {
    ...toCalendarObjectView(row),
    calendarId: row.calendar_id,
    uid: row.uid,
    summary: row.summary,
    rrule: row.rrule,
    sequence: row.sequence,
  };
}
