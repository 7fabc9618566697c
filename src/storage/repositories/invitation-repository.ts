import { type Insertable, sql, type Updateable } from 'kysely';
import type { EventInvitationRow, EventInvitationsTable } from '../schema.ts';
import type { Executor } from '../transaction.ts';

/** The invitations of one event (its calendar and UID), locked while its change is worked out. */
export async function lockInvitationsOfEvent(
  db: Executor,
  calendarId: string,
  uid: string,
): Promise<EventInvitationRow[]> {
  return db
    .selectFrom('event_invitations')
    .selectAll()
    .where('calendar_id', '=', calendarId)
    .where('uid', '=', uid)
    .orderBy('created_at')
    .forUpdate()
    .execute();
}

export async function insertInvitation(
  db: Executor,
  invitation: Insertable<EventInvitationsTable>,
): Promise<EventInvitationRow> {
  return db.insertInto('event_invitations').values(invitation).returningAll().executeTakeFirstOrThrow();
}

export async function updateInvitation(
  db: Executor,
  id: string,
  changes: Updateable<EventInvitationsTable>,
): Promise<void> {
  await db.updateTable('event_invitations').set(changes).where('id', '=', id).execute();
}

/** An invitation with the names its messages use: the organizer's. */
export type InvitationWithNames = EventInvitationRow & {
  organizer_first_name: string | null;
  organizer_username: string | null;
};

function withNames(db: Executor) {
  return db
    .selectFrom('event_invitations as i')
    .innerJoin('users as o', 'o.telegram_id', 'i.organizer_id')
    .selectAll('i')
    .select(['o.first_name as organizer_first_name', 'o.username as organizer_username']);
}

/** One invitation addressed to this Televent user, locked for their answer. */
export async function lockInvitationOfAttendee(
  db: Executor,
  id: string,
  attendeeId: number,
): Promise<InvitationWithNames | undefined> {
  return withNames(db)
    .where('i.id', '=', id)
    .where('i.attendee_id', '=', attendeeId)
    .forUpdate('i')
    .executeTakeFirst();
}

export async function findInvitationOfAttendee(
  db: Executor,
  id: string,
  attendeeId: number,
): Promise<InvitationWithNames | undefined> {
  return withNames(db).where('i.id', '=', id).where('i.attendee_id', '=', attendeeId).executeTakeFirst();
}

/** The attendee's invitation to the organizer's event with this UID (their copy was written). */
export async function findInvitationByUid(
  db: Executor,
  organizerId: number,
  uid: string,
  attendeeId: number,
): Promise<EventInvitationRow | undefined> {
  return db
    .selectFrom('event_invitations')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .where('uid', '=', uid)
    .where('attendee_id', '=', attendeeId)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
}

/** The invitation whose attendee copy is this object (the attendee deleted it). */
export async function findInvitationByCopy(
  db: Executor,
  calendarId: string,
  hrefName: string,
): Promise<EventInvitationRow | undefined> {
  return db
    .selectFrom('event_invitations')
    .selectAll()
    .where('copy_calendar_id', '=', calendarId)
    .where('copy_href', '=', hrefName)
    .executeTakeFirst();
}

/** What a user has been invited to and not cancelled, newest first (at most `limit`). */
export async function listInvitationsOfAttendee(
  db: Executor,
  attendeeId: number,
  limit: number,
): Promise<InvitationWithNames[]> {
  return withNames(db)
    .where('i.attendee_id', '=', attendeeId)
    .where('i.cancelled_at', 'is', null)
    .orderBy('i.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The Televent user who gave this e-mail address (/email), if one did. */
export async function findUserIdByEmail(db: Executor, email: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('preferences')
    .select('user_id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('email', 'is not', null)
    .orderBy('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** How many invitations an organizer has made since `since` (their daily limit). */
export async function countInvitationsSince(db: Executor, organizerId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('event_invitations')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('organizer_id', '=', organizerId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
