import { z } from 'zod';

// Every job kind and the payload it carries. Payloads are validated when claimed: a row written
// by an older or newer version that no longer fits fails at once instead of retrying forever.

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
  }),
  /** Written by AccountService.exportData (bot /export) when the user has an email address. */
  'account.export-email': z.object({ userId: z.number().int(), requestedAt: isoInstant }),
  /** Written by AccountService.requestDeletion when the user has an email address. */
  'account.deletion-notice': z.object({ userId: z.number().int(), requestedAt: isoInstant }),
  /** Does nothing: measures the queue itself (bench:worker). */
  noop: z.object({}),
  /** Waits `ms` without using the CPU: a stand-in for a send's network latency (bench:worker). */
  'bench.simulated-io': z.object({ ms: z.number().int().min(0).max(10_000) }),
} as const;

export type JobKind = keyof typeof jobPayloadSchemas;
export type JobPayloads = { [K in JobKind]: z.infer<(typeof jobPayloadSchemas)[K]> };
export const jobKinds = Object.keys(jobPayloadSchemas) as JobKind[];

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(jobPayloadSchemas, kind);
}
