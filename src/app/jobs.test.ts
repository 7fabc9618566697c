import { describe, expect, it } from 'vitest';
import { toOutboxRow } from '../storage/repositories/outbox-repository.ts';
import type { Executor } from '../storage/transaction.ts';
import { enqueueJobs, type Job, type JobKind, jobKinds, parseJob, scheduleJobs } from './jobs.ts';

const requestedAt = new Date('2026-03-01T09:30:00.000Z');
const occurrenceStart = new Date('2026-03-02T08:00:00.000Z');
const fireAt = new Date('2026-03-02T07:45:00.000Z');

/**
 * One job of every kind, built the way its enqueuer builds it (instants as ISO text from a Date).
 * The mapped type makes a kind without an example a compile error.
 */
const examples: { [K in JobKind]: Job<K> } = {
  'calendar.object-changed': {
    kind: 'calendar.object-changed',
    payload: {
      userId: 7,
      calendarId: 'c1',
      revision: 3,
      hrefName: 'a.ics',
      objectId: 'o1',
      operation: 'modified',
    },
    dedupeKey: 'calendar.object-changed:c1:3',
    userId: 7,
  },
  'account.erase': {
    kind: 'account.erase',
    payload: { userId: 7, requestedAt: requestedAt.toISOString() },
    runAt: new Date(requestedAt.getTime() + 30 * 86_400_000),
    userId: 7,
  },
  'retention.purge': { kind: 'retention.purge', payload: {}, maxAttempts: 3 },
  'invitations.object-changed': {
    kind: 'invitations.object-changed',
    payload: { calendarId: 'c1', ownerId: 7, writerId: 8, uid: 'u1', hrefName: 'a.ics', deleted: false },
    dedupeKey: 'invitations.object-changed:c1:4',
    userId: 7,
  },
  'invitation.notice': {
    kind: 'invitation.notice',
    payload: {
      recipientId: 8,
      notice: 'answered',
      invitationId: 'i1',
      personName: 'Pavel',
      summary: 'Dinner',
      startAt: occurrenceStart.toISOString(),
      allDay: false,
      answer: 'TENTATIVE',
    },
    userId: 8,
  },
  'group.announce': {
    kind: 'group.announce',
    payload: { groupId: -1001 },
    runAt: new Date(requestedAt.getTime() + 30_000),
    userId: -1001,
  },
  'share.notice': {
    kind: 'share.notice',
    payload: {
      recipientId: 8,
      notice: 'offered',
      shareId: 's1',
      calendarName: 'Family',
      personName: 'Olga',
      access: 'read',
    },
    userId: 8,
  },
  'calendar.fetch-subscription': {
    kind: 'calendar.fetch-subscription',
    payload: { calendarId: 'c1' },
    dedupeKey: 'calendar.fetch-subscription:c1:2026-03-01T09:30:00.000Z',
    userId: 7,
  },
  'subscriptions.fetch-due': { kind: 'subscriptions.fetch-due', payload: {}, maxAttempts: 3 },
  'reminders.roll-horizon': { kind: 'reminders.roll-horizon', payload: {}, maxAttempts: 3 },
  'reminder.send': {
    kind: 'reminder.send',
    payload: {
      userId: 7,
      objectId: 'o1',
      occurrenceStart: occurrenceStart.toISOString(),
      fireAt: fireAt.toISOString(),
      trigger: `snooze:${fireAt.toISOString()}`,
    },
    runAt: fireAt,
  },
  'digests.plan': { kind: 'digests.plan', payload: {} },
  'digest.send': {
    kind: 'digest.send',
    payload: { userId: 7, localDate: '2026-03-02', timeZone: 'Europe/Berlin' },
  },
  'email.send': {
    kind: 'email.send',
    payload: {
      to: 'ada@example.org',
      subject: 'Your calendar',
      text: 'Attached.',
      ics: { filename: 'calendar.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' },
    },
  },
  'account.export-email': {
    kind: 'account.export-email',
    payload: { userId: 7, requestedAt: requestedAt.toISOString() },
  },
  'account.deletion-notice': {
    kind: 'account.deletion-notice',
    payload: { userId: 7, requestedAt: requestedAt.toISOString() },
  },
  noop: { kind: 'noop', payload: {} },
  'bench.simulated-io': { kind: 'bench.simulated-io', payload: { ms: 5 } },
};

/** The row as the worker claims it: the payload stored as JSON text and read back (jsonb). */
function storedAndClaimed(job: Job): { kind: string; payload: unknown } {
  const row = toOutboxRow(job);
  return { kind: row.kind, payload: JSON.parse(row.payload) };
}

describe('the job contract', () => {
  it('has an example for every kind', () => {
    expect(Object.keys(examples).sort()).toEqual([...jobKinds].sort());
  });

  it.each(jobKinds)('a %s job as enqueued parses with the schema the worker claims it with', (kind) => {
    const job = examples[kind];
    expect(parseJob(storedAndClaimed(job))).toEqual({ job: { kind, payload: job.payload } });
  });

  it('refuses a stored row of an unknown kind', () => {
    expect(parseJob({ kind: 'fax.send', payload: {} })).toEqual({
      error: 'no handler for job kind "fax.send"',
    });
  });

  it('refuses a stored payload that no longer fits its kind', () => {
    const result = parseJob({ kind: 'reminder.send', payload: { userId: 7, objectId: 'o1' } });
    expect(result).toMatchObject({ error: expect.stringMatching(/^malformed reminder\.send payload: /) });
  });

  it('refuses an instant that is not ISO text', () => {
    const payload = { userId: 7, requestedAt: requestedAt.toString() };
    expect(parseJob({ kind: 'account.erase', payload })).toHaveProperty('error');
  });
});

it('refuses a wrong payload at compile time at every enqueue', () => {
  // Never called: each marked line must fail to type-check, or the directive above it is unused
  // and `npm run typecheck` fails; so it fails if enqueue typing ever loosens.
  const wrongJobs = (db: Executor): void => {
    // @ts-expect-error a reminder needs its object, occurrence, fire time and trigger
    void enqueueJobs(db, [{ kind: 'reminder.send', payload: { userId: 7 } }]);
    // @ts-expect-error instants travel as ISO text, not as a Date
    void enqueueJobs(db, [{ kind: 'account.erase', payload: { userId: 7, requestedAt } }]);
    // @ts-expect-error a payload of another kind
    void enqueueJobs(db, [{ kind: 'digest.send', payload: examples['account.erase'].payload }]);
    // @ts-expect-error a kind no handler exists for
    void enqueueJobs(db, [{ kind: 'fax.send', payload: {} }]);
    // @ts-expect-error a periodic job carries an empty payload
    void enqueueJobs(db, [{ kind: 'retention.purge', payload: { olderThan: 'P2Y' } }]);
    // @ts-expect-error a scheduled job is named by its key
    void scheduleJobs(db, [examples['digest.send']]);
  };
  expect(wrongJobs).toBeTypeOf('function');
});
