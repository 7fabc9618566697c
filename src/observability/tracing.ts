import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FastifyPluginCallback } from 'fastify';

/** OpenTelemetry traces, on only when an OTLP endpoint is configured. */
export interface Tracing {
  /** Fastify plugin that opens a span per request and per hook; register it before any route. */
  readonly fastifyPlugin: FastifyPluginCallback;
  /** Sends buffered spans now (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startTracing(endpoint: string | undefined, serviceName = 'televent'): Tracing | null {
  if (!endpoint) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      // OTLP/HTTP (JSON): the collector's traces path under the configured endpoint.
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })),
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
