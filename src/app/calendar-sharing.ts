import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../storage/db-types.ts';
import {
  countSharesOfCalendar,
  deleteShare,
  findInviteForUpdate,
  findShareOf,
  findShareWithNames,
  findUserIdByUsername,
  insertShare,
  listSharesOfCalendar,
  listSharesWithUser,
  type ShareWithNames,
  updateShare,
} from '../storage/repositories/calendar-share-repository.ts';
import { findUser } from '../storage/repositories/user-repository.ts';
import { type Executor, transact } from '../storage/transaction.ts';
import type { ShareNoticeFacts, ShareNoticeKind } from '../telegram/share-message.ts';
import type { CacheInvalidation } from './cache-invalidation.ts';
import { ownCalendar } from './calendar-access.ts';
import { AppError } from './errors.ts';
import { isUuid } from './event-view.ts';
import { enqueueJobs } from './jobs.ts';
import { personName } from './person-name.ts';
import { hashSecret } from './secret-hash.ts';

/**
 * Most people one calendar may be shared with (README "Limits"): every write to it reaches each
 * sharee's clients, and a list longer than this is a group, not a share (group calendars: issue 14 item 2).
 */
export const maxSharesPerCalendar = 100;

export type ShareAccess = 'read' | 'write';

/** A person as a share names them: their Telegram id and the name they go by. */
export interface SharePerson {
  telegramId: number;
  name: string;
}

/** One calendar shared with one person, or offered by an invite link nobody has opened yet. */
export interface ShareView {
  id: string;
  calendarId: string;
  calendarName: string;
  calendarColor: string | null;
  owner: SharePerson;
  /** Null while an invite link is unclaimed. */
  sharee: SharePerson | null;
  access: ShareAccess;
  status: 'pending' | 'accepted';
  createdAt: Date;
  acceptedAt: Date | null;
}

/** Whom to share with: a Telegram id (a shared contact, REST) or an @username; both must have started the bot. */
export type ShareTarget = { telegramId: number } | { username: string };

/** 24 random bytes in base64url: 32 characters, fits Telegram's 64-character /start payload with its prefix. */
const inviteSecretPattern = /^[A-Za-z0-9_-]{32}$/;

function toShareView(row: ShareWithNames): ShareView {
  return {
    id: row.id,
    calendarId: row.calendar_id,
    calendarName: row.calendar_name,
    calendarColor: row.calendar_color,
    owner: {
      telegramId: row.owner_id,
      name: personName(row.owner_first_name, row.owner_username, row.owner_id),
    },
    sharee:
      row.sharee_id === null
        ? null
        : {
            telegramId: row.sharee_id,
            name: personName(row.sharee_first_name, row.sharee_username, row.sharee_id),
          },
    access: row.access,
    status: row.status,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
  };
}

/**
 * Sharing calendars between Telegram users (issue 14 item 1). The owner offers a calendar to a
 * person, to read or to write; it reaches the person's agenda, web app and CalDAV home only once
 * they accept. Who may see what is decided in one place, calendar-repository.ts
 * (visibleCalendars); this service only changes the shares, one transaction each, and every
 * change drops the calendar's cached GET answers in this process at once (other processes hear
 * it from the database's notice, migration 2026-12-02T15-00).
 */
export class CalendarSharingService {
  readonly #db: Db;
  readonly #changes: CacheInvalidation | undefined;

  constructor(deps: { db: Db; changes?: CacheInvalidation }) {
    this.#db = deps.db;
    this.#changes = deps.changes;
  }

