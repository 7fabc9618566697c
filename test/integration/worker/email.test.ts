import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/app/services.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import { startWorker, type WorkerHandle } from '../../../src/worker/run-worker.ts';
import { openTestDatabase, type TestDatabase, testEngine } from '../../support/test-database.ts';
import { type ReceivedMail, startSmtpCapture } from './smtp-capture.ts';
import { eventually } from './worker-support.ts';

describe(`email jobs [${testEngine}]`, () => {
  let database: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let worker: WorkerHandle;
  let received: ReceivedMail[];

  beforeAll(async () => {
    database = await openTestDatabase();
    smtp = await startSmtpCapture({ rejectRecipient: (address) => address.startsWith('nobody@') });
    received = smtp.received;
    const config = loadConfig({
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://cal.example.org',
    });
    worker = startWorker({
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
    await smtp.close();
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
    // The SMTP server has the mail before the worker records the job as done.
    const job = await eventually(async () => {
      const row = await database.db
        .selectFrom('outbox_messages')
        .select(['status', 'attempts'])
        .where('kind', '=', 'email.send')
        .executeTakeFirstOrThrow();
      return row.status === 'processing' ? undefined : row;
    });
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
