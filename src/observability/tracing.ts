import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { FastifyPluginCallback } from 'fastify';

/**
 * OpenTelemetry traces, on only when an OTLP endpoint is configured: a span per HTTP request (and
 * hook), per bot update and per worker job (observability/spans.ts), and per SQL statement run
 * inside one of those (storage/query-spans.ts). Log lines written inside a span carry its ids.
 */
export interface Tracing {
  /** Fastify plugin that opens a span per request and per hook; register it before any route. */
  readonly fastifyPlugin: FastifyPluginCallback;
  /** Sends buffered spans now (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry SDK is loaded only when an endpoint is set: its modules alone take ~0.4 s of a
 * start-up on this 2-core machine, spent for nothing when traces go nowhere. `exporter` replaces
 * the OTLP one (tests read spans from an in-memory exporter).
 */
export async function startTracing(
  endpoint: string | undefined,
  serviceName = 'televent',
  exporter?: SpanExporter,
): Promise<Tracing | null> {
  if (!endpoint && !exporter) return null;
  const [{ FastifyOtelInstrumentation }, { OTLPTraceExporter }, { resourceFromAttributes }, sdk] =
    await Promise.all([
      import('@fastify/otel'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace-node'),
    ]);
  const { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor } = sdk;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      exporter
        ? new SimpleSpanProcessor(exporter)
        : // OTLP/HTTP (JSON): the collector's traces path under the configured endpoint.
          new BatchSpanProcessor(
            new OTLPTraceExporter({ url: `${String(endpoint).replace(/\/$/, '')}/v1/traces` }),
          ),
    ],
  });
  provider.register();
  const instrumentation = new FastifyOtelInstrumentation();
  instrumentation.setTracerProvider(provider);
  return {
    fastifyPlugin: instrumentation.plugin(),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
