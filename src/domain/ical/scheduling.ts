import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { InvalidCalendarData } from '../errors.ts';
import { prodId, serializeCalendar } from './build-event.ts';
import { setUtcStamp } from './date-property.ts';
import { guardCalendarInput } from './guard-calendar-input.ts';
import { readVCalendar } from './read-vcalendar.ts';

// iCalendar scheduling (RFC 5545 §3.8.4.1 ORGANIZER, §3.8.4.3 ATTENDEE; RFC 5546 iTIP; RFC 6638
// SCHEDULE-AGENT): what an event says about who organises it and who is invited, and the few
// changes the server makes to it on someone's behalf. The stored text stays the truth: these read
// it and rewrite only what they must, every other property and parameter kept.

/** An attendee's answer (RFC 5545 §3.2.12), as Televent's buttons give it. */
export type Answer = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';
export const answers: readonly Answer[] = ['ACCEPTED', 'TENTATIVE', 'DECLINED'];

export interface CalendarUser {
  /** The cal-address as compared: `mailto:` addresses lower-cased, others trimmed. */
  address: string;
  /** CN, the name the address goes by. */
  name: string | null;
}

export interface EventAttendee extends CalendarUser {
  /** PARTSTAT; NEEDS-ACTION when absent (RFC 5545 §3.2.12). */
  partstat: string;
  /** SCHEDULE-AGENT (RFC 6638 §7.1): only SERVER (the default) is the server's to invite. */
  scheduleAgent: string;
}

export interface SchedulingFacts {
  organizer: CalendarUser | null;
  /** Each address once, in the order the event names them (the master's first). */
  attendees: EventAttendee[];
  /** STATUS:CANCELLED on the event itself (the master, or the only component). */
  cancelled: boolean;
  sequence: number;
  summary: string | null;
  /** Changes when what an attendee was told changes (times, repeats, title, place, status), not with answers. */
  fingerprint: string;
}

/** Most attendees one event invites (README "Limits"): each costs a message and a lookup. */
export const maxInvitedAttendees = 50;

/** `mailto:` compared without case (RFC 6638 §2.4.1 leaves the comparison to the server); others as written. */
export function normalizeAddress(value: string): string {
  const trimmed = value.trim();
  return /^mailto:/i.test(trimmed) ? `mailto:${trimmed.slice(7).trim().toLowerCase()}` : trimmed;
}

/** The e-mail address of a `mailto:` cal-address, or null for any other kind. */
export function emailOf(address: string): string | null {
  const normalized = normalizeAddress(address);
  if (!normalized.startsWith('mailto:')) return null;
  const email = normalized.slice(7);
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email) ? email : null;
}

function items(root: ICAL.Component): ICAL.Component[] {
  return root.getAllSubcomponents().filter((c) => c.name === 'vevent');
}

function userOf(property: ICAL.Property): CalendarUser {
  const cn = property.getParameter('cn');
  return {
    address: normalizeAddress(String(property.getFirstValue() ?? '')),
    name: typeof cn === 'string' && cn.trim() !== '' ? cn.trim() : null,
  };
}

function parameterOf(property: ICAL.Property, name: string, fallback: string): string {
  const value = property.getParameter(name);
  return typeof value === 'string' && value !== '' ? value.toUpperCase() : fallback;
}

