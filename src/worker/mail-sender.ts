import nodemailer from 'nodemailer';
import { PermanentJobError } from './job-errors.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  ics?: { filename: string; content: string } | undefined;
  attachments?: { filename: string; content: string; contentType: string }[] | undefined;
  /** iMIP (RFC 6047): the text/calendar alternative with METHOD, which mail clients show as an invitation. */
  icalEvent?: { method: 'REQUEST' | 'CANCEL'; content: string } | undefined;
}

export interface MailSender {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** SMTP through nodemailer from SMTP_URL (smtp://user:pass@host:port, smtps:// for TLS). */
export function createMailSender(smtpUrl: string, from: string): MailSender {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          ...(message.icalEvent
            ? {
                icalEvent: {
                  method: message.icalEvent.method,
                  filename: 'invite.ics',
                  content: message.icalEvent.content,
                },
              }
            : {}),
          attachments: [
            ...(message.ics
              ? [
                  {
                    filename: message.ics.filename,
                    content: message.ics.content,
                    contentType: 'text/calendar; charset=utf-8',
                  },
                ]
              : []),
            ...(message.attachments ?? []),
          ],
        });
        return { messageId: String(info.messageId) };
      } catch (error) {
        // RFC 5321 §4.2.1: 5yz replies are permanent (bad address, refused); 4yz are transient.
        const code = (error as { responseCode?: unknown }).responseCode;
        if (typeof code === 'number' && code >= 500 && code < 600) {
          throw new PermanentJobError(`SMTP ${code}: ${(error as Error).message}`, { cause: error });
        }
        throw error;
      }
    },
    close: () => transport.close(),
  };
}

export const unconfiguredMail: MailSender = {
  async send() {
    throw new PermanentJobError('SMTP_URL is not set: cannot send email');
  },
  close() {},
};
