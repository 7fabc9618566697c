import type { Db } from '../storage/db-types.ts';
import { findPlanningUser, listDigestUsers } from '../storage/repositories/worker-planning-repository.ts';
import { type ScheduledJob, scheduleJobs } from './jobs.ts';

/** A user the morning digest is planned for. */
export interface DigestRecipient {
  userId: number;
  timeZone: string | null;
  /** 'HH:MM' or 'HH:MM:SS' local time. */
  digestTime: string;
  /** Chosen bot language and Telegram language_code (findRecipient only), for the wording. */
  language?: string | null;
  locale?: string | null;
}

/** The reads and writes of morning-digest planning; the schedule arithmetic is the worker's. */
export class DigestPlanner {
  readonly #db: Db;

  constructor(deps: { db: Db }) {
    this.#db = deps.db;
  }

  /**
   * Users who want a digest, in id order, one page at a time. Users who blocked the bot are left
   * out: they get no new digest until they unblock it (docs/worker-delivery.md#reachability).
   */
  listRecipients(page: { afterUserId: number; limit: number }): Promise<DigestRecipient[]> {
    return listDigestUsers(this.#db, page);
  }

  /** The user's digest settings now, or null when the digest is off (or the user gone). */
  async findRecipient(userId: number): Promise<DigestRecipient | null> {
    const user = await findPlanningUser(this.#db, userId);
    if (!user?.digestEnabled || !user.digestTime) return null;
    return {
      userId,
      timeZone: user.timeZone,
      digestTime: user.digestTime,
      language: user.language,
      locale: user.locale,
    };
  }

  /** Enqueues or moves digest jobs by key ('digest:<user>:<YYYY-MM-DD>'; see scheduleJobs). */
  schedule(jobs: readonly ScheduledJob<'digest.send'>[]): Promise<void> {
    return scheduleJobs(this.#db, jobs);
  }
}
