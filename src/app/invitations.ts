import { parseCalendarObject } from '../domain/ical/parse-calendar.ts';
import {
  type Answer,
  attendeeCopy,
  type CalendarUser,
  cancellationMessage,
  emailOf,
  itipMessage,
  maxInvitedAttendees,
  mayInvite,
  normalizeAddress,
  readScheduling,
  type SchedulingFacts,
  setAnswer,
  withScheduleStatus,
} from '../domain/ical/scheduling.ts';
import type { Db, DbTransaction } from '../storage/db-types.ts';
import { findObjectByHref, findObjectByUid } from '../storage/repositories/calendar-object-repository.ts';
import { findUserIdByUsername } from '../storage/repositories/calendar-share-repository.ts';
import {
  countInvitationsSince,
  findInvitationByCopy,
  findInvitationByUid,
  findInvitationOfAttendee,
  findUserIdByEmail,
  type InvitationWithNames,
  insertInvitation,
  listInvitationsOfAttendee,
  lockInvitationOfAttendee,
  lockInvitationsOfEvent,
  updateInvitation,
} from '../storage/repositories/invitation-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import type { CalendarObjectRow, EventInvitationRow } from '../storage/schema.ts';
import { type Executor, transact } from '../storage/transaction.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import type { CalendarService } from './calendar-service.ts';
import { AppError, isAppError } from './errors.ts';
import type { EventView } from './event-view.ts';
import { isUuid } from './event-view.ts';
import { enqueueJobs, type PayloadOf } from './jobs.ts';
import { removeObject, writeObject } from './object-writes.ts';
import { personName } from './person-name.ts';
import type { PreferenceService } from './preference-service.ts';

/**
 * The mail domain of Televent's own calendar-user addresses: `mailto:<telegram id>@telegram.invalid`
 * names a Telegram user who has no e-mail address here (RFC 6761 keeps `.invalid` from ever being
 * delivered to). It is the first address in every principal's calendar-user-address-set, so a
 * calendar app writes it as ORGANIZER, and the bot writes it for people invited by @username.
 */
export const televentMailDomain = 'telegram.invalid';

export function televentAddress(userId: number): string {
  return `mailto:${userId}@${televentMailDomain}`;
}

/** Whom to invite: a Telegram user (a shared contact, REST), an @username, or anyone by e-mail. */
export type InviteTarget = { telegramId: number } | { username: string } | { email: string };

/**
 * Most new invitations one organizer sends in a day (README "Limits"): anyone may name any
 * Telegram user's address in an event, so this bounds the messages one account can cause. Beyond
 * it an attendee is recorded as not delivered (SCHEDULE-STATUS 5.1) and told nothing.
 */
export const maxNewInvitationsPerDay = 200;

/** Most people one request invites (the event itself invites at most maxInvitedAttendees). */
export const maxInviteesPerRequest = 20;

/** What an attendee sees of one invitation (REST `GET /api/invitations`, the bot's messages). */
export interface InvitationView {
  id: string;
  organizer: { telegramId: number; name: string };
  summary: string | null;
  start: Date | null;
  allDay: boolean;
  answer: string;
  /** Where the attendee's own copy is, once they accepted or said maybe. */
  calendarId: string | null;
}

function toInvitationView(row: InvitationWithNames): InvitationView {
  return {
    id: row.id,
    organizer: {
      telegramId: row.organizer_id,
      name: personName(row.organizer_first_name, row.organizer_username, row.organizer_id),
    },
    summary: row.summary,
    start: row.start_at,
    allDay: row.all_day,
    answer: row.partstat,
    calendarId: row.copy_calendar_id,
  };
}

/** A change to an event made through some door: what scheduling has to do about it. */
export interface SchedulingChange {
  calendarId: string;
  ownerId: number;
  writerId: number;
  uid: string;
  hrefName: string;
  deleted: boolean;
}

