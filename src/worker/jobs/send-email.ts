import type { JobHandler } from '../job-context.ts';

/** 'email.send': one message through SMTP_URL (5xx replies fail at once, 4xx are retried). */
export const sendEmail: JobHandler<'email.send'> = async (payload, context) => {
  const sent = await context.mail.send(payload);
  context.logger.info({ messageId: sent.messageId }, 'email sent');
};
