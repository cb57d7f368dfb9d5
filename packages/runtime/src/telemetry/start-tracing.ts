import { diag } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** What {@link startTracing} started: flush and stop it before the process exits. */
export interface Tracing {
  /** Whether spans leave the process (an OTLP endpoint is set, or processors were given). */
  readonly exporting: boolean;
  /** Exports what is buffered and stops; safe to call more than once. */
  shutdown(): Promise<void>;
}

/** Options of {@link startTracing}. */
export interface TracingOptions {
  /** Where spans go instead of OTLP (tests pass an in-memory exporter's processor). */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/**
 * Registers this process's OpenTelemetry tracer provider (once, at start-up, in `main`):
 * service name `OTEL_SERVICE_NAME` or `service`, `OTEL_RESOURCE_ATTRIBUTES`, W3C Trace
 * Context propagation and an async-local context. Spans are exported over OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (unless
 * `OTEL_TRACES_EXPORTER=none`), in batches; otherwise spans are still made, so that logs carry
 * trace ids and the context travels on to the next service, but none is exported.
 */
export function startTracing(service: string, options: TracingOptions = {}): Tracing {
  // OpenTelemetry's exporters read their own variables from process.env; so does this.
  const env = process.env;
  const otlp =
    env.OTEL_TRACES_EXPORTER !== 'none' &&
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const spanProcessors = options.spanProcessors
    ? [...options.spanProcessors]
    : otlp
      ? [new BatchSpanProcessor(new OTLPTraceExporter())]
      : [];
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || service }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  let stopped: Promise<void> | undefined;
  return {
    exporting: spanProcessors.length > 0,
    shutdown: () => {
      stopped ??= provider.shutdown().catch((error: unknown) => diag.warn('tracing shutdown failed', error));
      return stopped;
    },
  };
}
