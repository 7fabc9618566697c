import { z } from 'zod';
import { appendChangeWithMessages } from '../storage/repositories/change-log-repository.ts';
import { upsertScheduledMessages } from '../storage/repositories/outbox-claim-repository.ts';
import { enqueueMessages, lockPendingMessage } from '../storage/repositories/outbox-repository.ts';
import type { ChangeOperation } from '../storage/schema.ts';
import type { Executor } from '../storage/transaction.ts';

// The job contract: every job kind and the payload it carries, shared by whoever enqueues (app/,
// the worker's planners) and the worker that claims. Enqueueing is typed from these schemas, so
// a wrong payload is a compile error; claiming parses with them, so a row written by an older or
// newer version that no longer fits fails at once instead of retrying forever.

const isoInstant = z.iso.datetime({ offset: true });

export const jobPayloadSchemas = {
  /** Written by CalendarService on every event write: re-plan that event's reminders. */
  'calendar.object-changed': z.object({
    userId: z.number().int(),
    calendarId: z.string(),
    revision: z.number().int(),
    hrefName: z.string(),
    objectId: z.string(),
    operation: z.enum(['created', 'modified', 'deleted']),
  }),
  /** Written by AccountService.requestDeletion, due 30 days later. */
  'account.erase': z.object({ userId: z.number().int(), requestedAt: isoInstant }),
  /** Periodic: purge audit rows older than two years and long-finished jobs. */
  'retention.purge': z.object({}),
  /** Periodic: plan the reminders of every event across the rolling horizon. */
  'reminders.roll-horizon': z.object({}),
  /** One reminder for one occurrence and one trigger. */
  'reminder.send': z.object({
    userId: z.number().int(),
    objectId: z.string(),
    occurrenceStart: isoInstant,
    fireAt: isoInstant,
    /** The trigger's identity inside the event (see alarm-triggers.ts). */
    trigger: z.string(),
  }),
  /** Periodic: plan each user's next morning digest. */
  'digests.plan': z.object({}),
  /** One user's digest for one local day ('YYYY-MM-DD' in the user's zone). */
  'digest.send': z.object({ userId: z.number().int(), localDate: z.string(), timeZone: z.string() }),
  /** An email through SMTP_URL (data export, deletion notices). */
  'email.send': z.object({
    to: z.string().min(3),
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    ics: z.object({ filename: z.string(), content: z.string() }).optional(),
    /** An iMIP invitation or cancellation (RFC 6047): a text/calendar part with this METHOD. */
    icalEvent: z.object({ method: z.enum(['REQUEST', 'CANCEL']), content: z.string() }).optional(),
  }),
  /** Written by AccountService.exportData (bot /export) when the user has an email address. */
  'account.export-email': z.object({ userId: z.number().int(), requestedAt: isoInstant }),
  /** Written by AccountService.requestDeletion when the user has an email address. */
  'account.deletion-notice': z.object({ userId: z.number().int(), requestedAt: isoInstant }),
  /** Fetch one followed feed into its calendar (CalendarSubscriptionService; worker/feed-fetcher.ts). */
  'calendar.fetch-subscription': z.object({ calendarId: z.string() }),
  /** Periodic: enqueue a fetch for every followed feed that is due. */
  'subscriptions.fetch-due': z.object({}),
  /**
   * One chat message about a calendar share (issue 14): an offer to its sharee (with [Accept]
   * [Decline], sent only while still pending), or an answer, a revocation or a leave to the other side.
   */
  'share.notice': z.object({
    recipientId: z.number().int(),
    notice: z.enum(['offered', 'accepted', 'declined', 'left', 'revoked']),
    shareId: z.string(),
    calendarName: z.string(),
    /** Who did it: the owner for offers and revocations, the sharee otherwise. */
    personName: z.string(),
    access: z.enum(['read', 'write']),
  }),
  /**
   * An event with attendees was written or deleted (any door, not the scheduler itself): invite,
   * update or cancel its attendees, or take an attendee's answer from their copy (invitations.ts).
   */
  'invitations.object-changed': z.object({
    calendarId: z.string(),
    ownerId: z.number().int(),
    writerId: z.number().int(),
    uid: z.string(),
    hrefName: z.string(),
    deleted: z.boolean(),
  }),
  /** One chat message about an invitation: to an attendee (invited, changed, cancelled) or to its organizer (answered). */
  'invitation.notice': z.object({
    recipientId: z.number().int(),
    notice: z.enum(['invited', 'changed', 'cancelled', 'answered']),
    invitationId: z.string(),
    /** The organizer (to attendees) or the attendee (to the organizer). */
    personName: z.string(),
    summary: z.string().nullable(),
    startAt: isoInstant.nullable(),
    allDay: z.boolean(),
    answer: z.enum(['ACCEPTED', 'TENTATIVE', 'DECLINED']).optional(),
  }),
  /** Tells a group what changed in its calendar since it was last told (group-announcements.ts). */
  'group.announce': z.object({ groupId: z.number().int().negative() }),
  /** Does nothing: measures the queue itself (bench:worker). */
  noop: z.object({}),
  /** Waits `ms` without using the CPU: a stand-in for a send's network latency (bench:worker). */
  'bench.simulated-io': z.object({ ms: z.number().int().min(0).max(10_000) }),
} as const;

