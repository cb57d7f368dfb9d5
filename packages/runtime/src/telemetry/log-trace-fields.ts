import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The active span's ids for a log record, `{traceId, spanId}` (32 and 16 hex), or nothing
 * outside a span: a pino `mixin`, so that every line logged while a request or a job event is
 * handled can be found from its trace and the other way round.
 */
export function logTraceFields(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