/**
 * Invitations with RSVP (issue 14 item 3), as the server's implicit scheduling (RFC 6638 §3.2).
 * An event whose ORGANIZER is its calendar's owner invites each ATTENDEE the server may schedule
 * (SCHEDULE-AGENT=SERVER, the default): a Televent user — found by Televent address, principal URL
 * or the e-mail they gave /email — gets a Telegram message with [Accept] [Maybe] [Decline]; anyone
 * else with an e-mail address gets an iMIP REQUEST. An answer is written into the organizer's event
 * (their calendar apps see the new PARTSTAT at the next sync) and puts a copy in the attendee's own
 * calendar; the organizer's later changes and cancellations reach attendees the same way. An
 * attendee may also answer in a calendar app by changing PARTSTAT in their copy.
 *
 * The worker runs `process` for every write of an event with attendees ('invitations.object-changed',
 * enqueued by object-writes.ts); writes the scheduler itself makes are marked and enqueue nothing.
 */
export class InvitationService {
  readonly #db: Db;
  readonly #preferences: PreferenceService;
  readonly #calendars: CalendarService;
  readonly #changes: CacheInvalidation | undefined;
  readonly #now: () => Date;
  readonly #dailyInvitations: number;

  constructor(deps: {
    db: Db;
    preferences: PreferenceService;
    calendars: CalendarService;
    changes?: CacheInvalidation;
    now?: () => Date;
    /** maxNewInvitationsPerDay unless a test says otherwise. */
    dailyInvitations?: number;
  }) {
    this.#dailyInvitations = deps.dailyInvitations ?? maxNewInvitationsPerDay;
    this.#db = deps.db;
    this.#preferences = deps.preferences;
    this.#calendars = deps.calendars;
    this.#changes = deps.changes;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The Televent user a cal-address names: their Televent address, principal URL or /email. */
  async resolveAddress(address: string, db: Executor = this.#db): Promise<number | undefined> {
    const normalized = normalizeAddress(address);
    const own = new RegExp(`^mailto:(\\d{1,15})@${televentMailDomain.replace('.', '\\.')}$`).exec(normalized);
    const principal = /^(?:https?:\/\/[^/]+)?\/principals\/(\d{1,15})\/?$/.exec(normalized);
    const id = own?.[1] ?? principal?.[1];
    if (id !== undefined) return (await findUser(db, Number(id))) ? Number(id) : undefined;
    const email = emailOf(normalized);
    return email ? findUserIdByEmail(db, email) : undefined;
  }

  /**
   * The organizer invites people to one of their events (the bot's 👥, REST): Televent users by
   * their Televent address and name, anyone else by e-mail. The event is rewritten with them as
   * attendees; the worker then invites them like any calendar app's attendees.
   */
  async invite(organizerId: number, eventId: string, targets: readonly InviteTarget[]): Promise<EventView> {
    if (targets.length === 0 || targets.length > maxInviteesPerRequest) {
      throw new AppError('invalid-field', `Invite 1–${maxInviteesPerRequest} people at a time.`);
    }
    await this.#calendars.getEvent(organizerId, eventId); // an event the user does not see is 404 before anything else
    const organizer = await findUser(this.#db, organizerId);
    if (!organizer) throw new AppError('user-not-found');
    const people: CalendarUser[] = [];
    for (const target of targets) {
      if ('email' in target) {
        const email = emailOf(`mailto:${target.email}`);
        if (!email) throw new AppError('invalid-field', `"${target.email}" is not an e-mail address.`);
        people.push({ address: `mailto:${email}`, name: null });
        continue;
      }
      const id =
        'telegramId' in target ? target.telegramId : await findUserIdByUsername(this.#db, target.username);
      const user = id === undefined ? undefined : await findUser(this.#db, id);
      if (!user || user.telegram_id <= 0) {
        throw new AppError(
          'user-not-found',
          'That person has not started the bot yet; invite them by e-mail instead.',
        );
      }
      if (user.telegram_id === organizerId)
        throw new AppError('invalid-field', 'You organise this event already.');
      people.push({
        address: televentAddress(user.telegram_id),
        name: personName(user.first_name, user.username, user.telegram_id),
      });
    }
    return this.#calendars.inviteToEvent(
      organizerId,
      eventId,
      {
        address: televentAddress(organizerId),
        name: personName(organizer.first_name, organizer.username, organizerId),
      },
      people,
    );
  }

  /** Works out and applies what one change to an event means for its invitations (the worker's job). */
  async process(change: SchedulingChange): Promise<void> {
    const object = change.deleted
      ? undefined
      : await findObjectByHref(this.#db, change.calendarId, change.hrefName);
    const facts = object && mayInvite(object.ical) ? readScheduling(object.ical) : null;
    const organizerId = facts?.organizer ? await this.resolveAddress(facts.organizer.address) : undefined;
    if (object && facts && organizerId === change.ownerId) {
      await this.#organizerChanged(change, object, facts);
      return;
    }
    if (object && facts && organizerId !== undefined) {
      // An attendee's copy, written by the attendee (a calendar app answering in it).
      if (change.writerId === change.ownerId) await this.#copyChanged(change, organizerId, facts);
      return;
    }
    // Deleted, or no longer an organizer's event with attendees.
    const copy = change.deleted
      ? await findInvitationByCopy(this.#db, change.calendarId, change.hrefName)
      : undefined;
    if (copy?.attendee_id && !copy.cancelled_at && copy.partstat !== 'DECLINED') {
      // An attendee deleting their copy declines (RFC 6638 §3.2.2.1).
      await this.answer(copy.attendee_id, copy.id, 'DECLINED', { copyGone: true }).catch(ignoreGone);
      return;
    }
    await this.#cancelAll(change);
  }

  /** The attendee's answer: written into the organizer's event, their copy made or removed, the organizer told. */
  async answer(
    attendeeId: number,
    invitationId: string,
    answer: Answer,
    options: { fromCopy?: boolean; copyGone?: boolean } = {},
  ): Promise<InvitationView> {
    if (!isUuid(invitationId)) throw new AppError('invitation-not-found');
    // Where an accepted event goes: the calendar the attendee puts new events in (read before the
    // transaction, which must not wait on a second connection: PGlite has one).
    const target =
      answer === 'DECLINED' || options.fromCopy
        ? null
        : await this.#preferences.calendarFor(attendeeId, 'VEVENT');
    const touched: Array<[string, string]> = [];
    try {
      await transact(this.#db, async (trx) => {
        const row = await lockInvitationOfAttendee(trx, invitationId, attendeeId);
        if (!row) throw new AppError('invitation-not-found');
        if (row.cancelled_at) throw new AppError('invitation-cancelled');
        const organizerEvent = await findObjectByUid(trx, row.calendar_id, row.uid);
        if (!organizerEvent) throw new AppError('invitation-cancelled');
        const now = this.#now();
        const answered = setAnswer(organizerEvent.ical, row.attendee_address, answer, now);
        await this.#write(trx, row.organizer_id, row.calendar_id, organizerEvent.href_name, answered, {
          ifMatch: organizerEvent.etag,
        });
        touched.push([row.calendar_id, organizerEvent.href_name]);
        let copy: { calendarId: string; href: string } | null =
          row.copy_calendar_id && row.copy_href
            ? { calendarId: row.copy_calendar_id, href: row.copy_href }
            : null;
        if (!options.fromCopy) {
          copy = await this.#placeCopy(
            trx,
            row,
            answered,
            answer,
            copy,
            target?.id ?? null,
            options.copyGone,
          );
        }
        if (copy) touched.push([copy.calendarId, copy.href]);
        await updateInvitation(trx, row.id, {
          partstat: answer,
          copy_calendar_id: copy?.calendarId ?? null,
          copy_href: copy?.href ?? null,
        });
        const attendee = await findUser(trx, attendeeId);
        await enqueueNotice(trx, row.organizer_id, 'answered', row, {
          personName:
            row.attendee_name ??
            personName(attendee?.first_name ?? null, attendee?.username ?? null, attendeeId),
          answer,
        });
      });
    } finally {
      for (const [calendarId, href] of touched) this.#changes?.objectChanged(calendarId, href);
    }
    const view = await findInvitationOfAttendee(this.#db, invitationId, attendeeId);
    if (!view) throw new AppError('invitation-not-found');
    return toInvitationView(view);
  }

  /** One invitation addressed to the user (the bot's message names only its id). */
  async invitationFor(attendeeId: number, invitationId: string): Promise<InvitationView> {
    const row = isUuid(invitationId)
      ? await findInvitationOfAttendee(this.#db, invitationId, attendeeId)
      : undefined;
    if (!row) throw new AppError('invitation-not-found');
    return toInvitationView(row);
  }

  /** What the user is invited to (not cancelled), newest first. */
  async invitationsFor(attendeeId: number): Promise<InvitationView[]> {
    return (await listInvitationsOfAttendee(this.#db, attendeeId, 200)).map(toInvitationView);
  }

  // ---- the organizer's side ---------------------------------------------------------------------

  async #organizerChanged(
    change: SchedulingChange,
    object: CalendarObjectRow,
    facts: SchedulingFacts,
  ): Promise<void> {
    const organizerId = change.ownerId;
    const invitees: Array<{ user: CalendarUser; partstat: string; attendeeId: number | null }> = [];
    // What the organizer's event will say about each attendee (RFC 6638 §3.2.9 SCHEDULE-STATUS).
    const statuses = new Map<string, string>();
    for (const attendee of facts.attendees) {
      if (attendee.scheduleAgent !== 'SERVER') continue; // the client or nobody invites them (RFC 6638 §7.1)
      if (invitees.length >= maxInvitedAttendees) {
        statuses.set(attendee.address, '5.1');
        continue;
      }
      const attendeeId = (await this.resolveAddress(attendee.address)) ?? null;
      if (attendeeId === organizerId) continue;
      if (attendeeId === null && !emailOf(attendee.address)) {
        statuses.set(attendee.address, '3.7'); // nowhere to send it
        continue;
      }
      statuses.set(attendee.address, attendeeId === null ? '1.1' : '1.2');
      invitees.push({ user: attendee, partstat: attendee.partstat, attendeeId });
    }
    const organizer = await findUser(this.#db, organizerId);
    const organizerName =
      facts.organizer?.name ??
      personName(organizer?.first_name ?? null, organizer?.username ?? null, organizerId);
    const touched: Array<[string, string]> = [];
    try {
      await transact(this.#db, async (trx) => {
        const existing = new Map(
          (await lockInvitationsOfEvent(trx, change.calendarId, object.uid)).map((row) => [
            row.attendee_address,
            row,
          ]),
        );
        const dayAgo = new Date(this.#now().getTime() - 86_400_000);
        let budget = this.#dailyInvitations - (await countInvitationsSince(trx, organizerId, dayAgo));
        const told = {
          summary: facts.summary,
          start_at: object.start_at,
          all_day: object.all_day,
          organizer_address: facts.organizer?.address ?? televentAddress(organizerId),
          sequence: facts.sequence,
        };
        for (const invitee of invitees) {
          const row = existing.get(invitee.user.address);
          existing.delete(invitee.user.address);
          if (facts.cancelled) {
            if (row && !row.cancelled_at) await this.#cancel(trx, row, object.ical, organizerName, touched);
            continue;
          }
          if (!row && budget <= 0) {
            statuses.set(invitee.user.address, '5.1'); // over the day's invitations: not sent
            continue;
          }
          if (!row) budget -= 1;
          if (!row || row.cancelled_at) {
            const fresh = row
              ? {
                  ...row,
                  ...told,
                  fingerprint: facts.fingerprint,
                  partstat: invitee.partstat,
                  cancelled_at: null,
                }
              : await insertInvitation(trx, {
                  organizer_id: organizerId,
                  calendar_id: change.calendarId,
                  uid: object.uid,
                  attendee_address: invitee.user.address,
                  attendee_id: invitee.attendeeId,
                  attendee_name: invitee.user.name,
                  partstat: invitee.partstat,
                  fingerprint: facts.fingerprint,
                  ...told,
                });
            if (row) {
              await updateInvitation(trx, row.id, {
                ...told,
                fingerprint: facts.fingerprint,
                partstat: invitee.partstat,
                cancelled_at: null,
              });
            }
            await this.#tell(trx, fresh, 'invited', object.ical, organizerName);
            continue;
          }
          if (row.fingerprint === facts.fingerprint) {
            if (row.partstat !== invitee.partstat)
              await updateInvitation(trx, row.id, { partstat: invitee.partstat });
            continue;
          }
          await updateInvitation(trx, row.id, { ...told, fingerprint: facts.fingerprint });
          const updated = { ...row, ...told, fingerprint: facts.fingerprint };
          if (row.copy_calendar_id && row.copy_href && isAnswer(row.partstat)) {
            // The attendee's copy follows the organizer's event, their answer kept.
            const copy = attendeeCopy(object.ical, row.attendee_address, row.partstat, this.#now());
            const written = await this.#write(
              trx,
              row.attendee_id ?? 0,
              row.copy_calendar_id,
              row.copy_href,
              copy,
              {},
            )
              .then(() => true)
              .catch(ignoreGone);
            if (written) touched.push([row.copy_calendar_id, row.copy_href]);
          }
          await this.#tell(trx, updated, 'changed', object.ical, organizerName);
        }
        // Attendees no longer on the event are told it is off for them.
        for (const row of existing.values()) {
          if (!row.cancelled_at) await this.#cancel(trx, row, object.ical, organizerName, touched);
        }
        // The organizer's event says how each invitation went; a change made meanwhile is processed
        // on its own (its job follows), so a stale ETag here just leaves this one out.
        const withStatus = facts.cancelled ? null : withScheduleStatus(object.ical, statuses);
        const current = withStatus
          ? await findObjectByHref(trx, change.calendarId, object.href_name)
          : undefined;
        if (withStatus && current?.etag === object.etag) {
          await this.#write(trx, organizerId, change.calendarId, object.href_name, withStatus, {
            ifMatch: object.etag,
          });
          touched.push([change.calendarId, object.href_name]);
        }
      });
    } finally {
      for (const [calendarId, href] of touched) this.#changes?.objectChanged(calendarId, href);
    }
  }

  /** The organizer's event is gone (or has no attendees left): every invitation is cancelled. */
  async #cancelAll(change: SchedulingChange): Promise<void> {
    const organizer = await findUser(this.#db, change.ownerId);
    const organizerName = personName(
      organizer?.first_name ?? null,
      organizer?.username ?? null,
      change.ownerId,
    );
    const touched: Array<[string, string]> = [];
    try {
      await transact(this.#db, async (trx) => {
        for (const row of await lockInvitationsOfEvent(trx, change.calendarId, change.uid)) {
          if (row.cancelled_at || row.organizer_id !== change.ownerId) continue;
          await this.#cancel(trx, row, null, organizerName, touched);
        }
      });
    } finally {
      for (const [calendarId, href] of touched) this.#changes?.objectChanged(calendarId, href);
    }
  }

  async #cancel(
    trx: DbTransaction,
    row: EventInvitationRow,
    eventText: string | null,
    organizerName: string,
    touched: Array<[string, string]>,
  ): Promise<void> {
    if (row.attendee_id && row.copy_calendar_id && row.copy_href) {
      const removed = await removeObject(trx, {
        userId: row.attendee_id,
        calendarId: row.copy_calendar_id,
        hrefName: row.copy_href,
        conditions: {},
        byScheduler: true,
        now: this.#now(),
      })
        .then(() => true)
        .catch(ignoreGone);
      if (removed) touched.push([row.copy_calendar_id, row.copy_href]);
    }
    await updateInvitation(trx, row.id, {
      cancelled_at: this.#now(),
      copy_calendar_id: null,
      copy_href: null,
    });
    await this.#tell(trx, row, 'cancelled', eventText, organizerName);
  }

  /** Tells an attendee: a Telegram message for a Televent user, an iMIP message for an e-mail address. */
  async #tell(
    trx: DbTransaction,
    row: EventInvitationRow,
    notice: 'invited' | 'changed' | 'cancelled',
    eventText: string | null,
    organizerName: string,
  ): Promise<void> {
    if (row.attendee_id !== null) {
      await enqueueNotice(trx, row.attendee_id, notice, row, { personName: organizerName });
      return;
    }
    const email = emailOf(row.attendee_address);
    if (!email) return;
    const method = notice === 'cancelled' ? 'CANCEL' : 'REQUEST';
    const now = this.#now();
    const itip = eventText
      ? itipMessage(eventText, method, now)
      : cancellationMessage({
          uid: row.uid,
          sequence: row.sequence,
          organizer: row.organizer_address,
          attendee: row.attendee_address,
          summary: row.summary,
          start: row.start_at,
          allDay: row.all_day,
          now,
        });
    const what = row.summary ?? '(no title)';
    const when = row.start_at ? ` (${row.start_at.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
    await enqueueJobs(trx, [
      {
        kind: 'email.send',
        payload: {
          to: email,
          subject: `${notice === 'cancelled' ? 'Cancelled' : notice === 'changed' ? 'Updated invitation' : 'Invitation'}: ${what}${when}`,
          text:
            notice === 'cancelled'
              ? `${organizerName} cancelled "${what}"${when}.`
              : `${organizerName} invites you to "${what}"${when}. Your calendar app can answer this invitation.`,
          icalEvent: { method, content: itip },
        },
        userId: row.organizer_id,
      },
    ]);
  }

  // ---- the attendee's side ----------------------------------------------------------------------

  /** A calendar app answered in the attendee's copy: take the attendee's PARTSTAT to the organizer. */
  async #copyChanged(change: SchedulingChange, organizerId: number, facts: SchedulingFacts): Promise<void> {
    const row = await findInvitationByUid(this.#db, organizerId, change.uid, change.ownerId);
    if (!row) return;
    const mine = facts.attendees.find((a) => a.address === row.attendee_address);
    if (!row.copy_calendar_id || row.copy_href !== change.hrefName) {
      await updateInvitation(this.#db, row.id, {
        copy_calendar_id: change.calendarId,
        copy_href: change.hrefName,
      });
    }
    if (!mine || !isAnswer(mine.partstat) || mine.partstat === row.partstat) return;
    await this.answer(change.ownerId, row.id, mine.partstat, { fromCopy: true }).catch(ignoreGone);
  }

  /** Puts (or refreshes) the attendee's copy for an accept or a maybe, removes it for a decline. */
  async #placeCopy(
    trx: DbTransaction,
    row: EventInvitationRow,
    organizerText: string,
    answer: Answer,
    copy: { calendarId: string; href: string } | null,
    targetId: string | null,
    copyGone: boolean | undefined,
  ): Promise<{ calendarId: string; href: string } | null> {
    const attendeeId = row.attendee_id ?? 0;
    if (answer === 'DECLINED') {
      if (copy && !copyGone) {
        await removeObject(trx, {
          userId: attendeeId,
          calendarId: copy.calendarId,
          hrefName: copy.href,
          conditions: {},
          byScheduler: true,
          now: this.#now(),
        }).catch(ignoreGone);
      }
      return null;
    }
    const calendarId = copy?.calendarId ?? targetId;
    if (!calendarId) throw new AppError('calendar-not-found', 'You have no calendar that takes events.');
    const sameUid = await findObjectByUid(trx, calendarId, row.uid);
    const href = copy?.href ?? sameUid?.href_name ?? `invitation-${row.id}.ics`;
    await this.#write(
      trx,
      attendeeId,
      calendarId,
      href,
      attendeeCopy(organizerText, row.attendee_address, answer, this.#now()),
      {},
    );
    return { calendarId, href };
  }

  #write(
    trx: DbTransaction,
    userId: number,
    calendarId: string,
    hrefName: string,
    text: string,
    conditions: { ifMatch?: string },
  ) {
    return writeObject(trx, {
      userId,
      calendarId,
      hrefName,
      text,
      parsed: parseCalendarObject(text),
      conditions,
      byScheduler: true,
      now: this.#now(),
    });
  }
}

function isAnswer(partstat: string): partstat is Answer {
  return partstat === 'ACCEPTED' || partstat === 'TENTATIVE' || partstat === 'DECLINED';
}

/** A copy or calendar that went away meanwhile is nothing to fail over; anything else is. */
function ignoreGone(error: unknown): false {
  if (
    isAppError(error) &&
    ['event-not-found', 'calendar-not-found', 'invitation-cancelled'].includes(error.reason)
  ) {
    return false;
  }
  throw error;
}

function enqueueNotice(
  trx: DbTransaction,
  recipientId: number,
  notice: PayloadOf<'invitation.notice'>['notice'],
  row: Pick<EventInvitationRow, 'id' | 'summary' | 'start_at' | 'all_day'>,
  extra: { personName: string; answer?: Answer },
): Promise<void> {
  return enqueueJobs(trx, [
    {
      kind: 'invitation.notice',
      payload: {
        recipientId,
        notice,
        invitationId: row.id,
        summary: row.summary,
        startAt: row.start_at ? row.start_at.toISOString() : null,
        allDay: row.all_day,
        ...extra,
      },
      userId: recipientId,
    },
  ]);
}