type Schemas = typeof jobPayloadSchemas;
export type JobKind = keyof Schemas;
/** What a handler of each kind receives (the parsed payload). */
export type JobPayloads = { [K in JobKind]: z.output<Schemas[K]> };
/** What an enqueuer of kind `K` must write. */
export type PayloadOf<K extends JobKind> = z.input<Schemas[K]>;
export const jobKinds = Object.keys(jobPayloadSchemas) as JobKind[];

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(jobPayloadSchemas, kind);
}

interface JobOptions {
  /** Enqueueing twice with one key keeps the first row (idempotent enqueue). */
  dedupeKey?: string | undefined;
  runAt?: Date | undefined;
  userId?: number | undefined;
  maxAttempts?: number | undefined;
}

/** A job to enqueue: the kind decides the payload's type (a discriminated union over kinds). */
export type Job<K extends JobKind = JobKind> = {
  [P in K]: { kind: P; payload: PayloadOf<P> } & JobOptions;
}[K];
/** A job whose key names what it is for, so planning it again updates it (see scheduleJobs). */
export type ScheduledJob<K extends JobKind = JobKind> = Job<K> & { dedupeKey: string };
/** A claimed job whose payload fits its kind's schema. */
export type ClaimedJob = { [K in JobKind]: { kind: K; payload: JobPayloads[K] } }[JobKind];

/** Enqueues jobs in the caller's transaction (or alone): if it rolls back, so do the jobs. */
export function enqueueJobs(db: Executor, jobs: readonly Job[]): Promise<void> {
  return enqueueMessages(db, jobs);
}

/** A calendar's change-log row and the jobs that follow from it, in one statement of the writer's transaction. */
export function appendChangeWithJobs(
  db: Executor,
  change: { calendarId: string; revision: number; hrefName: string; operation: ChangeOperation },
  jobs: readonly Job[],
): Promise<void> {
  return appendChangeWithMessages(db, change, jobs);
}

/**
 * Whether a job of `kind` for `userId` is still waiting to run; if so it is held (not claimed)
 * until the caller's transaction ends, so it will see what the caller writes (see lockPendingMessage).
 */
export function holdPendingJob(db: Executor, userId: number, kind: JobKind): Promise<boolean> {
  return lockPendingMessage(db, userId, kind);
}

/**
 * Enqueues or re-plans scheduled jobs by key: a pending or cancelled one is brought up to date,
 * one already done, failed or running is left alone (see upsertScheduledMessages).
 */
export function scheduleJobs(db: Executor, jobs: readonly ScheduledJob[]): Promise<void> {
  return upsertScheduledMessages(db, jobs);
}

/** A stored job read back with its kind's schema, or why it cannot run. */
export function parseJob(row: { kind: string; payload: unknown }): { job: ClaimedJob } | { error: string } {
  if (!isJobKind(row.kind)) return { error: `no handler for job kind "${row.kind}"` };
  const kind = row.kind;
  const parsed = jobPayloadSchemas[kind].safeParse(row.payload);
  if (!parsed.success)
    return { error: `malformed ${kind} payload: ${parsed.error.issues[0]?.message ?? ''}` };
  // The pair is consistent: parsed.data was validated by `kind`'s own schema.
  return { job: { kind, payload: parsed.data } as ClaimedJob };
}