function read(root: ICAL.Component): SchedulingFacts {
  const events = items(root);
  const master = events.find((e) => !e.hasProperty('recurrence-id')) ?? events[0];
  const organizerProperty = master?.getFirstProperty('organizer');
  const attendees = new Map<string, EventAttendee>();
  for (const event of events) {
    for (const property of event.getAllProperties('attendee')) {
      const user = userOf(property);
      if (user.address === '' || attendees.has(user.address)) continue;
      attendees.set(user.address, {
        ...user,
        partstat: parameterOf(property, 'partstat', 'NEEDS-ACTION'),
        scheduleAgent: parameterOf(property, 'schedule-agent', 'SERVER'),
      });
    }
  }
  const told = events.map((event) =>
    [
      'recurrence-id',
      'dtstart',
      'dtend',
      'duration',
      'rrule',
      'rdate',
      'exdate',
      'summary',
      'location',
      'status',
    ]
      .map((name) =>
        event
          .getAllProperties(name)
          .map((p) => p.toICALString())
          .join('\n'),
      )
      .join('\n'),
  );
  const summary = master?.getFirstPropertyValue('summary');
  return {
    organizer: organizerProperty ? userOf(organizerProperty) : null,
    attendees: [...attendees.values()],
    cancelled: String(master?.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
    sequence: Number(master?.getFirstPropertyValue('sequence') ?? 0) || 0,
    summary: typeof summary === 'string' ? summary : null,
    fingerprint: createHash('sha256').update(told.join('\n--\n')).digest('base64url').slice(0, 22),
  };
}

/** Who organises a stored event and whom it invites (text already validated when stored). */
export function readScheduling(text: string): SchedulingFacts {
  return guardCalendarInput(() => read(readVCalendar(text, { unknownTimeZones: 'floating' })));
}

/** What `mayInvite` looks for, case-insensitively; also PostgreSQL's `~*` (a stored text's test in SQL). */
export const mayInvitePattern = '\nATTENDEE[;:]';
const mayInviteExpression = new RegExp(mayInvitePattern, 'i');

/** Quick test before parsing: can this text invite anyone at all? */
export function mayInvite(text: string): boolean {
  return mayInviteExpression.test(text);
}

function withEvents(text: string, change: (root: ICAL.Component, events: ICAL.Component[]) => void): string {
  return guardCalendarInput(() => {
    const root = readVCalendar(text, { unknownTimeZones: 'floating' });
    change(root, items(root));
    return serializeCalendar(root);
  });
}

/**
 * The organizer's event with one attendee's answer written into it (RFC 6638 §3.2.2: the server
 * updates the organizer's copy): PARTSTAT on that ATTENDEE in every component, RSVP dropped.
 */
export function setAnswer(text: string, address: string, answer: Answer, now: Date): string {
  const wanted = normalizeAddress(address);
  return withEvents(text, (_root, events) => {
    let found = false;
    for (const event of events) {
      for (const property of event.getAllProperties('attendee')) {
        if (userOf(property).address !== wanted) continue;
        property.setParameter('partstat', answer);
        property.removeParameter('rsvp');
        found = true;
      }
      if (found) setUtcStamp(event, 'dtstamp', now);
    }
    if (!found) throw new InvalidCalendarData('invalid-value', `${wanted} is not an attendee`);
  });
}

/**
 * The attendee's own copy of an invitation: the organizer's event with the attendee's answer, and
 * without the organizer's alarms (sabre-io/dav#819: an organizer's VALARM must not become the
 * attendee's; the attendee's own default reminder applies instead).
 */
export function attendeeCopy(text: string, address: string, answer: Answer, now: Date): string {
  const answered = setAnswer(text, address, answer, now);
  return withEvents(answered, (_root, events) => {
    for (const event of events) {
      for (const alarm of event.getAllSubcomponents('valarm')) event.removeSubcomponent(alarm);
      dropScheduleStatus(event);
    }
  });
}

/** SCHEDULE-STATUS is the organizer's record of delivery (RFC 6638 §3.2.9): no copy or message carries it. */
function dropScheduleStatus(event: ICAL.Component): void {
  for (const property of event.getAllProperties('attendee')) property.removeParameter('schedule-status');
}

/**
 * An iTIP message for mail (RFC 5546, sent as RFC 6047 iMIP): METHOD:REQUEST carries the event
 * as it is now; METHOD:CANCEL says it is off (STATUS:CANCELLED, SEQUENCE one higher, RFC 5546
 * §3.2.5). Alarms are the organizer's own and never leave the server.
 */
export function itipMessage(text: string, method: 'REQUEST' | 'CANCEL', now: Date): string {
  return withEvents(text, (root, events) => {
    root.removeAllProperties('method');
    root.addPropertyWithValue('method', method);
    for (const event of events) {
      for (const alarm of event.getAllSubcomponents('valarm')) event.removeSubcomponent(alarm);
      dropScheduleStatus(event);
      setUtcStamp(event, 'dtstamp', now);
      if (method === 'CANCEL') {
        event.updatePropertyWithValue('status', 'CANCELLED');
        event.updatePropertyWithValue('sequence', (Number(event.getFirstPropertyValue('sequence')) || 0) + 1);
      }
    }
  });
}

/**
 * Invites people to an event: ORGANIZER set to `organizer` when the event has none, one ATTENDEE
 * per address not already invited (PARTSTAT=NEEDS-ACTION, RSVP=TRUE), the organizer included as
 * an accepted attendee (as calendar apps write it). Returns the text unchanged when all were invited.
 */
export function addAttendees(
  text: string,
  organizer: CalendarUser,
  people: readonly CalendarUser[],
  now: Date,
): string {
  return withEvents(text, (_root, events) => {
    const master = events.find((e) => !e.hasProperty('recurrence-id')) ?? events[0];
    if (!master) throw new InvalidCalendarData('no-component');
    const current = read(_root);
    if (current.organizer && current.organizer.address !== organizer.address) {
      throw new InvalidCalendarData('invalid-value', 'only the organizer can invite people to this event');
    }
    if (!current.organizer) {
      const property = master.addPropertyWithValue('organizer', organizer.address);
      if (organizer.name) property.setParameter('cn', organizer.name);
    }
    const invited = new Set(current.attendees.map((a) => a.address));
    const add = (user: CalendarUser, partstat: string, rsvp: boolean) => {
      if (invited.has(user.address)) return;
      invited.add(user.address);
      const property = master.addPropertyWithValue('attendee', user.address);
      if (user.name) property.setParameter('cn', user.name);
      property.setParameter('role', 'REQ-PARTICIPANT');
      property.setParameter('partstat', partstat);
      if (rsvp) property.setParameter('rsvp', 'TRUE');
    };
    if (people.some((p) => !invited.has(p.address))) add(organizer, 'ACCEPTED', false);
    for (const person of people) add(person, 'NEEDS-ACTION', true);
    master.updatePropertyWithValue('sequence', (Number(master.getFirstPropertyValue('sequence')) || 0) + 1);
    setUtcStamp(master, 'dtstamp', now);
  });
}

/**
 * An iTIP CANCEL for an event that is gone (RFC 5546 §3.2.5): what a cancellation must carry
 * (UID, SEQUENCE one past the last told, ORGANIZER, the ATTENDEE, DTSTAMP) and what people read.
 */
export function cancellationMessage(input: {
  uid: string;
  sequence: number;
  organizer: string;
  attendee: string;
  summary: string | null;
  start: Date | null;
  allDay: boolean;
  now: Date;
}): string {
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('prodid', prodId);
  root.addPropertyWithValue('method', 'CANCEL');
  const event = new ICAL.Component('vevent');
  event.addPropertyWithValue('uid', input.uid);
  setUtcStamp(event, 'dtstamp', input.now);
  event.addPropertyWithValue('sequence', input.sequence + 1);
  event.addPropertyWithValue('organizer', input.organizer);
  event.addPropertyWithValue('attendee', input.attendee);
  if (input.summary) event.addPropertyWithValue('summary', input.summary);
  if (input.start) {
    const start = ICAL.Time.fromJSDate(input.start, true);
    if (input.allDay) start.isDate = true;
    event.addPropertyWithValue('dtstart', start);
  }
  event.addPropertyWithValue('status', 'CANCELLED');
  root.addSubcomponent(event);
  return serializeCalendar(root);
}

/**
 * RFC 6638 §3.2.9: the organizer's event tells, per attendee, how scheduling went —
 * SCHEDULE-STATUS 1.2 (delivered: a Televent user), 1.1 (sent: iMIP mail), 3.7 (not a calendar
 * user the server can reach), 5.1 (not delivered: beyond the per-event limit). Null when every
 * attendee already says what `statuses` says (nothing to write).
 */
export function withScheduleStatus(text: string, statuses: ReadonlyMap<string, string>): string | null {
  let changed = false;
  const updated = withEvents(text, (_root, events) => {
    for (const event of events) {
      for (const property of event.getAllProperties('attendee')) {
        const status = statuses.get(userOf(property).address);
        if (status === undefined || property.getParameter('schedule-status') === status) continue;
        property.setParameter('schedule-status', status);
        changed = true;
      }
    }
  });
  return changed ? updated : null;
}
