import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.ts';
import { startTracing, type Tracing } from '../../../src/observability/tracing.ts';
import { enqueueMessages } from '../../../src/storage/repositories/outbox-repository.ts';
import type { MailSender } from '../../../src/worker/mail-sender.ts';
import { testEngine } from '../../support/test-database.ts';
import { drained, openWorkerTest, type WorkerTest } from './worker-support.ts';

describe(`job traces [${testEngine}]`, () => {
  let test: WorkerTest;
  let tracing: Tracing | null;
  const spans = new InMemorySpanExporter();
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    tracing = await startTracing(undefined, 'televent-test', spans);
    test = await openWorkerTest({
      logger: createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) }),
    });
  });
  afterAll(async () => {
    await test?.close();
    await tracing?.shutdown();
  });

  it('opens a span per job with its kind and outcome, its SQL inside, and its trace id on its log lines', async () => {
    // One message is sent; the other is refused, so its job is retried later.
    const mail: MailSender = {
      async send(message) {
        if (message.to.startsWith('retry')) throw new Error('mail server busy');
        return { messageId: '<1@test>' };
      },
      close() {},
    };
    const worker = test.start({ kinds: ['email.send'], mail });
    try {
      await enqueueMessages(test.database.db, [
        { kind: 'email.send', payload: { to: 'sent@example.com', subject: 's', text: 't' } },
        { kind: 'email.send', payload: { to: 'retry@example.com', subject: 's', text: 't' } },
      ]);
      await drained(test, 'email.send');
    } finally {
      await worker.stop();
    }
    await tracing?.flush();

    const jobSpans = spans.getFinishedSpans().filter((s) => s.name === 'job email.send');
    expect(jobSpans.map((s) => s.attributes['televent.job.outcome']).sort()).toEqual(['done', 'retry']);
    const retried = jobSpans.find((s) => s.attributes['televent.job.outcome'] === 'retry');
    expect(retried?.attributes['televent.job.kind']).toBe('email.send');
    expect(retried?.status.code).toBe(2); // SpanStatusCode.ERROR
    const traceId = retried?.spanContext().traceId;
    const sql = spans
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId && s.attributes['db.system.name'] === 'postgresql');
    // Recording the retry is an UPDATE of the job's row, inside the job's span.
    expect(sql.map((s) => s.name)).toContain('UPDATE');

    const retryLine = lines.find((line) => line.msg === 'job failed; will retry');
    expect(retryLine?.traceId).toBe(traceId);
    // The worker's idle polling is no traced work: no SQL span without a job around it.
    const orphans = spans
      .getFinishedSpans()
      .filter((s) => s.parentSpanContext === undefined && s.name !== 'job email.send');
    expect(orphans).toEqual([]);
  });
});
