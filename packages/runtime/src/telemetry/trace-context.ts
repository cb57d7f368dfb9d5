import { type Context, context, isSpanContextValid, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) on the `traceparent` strings that
 * job events carry in their NATS headers. An explicit propagator, not the global one, so the
 * headers stay W3C whatever a process registers (and work when it registers nothing).
 */
const W3C = new W3CTraceContextPropagator();

interface TraceCarrier {
  traceparent?: string;
}

const carrierGetter = {
  get: (carrier: TraceCarrier, key: string) => (key === 'traceparent' ? carrier.traceparent : undefined),
  keys: () => ['traceparent'],
};

/**
 * The context a `traceparent` header carries, as the parent of new spans. A missing or
 * malformed header (or an all-zero id, W3C §3.2.2.3) gives the root context: a new trace.
 */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return W3C.extract(ROOT_CONTEXT, { traceparent }, carrierGetter);
}

/**
 * The `traceparent` of the span active in `ctx` (default: the current one), `00-<32 hex
 * trace id>-<16 hex span id>-<flags>`; `undefined` when there is no valid span.
 */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: TraceCarrier = {};
  W3C.inject(ctx, carrier, { set: (target, _key, value) => (target.traceparent = value) });
  return carrier.traceparent;
}

/** The trace id (32 hex) of a `traceparent`, or `undefined` when it holds none. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const spanContext = trace.getSpanContext(contextOfTraceparent(traceparent));
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
