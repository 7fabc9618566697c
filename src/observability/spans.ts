import { type Attributes, type Span, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Televent's own spans (bot updates, worker jobs, SQL). Through the OpenTelemetry API alone: until
 * tracing.ts registers a provider (OTEL_EXPORTER_OTLP_ENDPOINT set) every span is a no-op that
 * costs a function call.
 */
const tracer = trace.getTracer('televent');

/**
 * Runs `work` inside a new active span (so log lines and SQL spans inside it join its trace), and
 * ends it with an error status if `work` throws; `work` may add attributes as it learns them.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed when its work ended badly without throwing (a job that will be retried, say). */
export function markSpanFailed(span: Span): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** A span for something already finished (a query, timed by its driver), child of the active span. */
export function recordFinishedSpan(
  name: string,
  attributes: Attributes,
  startedAt: number,
  endedAt: number,
  error?: unknown,
): void {
  const span = tracer.startSpan(name, { attributes, startTime: startedAt });
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end(endedAt);
}

/** Whether traced work is under way here (off: no provider, or outside every span). */
export function hasRecordingSpan(): boolean {
  return trace.getActiveSpan()?.isRecording() ?? false;
}

/** The active span's trace and span ids, for log lines written inside it. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return undefined;
  return { traceId: context.traceId, spanId: context.spanId };
}
