import { describe, expect, it } from 'vitest';
import { parseCalendarObject } from './parse-calendar.ts';
import {
  addAttendees,
  attendeeCopy,
  emailOf,
  itipMessage,
  mayInvite,
  normalizeAddress,
  readScheduling,
  setAnswer,
  withScheduleStatus,
} from './scheduling.ts';

const now = new Date('2026-12-02T10:00:00Z');
const dinner = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//macOS 15//EN',
  'BEGIN:VEVENT',
  'UID:dinner-1',
  'DTSTAMP:20261201T090000Z',
  'DTSTART:20261210T180000Z',
  'DTEND:20261210T200000Z',
  'SUMMARY:Dinner',
  'ORGANIZER;CN=Olga:mailto:5801@telegram.invalid',
  'ATTENDEE;CN=Olga;PARTSTAT=ACCEPTED:mailto:5801@telegram.invalid',
  'ATTENDEE;CN=Pavel;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;X-NUM-GUESTS=0:mailto:Pavel@Example.org',
  'ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:self@example.org',
  'X-CUSTOM:kept',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:Dinner',
  'TRIGGER:-PT30M',
  'END:VALARM',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('scheduling facts of an event', () => {
  it('reads the organizer and each attendee once, addresses compared without case', () => {
    const facts = readScheduling(dinner);
    expect(facts.organizer).toEqual({ address: 'mailto:5801@telegram.invalid', name: 'Olga' });
    expect(facts.attendees.map((a) => [a.address, a.partstat, a.scheduleAgent])).toEqual([
      ['mailto:5801@telegram.invalid', 'ACCEPTED', 'SERVER'],
      ['mailto:pavel@example.org', 'NEEDS-ACTION', 'SERVER'],
      ['mailto:self@example.org', 'NEEDS-ACTION', 'CLIENT'],
    ]);
    expect(facts.cancelled).toBe(false);
    expect(mayInvite(dinner)).toBe(true);
    expect(mayInvite(dinner.replace(/\r\nATTENDEE[^\r]*/g, ''))).toBe(false);
  });

  it('keeps the fingerprint across answers but not across a new time', () => {
    const before = readScheduling(dinner).fingerprint;
    expect(readScheduling(setAnswer(dinner, 'mailto:PAVEL@example.org', 'ACCEPTED', now)).fingerprint).toBe(
      before,
    );
    expect(
      readScheduling(dinner.replace('DTSTART:20261210T180000Z', 'DTSTART:20261210T190000Z')).fingerprint,
    ).not.toBe(before);
  });

  it('writes an answer into the organizer copy and keeps everything else', () => {
    const answered = setAnswer(dinner, 'mailto:pavel@example.org', 'TENTATIVE', now);
    const unfolded = answered.replace(/\r\n /g, '');
    expect(unfolded).toContain(
      'ATTENDEE;CN=Pavel;PARTSTAT=TENTATIVE;X-NUM-GUESTS=0:mailto:Pavel@Example.org',
    );
    expect(answered).not.toContain('RSVP=TRUE');
    expect(answered).toContain('X-CUSTOM:kept');
    expect(answered).toContain('TRIGGER:-PT30M');
    expect(() => setAnswer(dinner, 'mailto:nobody@example.org', 'ACCEPTED', now)).toThrow(/not an attendee/);
    expect(parseCalendarObject(answered).uid).toBe('dinner-1');
  });

  it("gives the attendee a copy without the organizer's alarms", () => {
    const copy = attendeeCopy(dinner, 'mailto:pavel@example.org', 'ACCEPTED', now);
    expect(copy).not.toContain('BEGIN:VALARM');
    expect(readScheduling(copy).attendees[1]?.partstat).toBe('ACCEPTED');
  });

  it('makes iMIP requests and cancellations (RFC 5546)', () => {
    const request = itipMessage(dinner, 'REQUEST', now);
    expect(request).toContain('METHOD:REQUEST');
    expect(request).not.toContain('VALARM');
    const cancel = itipMessage(dinner, 'CANCEL', now);
    expect(cancel).toContain('METHOD:CANCEL');
    expect(cancel).toContain('STATUS:CANCELLED');
    expect(cancel).toContain('SEQUENCE:1');
  });

  it('invites people by adding the organizer and attendees once', () => {
    const plain = dinner
      .split('\r\n')
      .filter((line) => !/^(ORGANIZER|ATTENDEE)/.test(line))
      .join('\r\n');
    const organizer = { address: 'mailto:5801@telegram.invalid', name: 'Olga' };
    const pavel = { address: 'mailto:5802@telegram.invalid', name: 'Pavel' };
    const invited = addAttendees(plain, organizer, [pavel], now);
    const facts = readScheduling(invited);
    expect(facts.organizer?.address).toBe(organizer.address);
    expect(facts.attendees.map((a) => [a.name, a.partstat])).toEqual([
      ['Olga', 'ACCEPTED'],
      ['Pavel', 'NEEDS-ACTION'],
    ]);
    expect(readScheduling(addAttendees(invited, organizer, [pavel], now)).attendees).toHaveLength(2);
    expect(() =>
      addAttendees(dinner, { address: 'mailto:5802@telegram.invalid', name: null }, [], now),
    ).toThrow(/only the organizer/);
  });

  it("records how each invitation went in the organizer's event, and nowhere else", () => {
    const statuses = new Map([
      ['mailto:pavel@example.org', '1.1'],
      ['mailto:nobody@example.org', '3.7'],
    ]);
    const recorded = withScheduleStatus(dinner, statuses) ?? '';
    expect(recorded.replace(/\r\n /g, '')).toContain('SCHEDULE-STATUS=1.1:mailto:Pavel@Example.org');
    expect(withScheduleStatus(recorded, statuses)).toBeNull(); // already says so: nothing to write
    expect(readScheduling(recorded).fingerprint).toBe(readScheduling(dinner).fingerprint);
    expect(attendeeCopy(recorded, 'mailto:pavel@example.org', 'ACCEPTED', now)).not.toContain(
      'SCHEDULE-STATUS',
    );
    expect(itipMessage(recorded, 'REQUEST', now)).not.toContain('SCHEDULE-STATUS');
  });

  it('normalizes mailto addresses and tells e-mail addresses apart', () => {
    expect(normalizeAddress(' MAILTO:Ann@Example.ORG ')).toBe('mailto:ann@example.org');
    expect(emailOf('mailto:ann@example.org')).toBe('ann@example.org');
    expect(emailOf('urn:uuid:1234')).toBeNull();
    expect(emailOf('mailto:not-an-address')).toBeNull();
  });
});
