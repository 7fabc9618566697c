import type { JobHandlers } from './job-context.ts';
import { doNothing } from './jobs/do-nothing.ts';
import { eraseAccount } from './jobs/erase-account.ts';
import { fetchDueSubscriptions } from './jobs/fetch-due-subscriptions.ts';
import { fetchSubscription } from './jobs/fetch-subscription.ts';
import { planDigests } from './jobs/plan-digests.ts';
import { planEventReminders } from './jobs/plan-event-reminders.ts';
import { purgeRetention } from './jobs/purge-retention.ts';
import { rollReminderHorizon } from './jobs/roll-reminder-horizon.ts';
import { sendDeletionNotice, sendExportEmail } from './jobs/send-account-emails.ts';
import { sendDigest } from './jobs/send-digest.ts';
import { sendEmail } from './jobs/send-email.ts';
import { sendGroupAnnouncement } from './jobs/send-group-announcement.ts';
import { processInvitations, sendInvitationNotice } from './jobs/send-invitation-notice.ts';
import { sendReminder } from './jobs/send-reminder.ts';
import { sendShareNotice } from './jobs/send-share-notice.ts';
import { simulateIo } from './jobs/simulated-io.ts';

/** One handler per job kind; the type makes a missing one a compile error. */
export const jobHandlers: JobHandlers = {
  'calendar.object-changed': planEventReminders,
  'account.erase': eraseAccount,
  'retention.purge': purgeRetention,
  'reminders.roll-horizon': rollReminderHorizon,
  'reminder.send': sendReminder,
  'digests.plan': planDigests,
  'digest.send': sendDigest,
  'email.send': sendEmail,
  'account.export-email': sendExportEmail,
  'account.deletion-notice': sendDeletionNotice,
  'calendar.fetch-subscription': fetchSubscription,
  'subscriptions.fetch-due': fetchDueSubscriptions,
  'share.notice': sendShareNotice,
  'group.announce': sendGroupAnnouncement,
  'invitations.object-changed': processInvitations,
  'invitation.notice': sendInvitationNotice,
  noop: doNothing,
  'bench.simulated-io': simulateIo,
};
