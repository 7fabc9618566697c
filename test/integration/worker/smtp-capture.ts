import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and MIME body) as the server received it. */
  data: string;
}

/**
 * A local SMTP server (smtp-server) that keeps every message it accepts. Recipients for which
 * `rejectRecipient` is true get a permanent 550, as a mailbox that does not exist would.
 */
export async function startSmtpCapture(
  options: { rejectRecipient?: (address: string) => boolean } = {},
): Promise<{
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient?.(address.address)) {
        callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The decoded body of the MIME part whose Content-Disposition names `filename`. */
export function attachmentOf(mail: ReceivedMail, filename: string): string | undefined {
  const parts = mail.data.split(/\r?\n--[^\r\n]+\r?\n/);
  const part = parts.find((p) => p.includes(`filename=${filename}`));
  if (!part) return undefined;
  const [headers = '', ...body] = part.split(/\r?\n\r?\n/);
  const raw = body.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(headers)) {
    return Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const bytes = raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return raw;
}
