import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../../src/observability/tracing.ts';
import { testEngine } from '../../support/test-database.ts';
import { type BotHarness, startBotHarness } from './bot-harness.ts';

describe(`bot metrics and traces [${testEngine}]`, () => {
  let h: BotHarness;
  let tracing: Tracing | null;
  const spans = new InMemorySpanExporter();

  beforeAll(async () => {
    tracing = await startTracing(undefined, 'televent-test', spans);
    h = await startBotHarness();
  });
  afterAll(async () => {
    await h?.close();
    await tracing?.shutdown();
  });

  const metricsText = () => h.metrics.registry.metrics();

  it('counts updates by type and outcome, with their latency, failures included', async () => {
    const user = { id: 7001, first_name: 'Mia' };
    await h.say(user, '/help');
    h.emulator.failNext('sendMessage', { error_code: 400, description: 'Bad Request: something odd' });
    h.emulator.sendText(user, '/help');
    expect((await h.next(user)).plain_text).toContain('Telegram did not accept my answer');
    // The update is counted once its handling returns, just after its reply reached Telegram.
    await expect
      .poll(metricsText)
      .toMatch(/^televent_bot_updates_total\{type="message",outcome="failed"\} 1$/m);
    const text = await metricsText();
    expect(text).toMatch(/^televent_bot_updates_total\{type="message",outcome="handled"\} 1$/m);
    expect(text).toMatch(/^televent_bot_update_duration_seconds_count\{type="message"\} 2$/m);
  });

  it('opens a span per update, with its type and outcome, and the SQL it ran inside it', async () => {
    spans.reset();
    const user = { id: 7002, first_name: 'Noa' };
    await h.say(user, '/start');
    await expect.poll(() => spans.getFinishedSpans().some((s) => s.name === 'bot update')).toBe(true);
    const update = spans.getFinishedSpans().find((s) => s.name === 'bot update');
    expect(update?.attributes['telegram.update.type']).toBe('message');
    expect(update?.attributes['televent.outcome']).toBe('handled');
    const traceId = update?.spanContext().traceId;
    const sql = spans
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId && s.attributes['db.system.name'] === 'postgresql');
    // /start reads the sender and creates the account: several statements, none with a value in it.
    expect(sql.length).toBeGreaterThan(1);
    expect(sql.map((s) => s.name)).toContain('INSERT');
    expect(sql.every((s) => !String(s.attributes['db.query.text']).includes('Noa'))).toBe(true);
  });
});
