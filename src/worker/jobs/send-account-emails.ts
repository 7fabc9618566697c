import { isAppError } from '../../app/errors.ts';
import type { JobContext, JobHandler } from '../job-context.ts';
import { unconfiguredMail } from '../mail-sender.ts';

// The account's emails. The jobs carry only the user id: the address, the export and the erase
// date are read when the job runs, so the outbox never holds a copy of the user's data, and an
// address removed (/email off) or a deletion undone meanwhile sends nothing.

/** The user's address when there is one and this worker can send mail; otherwise why not. */
async function recipientOf(userId: number, context: JobContext): Promise<string | null> {
  if (context.mail === unconfiguredMail) {
    context.logger.info('not emailed: SMTP_URL is not set');
    return null;
  }
  try {
    const { email } = await context.services.preferences.getPreferences(userId);
    if (!email) context.logger.info('not emailed: the user has no email address');
    return email;
  } catch (error) {
    if (isAppError(error) && error.reason === 'user-not-found') {
      context.logger.info('not emailed: the user is gone');
      return null;
    }
    throw error;
  }
}

/** 'account.export-email': the data export (/export) as .ics and JSON attachments. */
export const sendExportEmail: JobHandler<'account.export-email'> = async (payload, context) => {
  const to = await recipientOf(payload.userId, context);
  if (!to) return;
  const { ics, ...data } = await context.services.accounts.exportData(payload.userId, { emailCopy: false });
  const sent = await context.mail.send({
    to,
    subject: 'Your Televent data export',
    text: [
      `Attached is everything Televent stores about you, as you asked on ${data.exportedAt.toISOString().slice(0, 10)}:`,
      `- televent.ics: your calendar (${data.events.length} item${data.events.length === 1 ? '' : 's'}), for any calendar app;`,
      '- televent-data.json: your account, settings, events and device names.',
      '',
      'To stop these emails, send /email off to the bot.',
    ].join('\n'),
    attachments: [
      { filename: 'televent.ics', content: ics, contentType: 'text/calendar; charset=utf-8' },
      {
        filename: 'televent-data.json',
        content: JSON.stringify(data, null, 2),
        contentType: 'application/json; charset=utf-8',
      },
    ],
  });
  context.logger.info({ messageId: sent.messageId }, 'export emailed');
};

/** 'account.deletion-notice': when the account will be erased and how to undo it. */
export const sendDeletionNotice: JobHandler<'account.deletion-notice'> = async (payload, context) => {
  const user = await context.services.accounts.getUser(payload.userId).catch((error: unknown) => {
    if (isAppError(error) && error.reason === 'user-not-found') return null;
    throw error;
  });
  // Undone (or undone and requested again, which has its own notice) before we got here.
  if (!user?.deletionScheduledFor || user.deletionRequestedAt?.toISOString() !== payload.requestedAt) {
    context.logger.info('deletion notice not sent: the request no longer stands');
    return;
  }
  const to = await recipientOf(payload.userId, context);
  if (!to) return;
  const timeZone = user.timeZone ?? 'UTC';
  const when = new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(
    user.deletionScheduledFor,
  );
  const sent = await context.mail.send({
    to,
    subject: `Your Televent account will be erased on ${when}`,
    text: [
      'You asked to delete your Televent account.',
      '',
      `It will be erased on ${when} (${timeZone}): your calendar, events, settings and device passwords, for good.`,
      '',
      'Changed your mind? Until then, send /undelete to the Televent bot in Telegram (or press',
      '"Undo — keep my account" under its message) and nothing is deleted.',
      '',
      'Want a copy first? Send /export to the bot.',
    ].join('\n'),
  });
  context.logger.info({ messageId: sent.messageId }, 'deletion notice emailed');
};
