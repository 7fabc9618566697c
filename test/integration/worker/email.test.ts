import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { startWorker, type WorkerHandle } from '../../../src/worker/run-worker.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { eventually } from './worker-support.ts';

interface Received {
  from: string;
  to: string[];
  data: string;
}

describe(`email jobs [${testEngine}]`, () => {
  let database: TestDatabase;
  let smtp: SMTPServer;
  let worker: WorkerHandle;
  const received: Received[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) {
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
    const config = loadConfig({
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      PUBLIC_URL: 'https://cal.example.org',
    });
    worker = startWorker({
      db: database.db,
      services: createServices(database.db),
      config,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      workerId: 'mailer',
      options: { pollIntervalMs: 20, schedulePeriodicJobs: false },
    });
  });
  afterAll(async () => {
    await worker.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await database.close();
  });

  it('sends an email with text, HTML and an .ics attachment through SMTP_URL', async () => {
    await enqueueMessages(database.db, [
      {
        kind: 'email.send',
        payload: {
          to: 'alice@example.com',
          subject: 'Your Televent export',
          text: 'Your calendar is attached.',
          html: '<p>Your calendar is attached.</p>',
          ics: { filename: 'televent.ics', content: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' },
        },
      },
    ]);
    const [mail] = await eventually(async () => (received.length > 0 ? received : undefined));
    expect(mail?.from).toBe('televent@cal.example.org');
    expect(mail?.to).toEqual(['alice@example.com']);
    expect(mail?.data).toContain('Subject: Your Televent export');
    expect(mail?.data).toContain('Content-Type: text/html');
    expect(mail?.data).toMatch(/Content-Type: text\/calendar; charset=utf-8; name=televent\.ics/);
    const job = await database.db
      .selectFrom('outbox_messages')
      .select(['status', 'attempts'])
      .where('kind', '=', 'email.send')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 1 });
  });

  it('fails at once when the server refuses the address (5xx)', async () => {
    await enqueueMessages(database.db, [
      {
        kind: 'email.send',
        payload: { to: 'nobody@example.com', subject: 'x', text: 'x' },
        dedupeKey: 'refused',
      },
    ]);
    const job = await eventually(async () => {
      const row = await database.db
        .selectFrom('outbox_messages')
        .select(['status', 'attempts', 'last_error'])
        .where('dedupe_key', '=', 'refused')
        .executeTakeFirstOrThrow();
      return row.status === 'failed' ? row : undefined;
    });
    expect(job.attempts).toBe(1);
    expect(job.last_error).toContain('SMTP 550');
  });
});