  /** Offers the owner's calendar to a person who has started the bot; pending until they accept. */
  async share(
    ownerId: number,
    calendarId: string,
    target: ShareTarget,
    access: ShareAccess,
  ): Promise<ShareView> {
    const shareeId =
      'telegramId' in target ? target.telegramId : await findUserIdByUsername(this.#db, target.username);
    const id = await this.#change(calendarId, async (trx) => {
      const calendar = await ownCalendar(trx, ownerId, calendarId);
      if (shareeId === ownerId) throw new AppError('invalid-field', 'This calendar is already yours.');
      if (shareeId === undefined || !(await findUser(trx, shareeId))) {
        throw new AppError(
          'user-not-found',
          'That person has not started the bot yet; ask them to open it first.',
        );
      }
      if (await findShareOf(trx, calendarId, shareeId)) throw new AppError('share-exists');
      const id = await this.#insertShare(trx, {
        calendarId,
        ownerId,
        shareeId,
        access,
        inviteTokenHash: null,
      });
      const owner = await findUser(trx, ownerId);
      await enqueueNotice(trx, shareeId, 'offered', {
        shareId: id,
        calendarName: calendar.name,
        personName: personName(owner?.first_name ?? null, owner?.username ?? null, ownerId),
        access,
      });
      return id;
    });
    return this.#view(id);
  }

  /**
   * An invite link's secret for the owner's calendar: whoever opens it in the bot first gets the
   * invitation (then accepts it like any other). Only the secret's SHA-256 is stored.
   */
  async createInvite(
    ownerId: number,
    calendarId: string,
    access: ShareAccess,
  ): Promise<{ share: ShareView; secret: string }> {
    const secret = randomBytes(24).toString('base64url');
    const id = await this.#change(calendarId, async (trx) => {
      await ownCalendar(trx, ownerId, calendarId);
      return this.#insertShare(trx, {
        calendarId,
        ownerId,
        shareeId: null,
        access,
        inviteTokenHash: hashSecret(secret),
      });
    });
    return { share: await this.#view(id), secret };
  }

  /** The invitation behind an invite link, now addressed to the user who opened it (still pending). */
  async claimInvite(userId: number, secret: string): Promise<ShareView> {
    if (!inviteSecretPattern.test(secret)) throw new AppError('share-not-found');
    const id = await transact(this.#db, async (trx) => {
      const invite = await findInviteForUpdate(trx, hashSecret(secret));
      if (!invite) throw new AppError('share-not-found');
      if (invite.owner_id === userId) throw new AppError('invalid-field', 'This calendar is already yours.');
      const existing = await findShareOf(trx, invite.calendar_id, userId);
      if (existing) return existing.id; // the link stays usable for someone else
      await updateShare(trx, invite.id, { sharee_id: userId, invite_token_hash: null });
      return invite.id;
    });
    return this.#view(id);
  }

  /** The shares of the owner's calendar, invite links not yet opened included. */
  async listShares(ownerId: number, calendarId: string): Promise<ShareView[]> {
    await ownCalendar(this.#db, ownerId, calendarId);
    return (await listSharesOfCalendar(this.#db, calendarId)).map(toShareView);
  }

  async changeAccess(
    ownerId: number,
    calendarId: string,
    shareId: string,
    access: ShareAccess,
  ): Promise<ShareView> {
    await this.#change(calendarId, async (trx) => {
      await this.#ownersShare(trx, ownerId, calendarId, shareId);
      await updateShare(trx, shareId, { access });
    });
    return this.#view(shareId);
  }

  /** Takes the calendar away from the sharee (or cancels the invitation). */
  async revoke(ownerId: number, calendarId: string, shareId: string): Promise<void> {
    await this.#change(calendarId, async (trx) => {
      const share = await this.#ownersShare(trx, ownerId, calendarId, shareId);
      await deleteShare(trx, shareId);
      if (share.sharee)
        await enqueueNotice(trx, share.sharee.telegramId, 'revoked', noticeFacts(share, share.owner));
    });
  }

  /** One share of a calendar the user owns (the bot's buttons name only the share), else `share-not-found`. */
  async shareForOwner(ownerId: number, shareId: string): Promise<ShareView> {
    const share = isUuid(shareId) ? await findShareWithNames(this.#db, shareId) : undefined;
    if (!share || share.owner_id !== ownerId) throw new AppError('share-not-found');
    return toShareView(share);
  }

  /** What is shared with the user: invitations to answer and calendars they have accepted. */
  async sharesWithMe(userId: number): Promise<ShareView[]> {
    return (await listSharesWithUser(this.#db, userId)).map(toShareView);
  }

  /** One share addressed to the user (the bot's invitation message), else `share-not-found`. */
  async shareForSharee(userId: number, shareId: string): Promise<ShareView> {
    const share = isUuid(shareId) ? await findShareWithNames(this.#db, shareId) : undefined;
    if (!share || share.sharee_id !== userId) throw new AppError('share-not-found');
    return toShareView(share);
  }

  async accept(userId: number, shareId: string): Promise<ShareView> {
    const share = await this.shareForSharee(userId, shareId);
    if (share.status === 'accepted') return share;
    await this.#change(share.calendarId, async (trx) => {
      await updateShare(trx, shareId, { status: 'accepted', accepted_at: new Date() });
      if (share.sharee)
        await enqueueNotice(trx, share.owner.telegramId, 'accepted', noticeFacts(share, share.sharee));
    });
    return this.#view(shareId);
  }

  /** Declines an invitation, or leaves a calendar accepted earlier: either way the share is gone. */
  async decline(userId: number, shareId: string): Promise<ShareView> {
    const share = await this.shareForSharee(userId, shareId);
    await this.#change(share.calendarId, async (trx) => {
      await deleteShare(trx, shareId);
      const notice = share.status === 'accepted' ? 'left' : 'declined';
      if (share.sharee)
        await enqueueNotice(trx, share.owner.telegramId, notice, noticeFacts(share, share.sharee));
    });
    return share;
  }

  /** Leaves a calendar shared with the user (a CalDAV DELETE of it from their calendar home). */
  async leave(userId: number, calendarId: string): Promise<void> {
    const share = isUuid(calendarId) ? await findShareOf(this.#db, calendarId, userId) : undefined;
    if (!share) throw new AppError('calendar-not-found');
    await this.decline(userId, share.id);
  }

  async #view(shareId: string): Promise<ShareView> {
    const share = await findShareWithNames(this.#db, shareId);
    if (!share) throw new AppError('share-not-found');
    return toShareView(share);
  }

  async #ownersShare(db: Executor, ownerId: number, calendarId: string, shareId: string): Promise<ShareView> {
    await ownCalendar(db, ownerId, calendarId);
    const share = isUuid(shareId) ? await findShareWithNames(db, shareId) : undefined;
    if (!share || share.calendar_id !== calendarId) throw new AppError('share-not-found');
    return toShareView(share);
  }

  /** A new pending share within the per-calendar limit; its id also names it in the sharee's home. */
  async #insertShare(
    db: Executor,
    share: {
      calendarId: string;
      ownerId: number;
      shareeId: number | null;
      access: ShareAccess;
      inviteTokenHash: string | null;
    },
  ): Promise<string> {
    if ((await countSharesOfCalendar(db, share.calendarId)) >= maxSharesPerCalendar) {
      throw new AppError('share-limit-reached');
    }
    const id = randomUUID();
    await insertShare(db, {
      id,
      calendar_id: share.calendarId,
      owner_id: share.ownerId,
      sharee_id: share.shareeId,
      access: share.access,
      slug: shareSlug(id),
      invite_token_hash: share.inviteTokenHash,
      accepted_at: null,
    });
    return id;
  }

  /** One transaction; then this process forgets what it cached of the calendar (the others hear it at commit). */
  async #change<T>(calendarId: string, work: (trx: Executor) => Promise<T>): Promise<T> {
    try {
      return await transact(this.#db, work);
    } finally {
      this.#changes?.calendarChanged(calendarId);
    }
  }
}

function noticeFacts(share: ShareView, person: SharePerson): ShareNoticeFacts {
  return {
    shareId: share.id,
    calendarName: share.calendarName,
    personName: person.name,
    access: share.access,
  };
}

/**
 * A chat message about the share for `recipientId`, sent by the worker once this transaction
 * commits. A group (a negative id, group-calendars.ts) is not told of members leaving its calendar.
 */
async function enqueueNotice(
  trx: Executor,
  recipientId: number,
  notice: ShareNoticeKind,
  facts: ShareNoticeFacts,
): Promise<void> {
  if (recipientId < 0) return;
  await enqueueJobs(trx, [
    { kind: 'share.notice', payload: { recipientId, notice, ...facts }, userId: recipientId },
  ]);
}

/** The calendar's name in the sharee's calendar home: unique there, as the share's id is. */
export function shareSlug(shareId: string): string {
  return `shared-${shareId}`;
}
